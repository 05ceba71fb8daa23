// Wiring of analytics into the app: the recorder observes every stored event and message, the
// alert monitor runs on a timer, and supervisors' sockets join the room alerts go to.
import type { FastifyBaseLogger } from 'fastify';
import type { HttpApp } from '../../http.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Storage } from '../../storage/database.js';
import type { OperatorPrincipal } from '../auth/principal.js';
import type { AuthService } from '../auth/service.js';
import { principalOf } from '../auth/socket-auth.js';
import type { ConversationService } from '../conversations/service.js';
import { AlertMonitor, supervisorsRoom, type AlertWebhook } from './live.js';
import { catchUpAnalytics, recordForAnalytics } from './recorder.js';
import { analyticsRoutes } from './routes.js';
import { AnalyticsService } from './service.js';
import { widgetRoutes } from './widget-routes.js';

export const ALERT_CHECK_INTERVAL_MS = 5_000;

export interface Analytics {
  service: AnalyticsService;
  monitor: AlertMonitor;
  /** Starts the alert monitor and, in the background, rebuilds workspaces whose history predates analytics. */
  start(): void;
  stop(): void;
}

export function setUpAnalytics(
  http: HttpApp,
  storage: Storage,
  hub: RealtimeHub,
  deps: {
    auth: AuthService;
    conversations: ConversationService;
    log: FastifyBaseLogger;
    webhook: AlertWebhook;
  },
): Analytics {
  const service = new AnalyticsService(storage.db);
  const monitor = new AlertMonitor(
    storage.db,
    hub.operators,
    ALERT_CHECK_INTERVAL_MS,
    (error) => deps.log.error({ err: error }, 'analytics alert check failed'),
    deps.webhook,
  );
  service.attachMonitor(monitor);
  deps.conversations.onRecorded(recordForAnalytics);
  analyticsRoutes(http, deps.auth, service);
  widgetRoutes(http, deps.auth, service);
  hub.operators.on('connection', (socket) => {
    const operator = principalOf<OperatorPrincipal>(socket);
    if (operator.role === 'admin' || operator.role === 'supervisor')
      void socket.join(supervisorsRoom(operator.workspaceId));
  });
  return {
    service,
    monitor,
    start: () => {
      monitor.start();
      catchUpAnalytics(storage.db).then(
        (rebuilt) => {
          if (rebuilt.length > 0)
            deps.log.info({ workspaces: rebuilt }, 'analytics rebuilt from the event log');
        },
        (error: unknown) =>
          deps.log.error({ err: error }, 'analytics catch-up failed; run POST /api/analytics/rebuild'),
      );
    },
    stop: () => monitor.stop(),
  };
}
