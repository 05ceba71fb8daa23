// Live monitoring: queues, waits and operators' load now, and the admins' alert rules and the
// supervisors' widget cells checked against their thresholds. A crossed threshold is raised once (a
// row in analytics_alert_state, so several nodes do not raise it twice) and sent to the
// workspace's supervisors and admins over Socket.IO.
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  ANALYTICS_ALERT_EVENT,
  type AlertRule,
  type AnalyticsSettings,
  type LiveAlert,
  type LiveMetric,
  type LiveSnapshot,
  type WidgetTable,
} from '@frontline/protocol';
import type { RealtimeNamespace } from '../../realtime/hub.js';
import type { Database } from '../../storage/schema.js';
import { readSettings } from './settings.js';
import { localToday } from './time.js';
import {
  isWidgetAlertId,
  WAITING_STATUSES,
  widgetAlert,
  widgetAlertId,
  widgetTables,
  widgetWatches,
} from './widgets.js';

/** Sends a raised alert to the workspace's webhooks, in the transaction that raises it. */
export type AlertWebhook = (
  trx: Transaction<Database>,
  workspaceId: string,
  alert: LiveAlert,
) => Promise<void>;

export const supervisorsRoom = (workspaceId: string) => `w:${workspaceId}:sup`;

/**
 * The monitoring page's figures now. `known` takes what the caller has already read at `now` (the
 * alert check reads both anyway), so it is not read twice.
 */
export async function liveSnapshot(
  db: Kysely<Database>,
  workspaceId: string,
  now: number,
  known: { settings?: AnalyticsSettings; tables?: WidgetTable[] } = {},
): Promise<LiveSnapshot> {
  const settings = known.settings ?? (await readSettings(db, workspaceId));
  const today = localToday(now, settings.timezone);
  const [queues, departments, operators, todayRow, states] = await Promise.all([
    db
      .selectFrom('conversations')
      .select([
        'department_id',
        sql<number>`count(*)`.as('queued'),
        sql<number | null>`min(queued_at)`.as('oldest'),
        sql<number | null>`avg(queued_at)`.as('meanQueuedAt'),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('status', 'in', WAITING_STATUSES)
      .groupBy('department_id')
      .execute(),
    db.selectFrom('departments').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db
      .selectFrom('users')
      .select(['id', 'name', 'presence', 'active_count', 'capacity', 'presence_changed_at'])
      .where('workspace_id', '=', workspaceId)
      .where('disabled_at', 'is', null)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('analytics_conversations')
      .select([sql<number>`count(*)`.as('requests'), sql<number>`sum(unanswered)`.as('unanswered')])
      .where('workspace_id', '=', workspaceId)
      .where('local_day', '=', today)
      .executeTakeFirstOrThrow(),
    db.selectFrom('analytics_alert_state').selectAll().where('workspace_id', '=', workspaceId).execute(),
  ]);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const requestsToday = Number(todayRow.requests ?? 0);
  const unansweredToday = Number(todayRow.unanswered ?? 0);
  const rules = new Map(settings.alertRules.map((r) => [r.id, r]));
  const widgetCells = states.some((s) => isWidgetAlertId(s.rule_id))
    ? new Map(
        (known.tables ?? (await widgetTables(db, workspaceId, now, settings.timezone))).flatMap(
          ({ widget, cells }) =>
            cells.map((cell) => [widgetAlertId(widget, cell), { widget, cell }] as const),
        ),
      )
    : new Map();
  return {
    at: now,
    departments: queues.map((q) => ({
      departmentId: q.department_id,
      name: q.department_id ? (names.get(q.department_id) ?? '') : '',
      queued: Number(q.queued),
      longestWaitMs: q.oldest === null ? 0 : Math.max(0, now - Number(q.oldest)),
      averageWaitMs: q.meanQueuedAt === null ? 0 : Math.max(0, Math.round(now - Number(q.meanQueuedAt))),
    })),
    operators: operators.map((o) => ({
      operatorId: o.id,
      name: o.name,
      presence: o.presence,
      active: Number(o.active_count),
      capacity: Number(o.capacity),
      presenceSinceMs:
        Number(o.presence_changed_at) > 0 ? Math.max(0, now - Number(o.presence_changed_at)) : null,
    })),
    requestsToday,
    missedPercentToday:
      requestsToday === 0 ? null : Math.round((unansweredToday / requestsToday) * 10_000) / 100,
    alerts: states.flatMap((s) => {
      const rule = rules.get(s.rule_id);
      if (rule) return [toAlert(rule, Number(s.value), Number(s.since))];
      const raised = widgetCells.get(s.rule_id);
      return raised
        ? [{ ...widgetAlert(raised.widget, raised.cell, Number(s.since)), value: Number(s.value) }]
        : [];
    }),
  };
}

function toAlert(rule: AlertRule, value: number, since: number): LiveAlert {
  return {
    ruleId: rule.id,
    metric: rule.metric,
    departmentId: rule.departmentId,
    value,
    threshold: rule.threshold,
    direction: rule.direction,
    since,
  };
}

/** The rule's metric now, for its department or the whole workspace. */
export function metricValue(snapshot: LiveSnapshot, metric: LiveMetric, departmentId: string | null): number {
  const queues = snapshot.departments.filter((d) => departmentId === null || d.departmentId === departmentId);
  switch (metric) {
    case 'queue_length':
      return queues.reduce((sum, d) => sum + d.queued, 0);
    case 'longest_wait_seconds':
      return Math.floor(Math.max(0, ...queues.map((d) => d.longestWaitMs)) / 1000);
    case 'missed_percent_today':
      return snapshot.missedPercentToday ?? 0;
    case 'operators_online':
      return snapshot.operators.filter((o) => o.presence === 'online').length;
    case 'load_percent': {
      const online = snapshot.operators.filter((o) => o.presence === 'online');
      const capacity = online.reduce((sum, o) => sum + o.capacity, 0);
      return capacity === 0 ? 0 : Math.round((online.reduce((sum, o) => sum + o.active, 0) / capacity) * 100);
    }
  }
}

export const breaches = (rule: AlertRule, value: number): boolean =>
  rule.direction === 'above' ? value > rule.threshold : value < rule.threshold;

/** Checks every workspace's rules on a timer; raises and clears alerts. */
export class AlertMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly operators: RealtimeNamespace,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly webhook: AlertWebhook = async () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over the workspaces that have rules or widgets. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const rows = await this.db
        .selectFrom('analytics_settings')
        .select('workspace_id')
        .where('settings', 'like', '%"alertRules":[{%')
        .union(this.db.selectFrom('analytics_widgets').select('workspace_id'))
        .execute();
      for (const row of rows) await this.check(row.workspace_id);
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }

  /** Public so that a change of rules or widgets checks at once. */
  async check(workspaceId: string): Promise<void> {
    const now = Date.now();
    const settings = await readSettings(this.db, workspaceId);
    const tables = await widgetTables(this.db, workspaceId, now, settings.timezone);
    const snapshot = await liveSnapshot(this.db, workspaceId, now, { settings, tables });
    const watches = [
      ...settings.alertRules.map((rule) => {
        const value = metricValue(snapshot, rule.metric, rule.departmentId);
        return { id: rule.id, alert: breaches(rule, value) ? toAlert(rule, value, now) : null };
      }),
      ...widgetWatches(tables, now),
    ];
    const watched = watches.map((w) => w.id);
    // Rules, widgets and cells gone since: their raised state goes too.
    let stale = this.db.deleteFrom('analytics_alert_state').where('workspace_id', '=', workspaceId);
    if (watched.length > 0) stale = stale.where('rule_id', 'not in', watched);
    await stale.execute();
    for (const { id, alert } of watches) {
      if (!alert) {
        await this.db
          .deleteFrom('analytics_alert_state')
          .where('workspace_id', '=', workspaceId)
          .where('rule_id', '=', id)
          .execute();
        continue;
      }
      const raised = await this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('analytics_alert_state')
          .values({ workspace_id: workspaceId, rule_id: id, since: now, value: alert.value })
          .onConflict((oc) => oc.columns(['workspace_id', 'rule_id']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await this.webhook(trx, workspaceId, alert);
        return true;
      });
      if (raised) this.operators.to(supervisorsRoom(workspaceId)).emit(ANALYTICS_ALERT_EVENT, alert);
    }
  }
}
