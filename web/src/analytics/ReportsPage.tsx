// The Reports area: filters kept in the address (so a report is shared as a link), headline
// figures against the previous period, a chart, and one table per view, each exportable as CSV.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Department, ReportGroup, ReportQuery, ReportRow, TeamMember } from '@frontline/protocol';
import { CHANNEL_CHOICES as CHANNELS } from '../api/constants.js';
import { fetchDepartments, fetchTeam } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import {
  analyticsKeys,
  exportUrl,
  fetchCsat,
  fetchOperatorReport,
  fetchRepeat,
  fetchReport,
  fetchSla,
  fetchSummary,
  fetchTagReport,
} from './api.js';
import { BotsView } from './BotReport.js';
import { LineChart } from './Chart.js';
import { countWithShare, formatDuration, formatHours, formatPercent } from './format.js';
import { REPORT_VIEWS as VIEWS, type ReportView as View } from './constants.js';
import './analytics.css';
import { ErrorLine } from '../components/FormParts.js';

const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function defaultRange(): { from: string; to: string } {
  const to = new Date();
  const from = new Date();
  from.setDate(from.getDate() - 6);
  return { from: isoDay(from), to: isoDay(to) };
}

function useReportQuery(): [ReportQuery, View, (changes: Record<string, string>) => void] {
  const [params, setParams] = useSearchParams();
  const fallback = useMemo(defaultRange, []);
  const q: ReportQuery = {
    from: params.get('from') ?? fallback.from,
    to: params.get('to') ?? fallback.to,
    departmentId: params.get('departmentId') ?? undefined,
    operatorId: params.get('operatorId') ?? undefined,
    channel: (CHANNELS as readonly string[]).includes(params.get('channel') ?? '')
      ? (params.get('channel') as ReportQuery['channel'])
      : undefined,
    tag: params.get('tag') ?? undefined,
  };
  const view = (VIEWS as readonly string[]).includes(params.get('view') ?? '')
    ? (params.get('view') as View)
    : 'day';
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  return [q, view, update];
}

export function ReportsPage() {
  const { t } = useTranslation();
  const [q, view, update] = useReportQuery();
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const team = useQuery({ queryKey: keys.team, queryFn: fetchTeam });
  const summary = useQuery({ queryKey: analyticsKeys.summary(q), queryFn: () => fetchSummary(q) });
  const [copied, setCopied] = useState(false);
  const names = useMemo(
    () => nameLookup(departments.data ?? [], team.data ?? []),
    [departments.data, team.data],
  );
  return (
    <section aria-labelledby="reports-title" className="analytics">
      <h1 id="reports-title">{t('analytics.reports')}</h1>
      <Filters q={q} update={update} departments={departments.data ?? []} team={team.data ?? []} />
      <p className="muted">
        {summary.data && t('analytics.filters.timezone', { zone: summary.data.timezone })}{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true));
          }}
        >
          {t('analytics.filters.share')}
        </button>
        {copied && <span role="status"> {t('analytics.filters.copied')}</span>}
      </p>
      <ErrorLine error={summary.error} />
      <SummaryCards q={q} />
      <nav className="analytics-tabs" aria-label={t('analytics.reports')}>
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={v === view}
            className={v === view ? 'active' : ''}
            onClick={() => update({ view: v })}
          >
            {t(`analytics.views.${v}`)}
          </button>
        ))}
      </nav>
      <ViewBody q={q} view={view} names={names} />
    </section>
  );
}

type Names = (group: ReportGroup, key: string) => string;

function nameLookup(departments: Department[], team: TeamMember[]): Names {
  const departmentNames = new Map(departments.map((d) => [d.id, d.name]));
  const people = new Map(team.map((m) => [m.id, m.name]));
  return (group, key) =>
    group === 'department'
      ? (departmentNames.get(key) ?? key)
      : group === 'operator'
        ? (people.get(key) ?? key)
        : key;
}

function Filters({
  q,
  update,
  departments,
  team,
}: {
  q: ReportQuery;
  update: (changes: Record<string, string>) => void;
  departments: Department[];
  team: TeamMember[];
}) {
  const { t } = useTranslation();
  const [tag, setTag] = useState(q.tag ?? '');
  return (
    <form
      className="analytics-filters"
      onSubmit={(event) => {
        event.preventDefault();
        update({ tag: tag.trim() });
      }}
    >
      <label>
        {t('analytics.filters.from')}
        <input type="date" value={q.from} max={q.to} onChange={(e) => update({ from: e.target.value })} />
      </label>
      <label>
        {t('analytics.filters.to')}
        <input type="date" value={q.to} min={q.from} onChange={(e) => update({ to: e.target.value })} />
      </label>
      <label>
        {t('analytics.filters.department')}
        <select value={q.departmentId ?? ''} onChange={(e) => update({ departmentId: e.target.value })}>
          <option value="">{t('analytics.filters.all')}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analytics.filters.operator')}
        <select value={q.operatorId ?? ''} onChange={(e) => update({ operatorId: e.target.value })}>
          <option value="">{t('analytics.filters.all')}</option>
          {team.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analytics.filters.channel')}
        <select value={q.channel ?? ''} onChange={(e) => update({ channel: e.target.value })}>
          <option value="">{t('analytics.filters.all')}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analytics.filters.tag')}
        <input
          value={tag}
          maxLength={50}
          onChange={(e) => setTag(e.target.value)}
          onBlur={() => update({ tag: tag.trim() })}
        />
      </label>
      <button type="submit">{t('analytics.filters.apply')}</button>
    </form>
  );
}

function Card({
  title,
  value,
  detail,
  previous,
}: {
  title: string;
  value: string;
  detail?: string;
  previous: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="analytics-card">
      <h2>{title}</h2>
      <p className="analytics-value">{value}</p>
      {detail && <p className="muted">{detail}</p>}
      <p className="muted">{t('analytics.summary.previous', { value: previous })}</p>
    </div>
  );
}

function SummaryCards({ q }: { q: ReportQuery }) {
  const { t } = useTranslation();
  const summary = useQuery({ queryKey: analyticsKeys.summary(q), queryFn: () => fetchSummary(q) });
  const repeat = useQuery({ queryKey: analyticsKeys.repeat(q), queryFn: () => fetchRepeat(q) });
  const data = summary.data;
  if (!data) return <p className="muted">{t('analytics.loading')}</p>;
  const { current: c, previous: p } = data;
  const dist = (d: typeof c.firstReply) =>
    t('analytics.summary.distribution', {
      mean: formatDuration(d.mean, t),
      median: formatDuration(d.median, t),
      p90: formatDuration(d.p90, t),
    });
  return (
    <div className="analytics-cards">
      <Card
        title={t('analytics.summary.requests')}
        value={String(c.totals.requests)}
        previous={String(p.totals.requests)}
      />
      <Card
        title={t('analytics.summary.firstReply')}
        value={formatDuration(c.firstReply.median, t)}
        detail={dist(c.firstReply)}
        previous={formatDuration(p.firstReply.median, t)}
      />
      <Card
        title={t('analytics.summary.resolution')}
        value={formatDuration(c.resolution.median, t)}
        detail={dist(c.resolution)}
        previous={formatDuration(p.resolution.median, t)}
      />
      <Card
        title={t('analytics.summary.missed')}
        value={formatPercent(c.missedPercent)}
        previous={formatPercent(p.missedPercent)}
      />
      <Card
        title={t('analytics.summary.abandoned')}
        value={formatPercent(c.abandonedPercent)}
        previous={formatPercent(p.abandonedPercent)}
      />
      <Card
        title={t('analytics.summary.csat')}
        value={formatPercent(c.csatPercent)}
        previous={formatPercent(p.csatPercent)}
      />
      <Card title={t('analytics.summary.repeat')} value={formatPercent(repeat.data?.percent)} previous="—" />
    </div>
  );
}

function ExportLink({ q, report }: { q: ReportQuery; report: string }) {
  const { t } = useTranslation();
  return (
    <a className="analytics-export" href={exportUrl(q, report)} download>
      {t('analytics.exportCsv')}
    </a>
  );
}

function ViewBody({ q, view, names }: { q: ReportQuery; view: View; names: Names }) {
  if (view === 'tags') return <TagsView q={q} />;
  if (view === 'csat') return <CsatView q={q} />;
  if (view === 'sla') return <SlaView q={q} />;
  if (view === 'bots') return <BotsView q={q} />;
  if (view === 'operator') return <OperatorsView q={q} />;
  return <GroupedView q={q} group={view} names={names} />;
}

function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <p className="form-error" role="alert">
      {describeError(error, t)}
    </p>
  );
}

function GroupedView({ q, group, names }: { q: ReportQuery; group: ReportGroup; names: Names }) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: analyticsKeys.report(q, group), queryFn: () => fetchReport(q, group) });
  const chart = useMemo(() => {
    const rows = report.data?.rows ?? [];
    if (group !== 'day' && group !== 'hour') return null;
    return {
      x: rows.map((r) => (group === 'day' ? Date.parse(`${r.key}T12:00:00Z`) / 1000 : Number(r.key))),
      series: [
        { label: t('analytics.chart.requests'), values: rows.map((r) => r.requests), color: '#2557d6' },
        { label: t('analytics.chart.answered'), values: rows.map((r) => r.answered), color: '#15803d' },
        { label: t('analytics.chart.unanswered'), values: rows.map((r) => r.unanswered), color: '#b42318' },
      ],
    };
  }, [report.data, group, t]);
  if (report.isError) return <Failure error={report.error} />;
  if (!report.data) return <p className="muted">{t('analytics.loading')}</p>;
  if (report.data.rows.length === 0) return <p className="muted">{t('analytics.empty')}</p>;
  if (group === 'weekday_hour') return <HeatMap rows={report.data.rows} q={q} />;
  return (
    <>
      {chart && chart.x.length > 1 && (
        <LineChart
          x={chart.x}
          series={chart.series}
          time={group === 'day'}
          label={t(`analytics.views.${group}`)}
        />
      )}
      <ExportLink q={q} report={group} />
      <ReportTable
        rows={report.data.rows}
        totals={report.data.totals}
        label={(row) =>
          row.key === ''
            ? t('analytics.columns.none')
            : group === 'hour'
              ? `${row.key}:00`
              : names(group, row.key)
        }
      />
    </>
  );
}

function ReportTable({
  rows,
  totals,
  label,
  extra,
}: {
  rows: ReportRow[];
  totals?: ReportRow;
  label: (row: ReportRow) => ReactNode;
  extra?: { header: string; cell: (row: ReportRow) => ReactNode };
}) {
  const { t } = useTranslation();
  const line = (row: ReportRow, name: ReactNode) => (
    <>
      <th scope="row">{name}</th>
      {extra && <td>{extra.cell(row)}</td>}
      <td>{row.requests}</td>
      <td>{row.firstTime}</td>
      <td>{row.operatorMessages}</td>
      <td>{row.visitorMessages}</td>
      <td>{formatDuration(row.avgQueueMs, t)}</td>
      <td>{formatDuration(row.avgFirstReplyMs, t)}</td>
      <td>{formatDuration(row.avgMissedWaitMs, t)}</td>
      <td>{formatDuration(row.avgReplyMs, t)}</td>
      <td>{formatDuration(row.avgResolutionMs, t)}</td>
      <td>{row.dialogs}</td>
      <td>{countWithShare(row.within10, row.answered)}</td>
      <td>{countWithShare(row.within20, row.answered)}</td>
      <td>{countWithShare(row.within30, row.answered)}</td>
      <td>{countWithShare(row.unanswered, row.requests)}</td>
      <td>{row.offerMisses}</td>
      <td>
        {row.ratingsGood}/{row.ratingsBad}
      </td>
    </>
  );
  const columns = [
    'requests',
    'firstTime',
    'operatorMessages',
    'visitorMessages',
    'avgQueueMs',
    'avgFirstReplyMs',
    'avgMissedWaitMs',
    'avgReplyMs',
    'avgResolutionMs',
    'dialogs',
    'within10',
    'within20',
    'within30',
    'unanswered',
    'offerMisses',
    'ratings',
  ] as const;
  return (
    <div className="analytics-table-wrap">
      <table className="admin-table analytics-table">
        <thead>
          <tr>
            <th scope="col" />
            {extra && <th scope="col">{extra.header}</th>}
            {columns.map((c) => (
              <th key={c} scope="col">
                {t(`analytics.columns.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>{line(row, label(row))}</tr>
          ))}
        </tbody>
        {totals && (
          <tfoot>
            <tr>{line(totals, t('analytics.columns.total'))}</tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function HeatMap({ rows, q }: { rows: ReportRow[]; q: ReportQuery }) {
  const { t } = useTranslation();
  const counts = new Map(rows.map((r) => [r.key, r.requests]));
  const max = Math.max(1, ...rows.map((r) => r.requests));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <>
      <ExportLink q={q} report="weekday_hour" />
      <div className="analytics-table-wrap">
        <table className="analytics-heat">
          <thead>
            <tr>
              <th scope="col" />
              {hours.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[0, 1, 2, 3, 4, 5, 6].map((day) => (
              <tr key={day}>
                <th scope="row">{t(`analytics.weekdays.${day}`)}</th>
                {hours.map((h) => {
                  const count = counts.get(`${day}:${h}`) ?? 0;
                  return (
                    <td
                      key={h}
                      style={{ background: `rgba(37, 87, 214, ${(count / max).toFixed(2)})` }}
                      title={String(count)}
                    >
                      {count || ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function OperatorsView({ q }: { q: ReportQuery }) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: analyticsKeys.operators(q), queryFn: () => fetchOperatorReport(q) });
  if (report.isError) return <Failure error={report.error} />;
  if (!report.data) return <p className="muted">{t('analytics.loading')}</p>;
  if (report.data.rows.length === 0) return <p className="muted">{t('analytics.empty')}</p>;
  const byKey = new Map(report.data.rows.map((r) => [r.key, r]));
  return (
    <>
      <ExportLink q={q} report="operators" />
      <ReportTable
        rows={report.data.rows}
        label={(row) => byKey.get(row.key)?.name ?? row.key}
        extra={{
          header: t('analytics.columns.online'),
          cell: (row) => formatHours(byKey.get(row.key)?.onlineMs ?? 0),
        }}
      />
    </>
  );
}

function TagsView({ q }: { q: ReportQuery }) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: analyticsKeys.tags(q), queryFn: () => fetchTagReport(q) });
  const chart = useMemo(() => {
    const data = report.data;
    if (!data) return null;
    const top = data.tags.slice(0, 5);
    const colors = ['#2557d6', '#15803d', '#b42318', '#a16207', '#7c3aed'];
    return {
      x: data.days.map((d) => Date.parse(`${d.day}T12:00:00Z`) / 1000),
      series: top.map((tag, i) => ({
        label: tag.tag,
        values: data.days.map((d) => d.counts[tag.tag] ?? 0),
        color: colors[i] ?? '#64748b',
      })),
    };
  }, [report.data]);
  if (report.isError) return <Failure error={report.error} />;
  if (!report.data) return <p className="muted">{t('analytics.loading')}</p>;
  if (report.data.tags.length === 0) return <p className="muted">{t('analytics.tags.empty')}</p>;
  return (
    <>
      {chart && chart.x.length > 1 && (
        <LineChart x={chart.x} series={chart.series} time label={t('analytics.views.tags')} />
      )}
      <ExportLink q={q} report="tags" />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('analytics.tags.tag')}</th>
            <th scope="col">{t('analytics.tags.count')}</th>
          </tr>
        </thead>
        <tbody>
          {report.data.tags.map((tag) => (
            <tr key={tag.tag}>
              <td>{tag.tag}</td>
              <td>{tag.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CsatView({ q }: { q: ReportQuery }) {
  const { t, i18n } = useTranslation();
  const report = useQuery({ queryKey: analyticsKeys.csat(q), queryFn: () => fetchCsat(q) });
  if (report.isError) return <Failure error={report.error} />;
  const data = report.data;
  if (!data) return <p className="muted">{t('analytics.loading')}</p>;
  return (
    <>
      <p>
        {t('analytics.csat.good')}: {data.good} · {t('analytics.csat.bad')}: {data.bad} ·{' '}
        {formatPercent(data.percent)}
      </p>
      <ExportLink q={q} report="csat" />
      {data.comments.length === 0 ? (
        <p className="muted">{t('analytics.csat.empty')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('analytics.csat.when')}</th>
              <th scope="col" />
              <th scope="col">{t('analytics.csat.comment')}</th>
            </tr>
          </thead>
          <tbody>
            {data.comments.map((c) => (
              <tr key={c.conversationId + c.at}>
                <td>{new Date(c.at).toLocaleString(i18n.language)}</td>
                <td>{c.rating === 'good' ? '👍' : '👎'}</td>
                <td>{c.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function SlaView({ q }: { q: ReportQuery }) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: analyticsKeys.sla(q), queryFn: () => fetchSla(q) });
  if (report.isError) return <Failure error={report.error} />;
  if (!report.data) return <p className="muted">{t('analytics.loading')}</p>;
  const show = (value: number | null) => (value === null ? '—' : String(value));
  return (
    <table className="admin-table analytics-sla">
      <thead>
        <tr>
          <th scope="col">{t('analytics.sla.metric')}</th>
          <th scope="col">{t('analytics.sla.value')}</th>
          <th scope="col">{t('analytics.sla.previous')}</th>
          <th scope="col">{t('analytics.sla.status')}</th>
        </tr>
      </thead>
      <tbody>
        {report.data.items.map((item) => (
          <tr key={item.metric}>
            <td>{t(`analytics.sla.${item.metric}`, { target: item.target })}</td>
            <td>{show(item.value)}</td>
            <td>
              {show(item.previous)} <span className="muted">{t(`analytics.sla.trend.${item.trend}`)}</span>
            </td>
            <td className={item.met === null ? 'muted' : item.met ? 'sla-met' : 'sla-missed'}>
              {item.met === null
                ? t('analytics.sla.noData')
                : item.met
                  ? t('analytics.sla.met')
                  : t('analytics.sla.notMet')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
