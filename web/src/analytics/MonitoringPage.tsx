// Live monitoring for supervisors: queues and waits per department, operators' status and load,
// today's missed share, and the alerts the admins' thresholds raise (pushed over the socket; the
// page also refreshes every few seconds). Cells past a threshold are coloured.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertRule, LiveAlert, LiveSnapshot } from '@frontline/protocol';
import { describeError } from '../i18n/errors.js';
import { analyticsKeys, fetchAnalyticsSettings, fetchLive } from './api.js';
import { useRealtime } from '../realtime/context.js';
import { alertText } from './alert-text.js';
import { formatDuration, formatPercent } from './format.js';
import { HotConversations } from '../nlu/HotConversations.js';
import { MonitorWidgets } from './MonitorWidgets.js';
import './analytics.css';

const REFRESH_MS = 5_000;

/** Alerts pushed by the server while the page is open (newest first). */
function usePushedAlerts(): LiveAlert[] {
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  const queries = useQueryClient();
  const realtime = useRealtime();
  useEffect(
    () =>
      realtime.onAnalyticsAlert((alert) => {
        setAlerts((list) => [alert, ...list].slice(0, 20));
        void queries.invalidateQueries({ queryKey: analyticsKeys.live });
      }),
    [queries, realtime],
  );
  return alerts;
}

const past = (rule: AlertRule, value: number) =>
  rule.direction === 'above' ? value > rule.threshold : value < rule.threshold;

export function MonitoringPage() {
  const { t, i18n } = useTranslation();
  const live = useQuery({ queryKey: analyticsKeys.live, queryFn: fetchLive, refetchInterval: REFRESH_MS });
  const settings = useQuery({ queryKey: analyticsKeys.settings, queryFn: fetchAnalyticsSettings });
  const pushed = usePushedAlerts();
  const rules = settings.data?.alertRules ?? [];
  const data = live.data;
  const hot = (metric: AlertRule['metric'], departmentId: string | null, value: number) =>
    rules.some(
      (r) =>
        r.metric === metric && (r.departmentId === null || r.departmentId === departmentId) && past(r, value),
    );
  const active: LiveAlert[] = data?.alerts ?? [];
  return (
    <section aria-labelledby="monitoring-title" className="analytics">
      <h1 id="monitoring-title">{t('analytics.monitoring')}</h1>
      {live.isError && <p className="form-error">{describeError(live.error, t)}</p>}
      <div className="analytics-alerts" role="alert" aria-live="assertive">
        {pushed.length + active.length === 0 ? (
          <p className="muted">{t('analytics.live.noAlerts')}</p>
        ) : (
          <ul>
            {[
              ...pushed,
              ...active.filter((a) => !pushed.some((p) => p.ruleId === a.ruleId && p.since === a.since)),
            ].map((alert) => (
              <li key={`${alert.ruleId}-${alert.since}`} className="analytics-alert">
                {alertText(alert, t)}{' '}
                <span className="muted">{new Date(alert.since).toLocaleTimeString(i18n.language)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <MonitorWidgets />
      {data && <LiveTables data={data} hot={hot} />}
      <HotConversations />
    </section>
  );
}

function LiveTables({
  data,
  hot,
}: {
  data: LiveSnapshot;
  hot: (metric: AlertRule['metric'], departmentId: string | null, value: number) => boolean;
}) {
  const { t, i18n } = useTranslation();
  const missed = data.missedPercentToday ?? 0;
  return (
    <>
      <p className={hot('missed_percent_today', null, missed) ? 'analytics-hot' : ''}>
        {t('analytics.live.today', {
          requests: data.requestsToday,
          missed: formatPercent(data.missedPercentToday),
        })}
      </p>
      <h2>{t('analytics.live.queues')}</h2>
      {data.departments.length === 0 ? (
        <p className="muted">{t('analytics.live.noQueue')}</p>
      ) : (
        <table className="admin-table" aria-label={t('analytics.live.queues')}>
          <thead>
            <tr>
              <th scope="col">{t('analytics.live.department')}</th>
              <th scope="col">{t('analytics.live.queued')}</th>
              <th scope="col">{t('analytics.live.longestWait')}</th>
              <th scope="col">{t('analytics.live.averageWait')}</th>
            </tr>
          </thead>
          <tbody>
            {data.departments.map((d) => (
              <tr key={d.departmentId ?? 'none'}>
                <td>{d.name || t('analytics.live.noDepartment')}</td>
                <td className={hot('queue_length', d.departmentId, d.queued) ? 'analytics-hot' : ''}>
                  {d.queued}
                </td>
                <td
                  className={
                    hot('longest_wait_seconds', d.departmentId, Math.floor(d.longestWaitMs / 1000))
                      ? 'analytics-hot'
                      : ''
                  }
                >
                  {formatDuration(d.longestWaitMs, t)}
                </td>
                <td>{formatDuration(d.averageWaitMs, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('analytics.live.operators')}</h2>
      <table className="admin-table" aria-label={t('analytics.live.operators')}>
        <thead>
          <tr>
            <th scope="col">{t('analytics.live.operator')}</th>
            <th scope="col">{t('analytics.live.status')}</th>
            <th scope="col">{t('analytics.live.since')}</th>
            <th scope="col">{t('analytics.live.load')}</th>
          </tr>
        </thead>
        <tbody>
          {data.operators.map((o) => (
            <tr key={o.operatorId}>
              <td>{o.name}</td>
              <td>
                <span className={`presence-dot ${o.presence}`} />{' '}
                {t(`analytics.live.presence.${o.presence}`, o.presence)}
              </td>
              <td>{formatDuration(o.presenceSinceMs, t)}</td>
              <td className={o.capacity > 0 && o.active >= o.capacity ? 'analytics-hot' : ''}>
                {o.active}/{o.capacity}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {t('analytics.live.updated', { time: new Date(data.at).toLocaleTimeString(i18n.language) })}
      </p>
    </>
  );
}
