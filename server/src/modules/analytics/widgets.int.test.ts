// Live-monitoring widgets over real HTTP on SQLite and PostgreSQL: the tables equal the values the
// test groups itself from the stored rows; bad definitions get a 400 that names the fix; operators
// may not read or compose them; a cell reaching its alert value raises one alert (socket, webhook,
// snapshot) that clears with the widget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveAlert, LiveSnapshot, MonitorWidget, WidgetInput, WidgetTables } from '@frontline/protocol';
import {
  connected,
  createWorkspace,
  login,
  nextEvent,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { startReceiver, waitFor } from '../../test/webhook-receiver.js';

let server: TestServer;
let workspace: TestWorkspace;
let supervisor: StaffClient;
let operator: StaffClient;
let sales: string;
let support: string;
let conversationIds: string[];

const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  const admin = await login(server, workspace.admin);
  const credentials = { email: `sup-${workspace.id}@test.local`, password: 'supervisor-password-1' };
  await server.app.services.operators.create(workspace.id, {
    ...credentials,
    name: 'Sveta',
    role: 'supervisor',
    locale: 'en',
  });
  supervisor = await login(server, credentials);
  operator = await login(server, workspace.operator);
  sales = (await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Sales' })).id;
  support = (await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Support' })).id;
  await operator.json('PUT', '/api/me/presence', { presence: 'online' });
  conversationIds = [];
  for (const text of ['one', 'two', 'three', 'four'])
    conversationIds.push((await visitorConversation(server, workspace.widgetKey, text)).conversation.id);
  // Spread them over departments, ages and outcomes, as the test then reads them back.
  const db = server.app.storage.db;
  const now = Date.now();
  const [a, b, c, d] = conversationIds as [string, string, string, string];
  await db
    .updateTable('conversations')
    .set({ department_id: sales, queued_at: now - 90_000 })
    .where('id', '=', a)
    .execute();
  await db
    .updateTable('conversations')
    .set({ department_id: sales, queued_at: now - 30_000 })
    .where('id', '=', b)
    .execute();
  await db.updateTable('conversations').set({ department_id: support }).where('id', '=', c).execute();
  await db
    .updateTable('conversations')
    .set({ status: 'resolved', created_at: now - 2 * HOUR, queued_at: null })
    .where('id', '=', d)
    .execute();
  const facts = [
    { id: a, department_id: sales, queue_ms: 20_000, unanswered: 0, created_at: now - 10 * 60_000 },
    { id: b, department_id: sales, queue_ms: 41_000, unanswered: 0, created_at: now - 20 * 60_000 },
    { id: c, department_id: support, queue_ms: null, unanswered: 1, created_at: now - 30 * 60_000 },
    { id: d, department_id: support, queue_ms: 99_000, unanswered: 1, created_at: now - 2 * HOUR },
  ];
  for (const { id, ...fact } of facts)
    await db.updateTable('analytics_conversations').set(fact).where('conversation_id', '=', id).execute();
}, 60_000);
afterAll(() => server.close());

async function withWidget(input: WidgetInput): Promise<WidgetTables['widgets'][number]> {
  const widget = await supervisor.json<MonitorWidget>('POST', '/api/analytics/widgets', input);
  const tables = await supervisor.json<WidgetTables>('GET', '/api/analytics/widgets');
  await supervisor.request('DELETE', `/api/analytics/widgets/${widget.id}`);
  return tables.widgets.find((t) => t.widget.id === widget.id)!;
}

const cellsOf = (table: WidgetTables['widgets'][number]) =>
  Object.fromEntries(table.cells.map((c) => [c.key, c.value]));

/** Groups rows by key in the test, not in SQL. */
function tally<T>(rows: T[], key: (r: T) => string, value: (group: T[]) => number) {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return Object.fromEntries([...groups].map(([k, group]) => [k, value(group)]));
}

describe('monitoring widgets', () => {
  it('computes each metric per group as the stored rows give it', async () => {
    const db = server.app.storage.db;
    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'status', 'department_id', 'channel', 'assignee_id', 'queued_at', 'created_at'])
      .where('workspace_id', '=', workspace.id)
      .execute();
    const now = Date.now();
    const waiting = rows.filter((r) => r.status === 'queued' || r.status === 'offered');
    expect(waiting.length).toBe(3);
    const dept = (r: { department_id: string | null }) => r.department_id ?? '';

    const queue = await withWidget({ metric: 'queue_length', groupBy: 'department', alert: 5 });
    expect(cellsOf(queue)).toEqual(tally(waiting, dept, (g) => g.length));
    expect(queue.cells.map((c) => c.label)).toEqual(['Sales', 'Support']);
    expect(queue.cells.every((c) => c.state === 'ok')).toBe(true);

    const longest = await withWidget({ metric: 'longest_wait_seconds', groupBy: 'department', warning: 60 });
    const expectedLongest = tally(waiting, dept, (g) =>
      Math.floor((now - Math.min(...g.map((r) => Number(r.queued_at)))) / 1000),
    );
    expect(longest.cells.find((c) => c.key === sales)).toMatchObject({ state: 'warning' });
    for (const cell of longest.cells)
      expect(Math.abs(cell.value - expectedLongest[cell.key]!)).toBeLessThanOrEqual(2);

    const byState = await withWidget({ metric: 'conversations', groupBy: 'state', window: '1h' });
    const recent = rows.filter((r) => Number(r.created_at) >= now - HOUR);
    expect(recent.length).toBe(3);
    expect(cellsOf(byState)).toEqual(
      tally(
        recent,
        (r) => r.status,
        (g) => g.length,
      ),
    );
    const byState24 = await withWidget({ metric: 'conversations', groupBy: 'state', window: '24h' });
    expect(cellsOf(byState24)).toEqual(
      tally(
        rows,
        (r) => r.status,
        (g) => g.length,
      ),
    );

    const byOperator = await withWidget({ metric: 'conversations', groupBy: 'operator', window: 'today' });
    const today = rows.filter((r) => Number(r.created_at) >= new Date(now).setUTCHours(0, 0, 0, 0));
    expect(cellsOf(byOperator)).toEqual(
      tally(
        today,
        (r) => r.assignee_id ?? '',
        (g) => g.length,
      ),
    );

    const facts = await db
      .selectFrom('analytics_conversations')
      .select(['department_id', 'queue_ms', 'unanswered', 'created_at', 'channel'])
      .where('workspace_id', '=', workspace.id)
      .execute();
    const lastHour = facts.filter((f) => Number(f.created_at) >= now - HOUR);
    const average = await withWidget({
      metric: 'average_wait_seconds',
      groupBy: 'department',
      window: '1h',
      warning: 30,
      alert: 31,
    });
    const withQueue = lastHour.filter((f) => f.queue_ms !== null);
    expect(cellsOf(average)).toEqual(
      tally(withQueue, dept, (g) =>
        Math.round(g.reduce((s, f) => s + Number(f.queue_ms), 0) / g.length / 1000),
      ),
    );
    expect(average.cells.find((c) => c.key === sales)).toMatchObject({ value: 31, state: 'alert' });

    const missed = await withWidget({ metric: 'missed', groupBy: 'department', window: '24h' });
    expect(cellsOf(missed)).toEqual(
      tally(facts, dept, (g) => g.reduce((s, f) => s + Number(f.unanswered), 0)),
    );
    const missedByChannel = await withWidget({ metric: 'missed', groupBy: 'channel', window: '1h' });
    expect(cellsOf(missedByChannel)).toEqual({ widget: 1 });

    const load = await withWidget({
      metric: 'load_percent',
      groupBy: 'operator',
      direction: 'below',
      alert: 10,
    });
    const users = await db
      .selectFrom('users')
      .select(['id', 'name', 'active_count', 'capacity', 'presence'])
      .where('workspace_id', '=', workspace.id)
      .where('presence', '!=', 'offline')
      .execute();
    expect(load.cells.map((c) => c.label)).toEqual(users.map((u) => u.name).sort());
    for (const user of users)
      expect(cellsOf(load)[user.id]).toBe(
        Math.round((Number(user.active_count) / Number(user.capacity)) * 100),
      );
  });

  it('refuses definitions it cannot compute, with a message naming the fix', async () => {
    const refused = async (body: unknown, fragment: string) => {
      const response = await supervisor.request('POST', '/api/analytics/widgets', body);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(fragment);
    };
    await refused({ metric: 'happiness', groupBy: 'department' }, 'metric');
    await refused({ metric: 'load_percent', groupBy: 'department' }, 'group it by operator');
    await refused({ metric: 'queue_length', groupBy: 'operator' }, 'cannot be grouped by operator');
    await refused({ metric: 'missed', groupBy: 'channel' }, 'counted over a window');
    await refused({ metric: 'queue_length', groupBy: 'channel', window: '6h' }, 'takes no window');
    await refused({ metric: 'conversations', groupBy: 'channel', window: '2h' }, 'window');
    await refused(
      { metric: 'queue_length', groupBy: 'state', warning: 5, alert: 3 },
      'warning value must come before',
    );
    await refused({ metric: 'queue_length', groupBy: 'state', alert: -1 }, 'alert');
    const missing = await supervisor.request('PUT', `/api/analytics/widgets/${conversationIds[0]}`, {
      metric: 'queue_length',
      groupBy: 'state',
    });
    expect(missing.status).toBe(404);
  });

  it('lets supervisors and admins compose widgets, not operators', async () => {
    expect((await operator.request('GET', '/api/analytics/widgets')).status).toBe(403);
    const body = { metric: 'queue_length', groupBy: 'channel' };
    expect((await operator.request('POST', '/api/analytics/widgets', body)).status).toBe(403);
    const widget = await supervisor.json<MonitorWidget>('POST', '/api/analytics/widgets', body);
    expect((await operator.request('DELETE', `/api/analytics/widgets/${widget.id}`)).status).toBe(403);
    const edited = await supervisor.json<MonitorWidget>('PUT', `/api/analytics/widgets/${widget.id}`, {
      ...body,
      title: 'Per channel',
      alert: 9,
    });
    expect(edited).toMatchObject({ id: widget.id, title: 'Per channel', alert: 9, window: null });
    // Another workspace does not see it.
    const other = await login(server, (await createWorkspace(server)).admin);
    expect((await other.json<WidgetTables>('GET', '/api/analytics/widgets')).widgets).toEqual([]);
    expect((await other.request('DELETE', `/api/analytics/widgets/${widget.id}`)).status).toBe(404);
    expect((await supervisor.request('DELETE', `/api/analytics/widgets/${widget.id}`)).status).toBe(204);
    expect((await supervisor.json<WidgetTables>('GET', '/api/analytics/widgets')).widgets).toEqual([]);
  });

  it('raises a cell reaching its alert value once, to supervisors and webhooks, and clears it', async () => {
    const admin = await login(server, workspace.admin);
    const socket = await connected(supervisor.socket());
    const operatorSocket = await connected(operator.socket());
    let operatorHeard = false;
    operatorSocket.on('analytics:alert', () => (operatorHeard = true));
    const receiver = await startReceiver();
    await admin.json('POST', '/api/webhooks', { url: receiver.url, eventTypes: ['analytics.alert'] });
    const heard = nextEvent(socket, 'analytics:alert', (a: LiveAlert) => a.widget?.key === sales);
    const widget = await supervisor.json<MonitorWidget>('POST', '/api/analytics/widgets', {
      title: 'Queues',
      metric: 'queue_length',
      groupBy: 'department',
      warning: 1,
      alert: 2,
    });
    const [alert] = await heard;
    expect(alert).toMatchObject({
      metric: 'queue_length',
      departmentId: sales,
      value: 2,
      threshold: 2,
      widget: { widgetId: widget.id, title: 'Queues', groupBy: 'department', key: sales, label: 'Sales' },
    });
    let repeats = 0;
    socket.on('analytics:alert', () => (repeats += 1));
    await server.app.analytics.monitor.check(workspace.id);
    await server.app.analytics.monitor.tick();
    const snapshot = await supervisor.json<LiveSnapshot>('GET', '/api/analytics/live');
    expect(snapshot.alerts).toEqual([{ ...alert, since: alert.since }]);
    const tables = await supervisor.json<WidgetTables>('GET', '/api/analytics/widgets');
    expect(tables.widgets[0]!.cells.map((c) => [c.label, c.state])).toEqual([
      ['Sales', 'alert'],
      ['Support', 'warning'],
    ]);
    const hook = await waitFor(() => receiver.received.find((r) => r.event.type === 'analytics.alert'));
    expect(hook.event.data).toMatchObject({ ruleId: alert.ruleId, value: 2 });
    expect(receiver.received.filter((r) => r.event.type === 'analytics.alert')).toHaveLength(1);
    expect(repeats).toBe(0);
    expect(operatorHeard).toBe(false);
    // The timer's pass finds the workspace by its widgets alone (it has no rules).
    const db = server.app.storage.db;
    const raisedIds = () =>
      db
        .selectFrom('analytics_alert_state')
        .select('rule_id')
        .where('workspace_id', '=', workspace.id)
        .execute();
    await db.deleteFrom('analytics_alert_state').where('workspace_id', '=', workspace.id).execute();
    await server.app.analytics.monitor.tick();
    expect(await raisedIds()).toEqual([{ rule_id: alert.ruleId }]);
    // Raising the alert value clears the raised alert.
    await supervisor.json('PUT', `/api/analytics/widgets/${widget.id}`, {
      metric: 'queue_length',
      groupBy: 'department',
      alert: 3,
    });
    expect((await supervisor.json<LiveSnapshot>('GET', '/api/analytics/live')).alerts).toEqual([]);
    expect(await raisedIds()).toEqual([]);
    await supervisor.request('DELETE', `/api/analytics/widgets/${widget.id}`);
    await receiver.close();
    socket.disconnect();
    operatorSocket.disconnect();
  });
});
