// The Bots tab of Reports: what bot flows and the assistant did with the period's conversations
// (docs/analytics.md, "Bot report"): headline shares, a chart and table per day, hand-off reasons.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BotReportQuery, BotReportRow, ReportQuery } from '@frontline/protocol';
import { describeError } from '../i18n/errors.js';
import { analyticsKeys, exportUrl, fetchBotReport } from './api.js';
import { LineChart } from './Chart.js';
import { BOT_HANDOFF_REASON_CHOICES } from './constants.js';
import { countWithShare, formatPercent } from './format.js';

const percent = (part: number, whole: number): string =>
  formatPercent(whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

const COLUMNS = [
  'requests',
  'botStarted',
  'contained',
  'handedOver',
  'takenOver',
  'completed',
  'askedForPerson',
  'choseOption',
  'intentDetected',
  'nonTarget',
  'nonTargetClosed',
] as const;

export function BotsView({ q: { from, to, departmentId, channel } }: { q: ReportQuery }) {
  const { t } = useTranslation();
  // The operator and tag slices do not apply to bots; the server refuses them.
  const q: BotReportQuery = { from, to, departmentId, channel };
  const report = useQuery({ queryKey: analyticsKeys.bots(q), queryFn: () => fetchBotReport(q) });
  const rows = report.data?.rows;
  const chart = useMemo(
    () =>
      rows && {
        x: rows.map((r) => Date.parse(`${r.day}T12:00:00Z`) / 1000),
        series: [
          {
            label: t('botReport.columns.botStarted'),
            values: rows.map((r) => r.botStarted),
            color: '#2557d6',
          },
          { label: t('botReport.columns.contained'), values: rows.map((r) => r.contained), color: '#15803d' },
          {
            label: t('botReport.columns.handedOver'),
            values: rows.map((r) => r.handedOver),
            color: '#a16207',
          },
          { label: t('botReport.columns.takenOver'), values: rows.map((r) => r.takenOver), color: '#b42318' },
        ],
      },
    [rows, t],
  );
  if (report.isError)
    return (
      <p className="form-error" role="alert">
        {describeError(report.error, t)}
      </p>
    );
  if (!report.data) return <p className="muted">{t('analytics.loading')}</p>;
  const { totals } = report.data;
  return (
    <>
      <p className="muted">{t('botReport.intro')}</p>
      <BotCards totals={totals} />
      {totals.botStarted === 0 && <p className="muted">{t('botReport.empty')}</p>}
      {chart && chart.x.length > 1 && (
        <LineChart x={chart.x} series={chart.series} time label={t('botReport.chart')} />
      )}
      <a className="analytics-export" href={exportUrl(q, 'bots')} download>
        {t('analytics.exportCsv')}
      </a>
      <div className="analytics-table-wrap">
        <table className="admin-table analytics-table">
          <thead>
            <tr>
              <th scope="col">{t('botReport.columns.day')}</th>
              {COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {t(`botReport.columns.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.data.rows.map((row) => (
              <tr key={row.day}>
                <th scope="row">{row.day}</th>
                <DayCells row={row} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('botReport.columns.total')}</th>
              <DayCells row={totals} />
            </tr>
          </tfoot>
        </table>
      </div>
      <HandoffReasons totals={totals} />
    </>
  );
}

function DayCells({ row }: { row: BotReportRow }) {
  return (
    <>
      <td>{row.requests}</td>
      <td>{countWithShare(row.botStarted, row.requests)}</td>
      <td>{countWithShare(row.contained, row.botStarted)}</td>
      <td>{countWithShare(row.handedOver, row.botStarted)}</td>
      <td>{countWithShare(row.takenOver, row.botStarted)}</td>
      <td>{countWithShare(row.completed, row.botStarted)}</td>
      <td>{row.askedForPerson}</td>
      <td>{row.choseOption}</td>
      <td>{row.intentDetected}</td>
      <td>{countWithShare(row.nonTarget, row.intentDetected)}</td>
      <td>{row.nonTargetClosed}</td>
    </>
  );
}

function BotCards({ totals: s }: { totals: BotReportRow }) {
  const { t } = useTranslation();
  const ofBot = (count: number) => t('botReport.ofBot', { value: percent(count, s.botStarted) });
  const cards = [
    {
      key: 'botStarted',
      value: percent(s.botStarted, s.requests),
      detail: `${s.botStarted} ${t('botReport.cards.botStartedDetail', { requests: s.requests })}`,
    },
    { key: 'contained', value: String(s.contained), detail: ofBot(s.contained) },
    { key: 'handedOver', value: String(s.handedOver), detail: ofBot(s.handedOver) },
    { key: 'takenOver', value: String(s.takenOver), detail: ofBot(s.takenOver) },
    {
      key: 'completed',
      value: percent(s.completed, s.botStarted),
      detail: t('botReport.cards.completedDetail'),
    },
    {
      key: 'menu',
      value: percent(s.choseOption, s.choseOption + s.askedForPerson),
      detail: t('botReport.cards.menuDetail', { chose: s.choseOption, asked: s.askedForPerson }),
    },
    {
      key: 'nonTarget',
      value: percent(s.nonTarget, s.intentDetected),
      detail: t('botReport.cards.nonTargetDetail', {
        nonTarget: s.nonTarget,
        intents: s.intentDetected,
        ofRequests: percent(s.nonTarget, s.requests),
      }),
    },
    {
      key: 'nonTargetClosed',
      value: String(s.nonTargetClosed),
      detail: t('botReport.ofRequests', { value: percent(s.nonTargetClosed, s.requests) }),
    },
  ] as const;
  return (
    <div className="analytics-cards">
      {cards.map((card) => (
        <div key={card.key} className="analytics-card" data-figure={card.key}>
          <h2>{t(`botReport.cards.${card.key}`)}</h2>
          <p className="analytics-value">{card.value}</p>
          <p className="muted">{card.detail}</p>
        </div>
      ))}
    </div>
  );
}

function HandoffReasons({ totals }: { totals: BotReportRow }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t('botReport.reasonsTitle')}</h2>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('botReport.reason')}</th>
            <th scope="col">{t('botReport.count')}</th>
            <th scope="col">{t('botReport.share')}</th>
          </tr>
        </thead>
        <tbody>
          {BOT_HANDOFF_REASON_CHOICES.map((reason) => (
            <tr key={reason}>
              <td>{t(`botReport.reasons.${reason}`)}</td>
              <td>{totals.handedOverByReason[reason]}</td>
              <td>{percent(totals.handedOverByReason[reason], totals.handedOver)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
