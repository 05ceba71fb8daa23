// Threshold alerts wherever a supervisor or admin is in the workspace (the workspace shows this to
// them only), not only on the monitoring page: a banner names the metric, its value and the
// threshold, and opens the monitoring page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LiveAlert } from '@frontline/protocol';
import { chime, soundEnabled } from '../inbox/notifications.js';
import { useRealtime } from '../realtime/context.js';
import { alertText } from './alert-text.js';

export function LiveAlerts() {
  const { t } = useTranslation();
  const realtime = useRealtime();
  // Newest first; an alert is raised once per crossing, so each one is news.
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  useEffect(
    () =>
      realtime.onAnalyticsAlert((alert) => {
        setAlerts((list) => [alert, ...list].slice(0, 20));
        if (soundEnabled()) chime();
      }),
    [realtime],
  );
  const newest = alerts[0];
  if (!newest) return null;
  const dismiss = () => setAlerts([]);
  return (
    <div className="live-alert" role="alert" data-testid="live-alert">
      <span>
        {alertText(newest, t)}
        {alerts.length > 1 && ` (+${alerts.length - 1})`}
      </span>
      <Link to="/admin/monitoring" onClick={dismiss}>
        {t('analytics.live.open')}
      </Link>
      <button type="button" className="ghost" onClick={dismiss}>
        {t('analytics.live.dismiss')}
      </button>
    </div>
  );
}
