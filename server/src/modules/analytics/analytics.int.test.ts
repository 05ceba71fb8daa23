// Analytics over real HTTP on SQLite and PostgreSQL: a generated event log around a DST change
// whose answers the test computes from the plan; facts kept incrementally from a live conversation
// equal the ones rebuilt from the log; CSV; settings; access; live alerts to supervisors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnalyticsSettings,
  CsatReport,
  LiveAlert,
  LiveSnapshot,
  OperatorReport,
  RepeatReport,
  Report,
  SlaReport,
  Summary,
  TagReport,
} from '@frontline/protocol';
import {
  clientId,
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
import { catchUpAnalytics } from './recorder.js';
import {
  FIXTURE_ZONE,
  mean,
  percentile,
  planFixture,
  writeFixture,
  writePresence,
  type FixtureIds,
  type PlannedConversation,
} from './fixture.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;
let ids: FixtureIds;
let plan: PlannedConversation[];

const RANGE = 'from=2026-03-27&to=2026-03-30';

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  const users = await server.app.storage.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('workspace_id', '=', workspace.id)
    .execute();
  const departmentA = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Sales' });
  const departmentB = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Support' });
  ids = {
    workspaceId: workspace.id,
    operatorA: users.find((u) => u.role === 'operator')!.id,
    operatorB: users.find((u) => u.role === 'admin')!.id,
    departmentA: departmentA.id,
    departmentB: departmentB.id,
  };
  plan = planFixture(ids);
  await writeFixture(server.app.storage.db, ids, plan);
  await writePresence(server.app.storage.db, ids);
  await admin.json('PUT', '/api/analytics/settings', { timezone: FIXTURE_ZONE, sla: {} });
}, 120_000);
afterAll(() => server.close());

function expectedRow(rows: PlannedConversation[]) {
  const answered = rows.filter((r) => r.firstReplyMs !== null);
  const unanswered = rows.filter((r) => r.kind === 'abandoned' || r.kind === 'ignored');
  const intervals = rows.flatMap((r) => r.replyIntervals);
  return {
    requests: rows.length,
    firstTime: rows.filter((r) => r.firstTime).length,
    operatorMessages: rows.reduce((s, r) => s + r.operatorMessages, 0),
    visitorMessages: rows.reduce((s, r) => s + r.visitorMessages, 0),
    avgQueueMs: mean(rows.flatMap((r) => (r.queueMs === null ? [] : [r.queueMs]))),
    avgFirstReplyMs: mean(answered.map((r) => r.firstReplyMs!)),
    avgMissedWaitMs: mean(unanswered.map((r) => r.resolutionMs!)),
    avgReplyMs: mean(intervals),
    avgResolutionMs: mean(rows.flatMap((r) => (r.resolutionMs === null ? [] : [r.resolutionMs]))),
    dialogs: answered.length,
    answered: answered.length,
    within10: answered.filter((r) => r.firstReplyMs! <= 10_000).length,
    within20: answered.filter((r) => r.firstReplyMs! <= 20_000).length,
    within30: answered.filter((r) => r.firstReplyMs! <= 30_000).length,
    unanswered: unanswered.length,
    abandoned: rows.filter((r) => r.kind === 'abandoned').length,
    offline: rows.filter((r) => r.kind === 'offline').length,
    offerMisses: rows.filter((r) => r.missedBy).length,
    ratingsGood: rows.filter((r) => r.rating === 'good').length,
    ratingsBad: rows.filter((r) => r.rating === 'bad').length,
    proactive: rows.filter((r) => r.source === 'proactive').length,
  };
}

const groupBy = <K>(rows: PlannedConversation[], key: (r: PlannedConversation) => K) => {
  const map = new Map<K, PlannedConversation[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
};

describe('analytics reports on a generated log', () => {
  it('gives the daily report per Berlin day across the DST change, with totals', async () => {
    await admin.json('POST', '/api/analytics/rebuild');
    const report = await admin.json<Report>('GET', `/api/analytics/report?${RANGE}&group=day`);
    expect(report.timezone).toBe(FIXTURE_ZONE);
    const days = groupBy(plan, (r) => r.day);
    expect(report.rows.map((r) => r.key)).toEqual([...days.keys()].sort());
    for (const row of report.rows) expect(row).toEqual({ key: row.key, ...expectedRow(days.get(row.key)!) });
    expect(report.totals).toEqual({ key: 'total', ...expectedRow(plan) });
    // The conversations at 00:59:59Z and 01:00Z on the 29th are 01:59:59 CET and 03:00 CEST.
    const hours = await admin.json<Report>(
      'GET',
      `/api/analytics/report?from=2026-03-29&to=2026-03-29&group=hour`,
    );
    const byHour = groupBy(
      plan.filter((r) => r.day === '2026-03-29'),
      (r) => String(r.hour),
    );
    expect(hours.rows.map((r) => [r.key, r.requests])).toEqual(
      [...byHour].sort((a, b) => Number(a[0]) - Number(b[0])).map(([h, rows]) => [h, rows.length]),
    );
    expect(hours.rows.find((r) => r.key === '2')).toBeUndefined();
  });

  it('groups by operator, department, channel and weekday × hour, and filters', async () => {
    for (const [group, key] of [
      ['department', (r: PlannedConversation) => r.departmentId ?? ''],
      ['channel', (r: PlannedConversation) => r.channel],
    ] as const) {
      const report = await admin.json<Report>('GET', `/api/analytics/report?${RANGE}&group=${group}`);
      const expected = groupBy(plan, key);
      expect(report.rows.length).toBe(expected.size);
      for (const row of report.rows)
        expect(row).toEqual({ key: row.key, ...expectedRow(expected.get(row.key)!) });
    }
    const heat = await admin.json<Report>('GET', `/api/analytics/report?${RANGE}&group=weekday_hour`);
    expect(heat.rows.reduce((s, r) => s + r.requests, 0)).toBe(plan.length);
    // 2026-03-29 is a Sunday: weekday 6.
    expect(heat.rows.filter((r) => r.key.startsWith('6:')).reduce((s, r) => s + r.requests, 0)).toBe(
      plan.filter((r) => r.day === '2026-03-29').length,
    );
    const filtered = await admin.json<Report>(
      'GET',
      `/api/analytics/report?${RANGE}&channel=telegram&departmentId=${ids.departmentA}&tag=billing`,
    );
    expect(filtered.totals).toEqual({
      key: 'total',
      ...expectedRow(
        plan.filter(
          (r) => r.channel === 'telegram' && r.departmentId === ids.departmentA && r.tag === 'billing',
        ),
      ),
    });
  });

  it('computes mean, median and p90 and compares with the previous period', async () => {
    const summary = await admin.json<Summary>('GET', `/api/analytics/summary?from=2026-03-29&to=2026-03-30`);
    const current = plan.filter((r) => r.day >= '2026-03-29');
    const previous = plan.filter((r) => r.day >= '2026-03-27' && r.day <= '2026-03-28');
    const firstReplies = current.flatMap((r) => (r.firstReplyMs === null ? [] : [r.firstReplyMs]));
    expect(summary.current.firstReply).toEqual({
      mean: mean(firstReplies),
      median: percentile(firstReplies, 0.5),
      p90: percentile(firstReplies, 0.9),
      count: firstReplies.length,
    });
    const resolutions = current.flatMap((r) => (r.resolutionMs === null ? [] : [r.resolutionMs]));
    expect(summary.current.resolution.median).toBe(percentile(resolutions, 0.5));
    expect(summary.current.resolution.p90).toBe(percentile(resolutions, 0.9));
    expect(summary.previousFrom).toBe('2026-03-27');
    expect(summary.previousTo).toBe('2026-03-28');
    expect(summary.previous.totals.requests).toBe(previous.length);
    const unanswered = current.filter((r) => r.kind === 'abandoned' || r.kind === 'ignored').length;
    expect(summary.current.missedPercent).toBe(Math.round((unanswered / current.length) * 10_000) / 100);
  });

  it('reports operators with hours online from the status history (DST day has 23 hours)', async () => {
    const report = await admin.json<OperatorReport>('GET', `/api/analytics/operators?${RANGE}`);
    const a = report.rows.find((r) => r.operatorId === ids.operatorA)!;
    const b = report.rows.find((r) => r.operatorId === ids.operatorB)!;
    expect(a.onlineMs).toBe(9 * 3_600_000);
    expect(a.daysOnline).toBe(1);
    expect(b.onlineMs).toBe(2 * 3_600_000);
    for (const [row, id] of [
      [a, ids.operatorA],
      [b, ids.operatorB],
    ] as const) {
      const mine = plan.filter((r) => r.operatorId === id);
      expect(row.requests).toBe(mine.length);
      expect(row.avgFirstReplyMs).toBe(expectedRow(mine).avgFirstReplyMs);
      expect(row.ratingsGood).toBe(expectedRow(mine).ratingsGood);
      expect(row.offerMisses).toBe(plan.filter((r) => r.missedBy === id).length);
    }
  });

  it('reports topics, CSAT, repeat contacts and SLA compliance', async () => {
    const tags = await admin.json<TagReport>('GET', `/api/analytics/tags?${RANGE}`);
    for (const tag of ['billing', 'delivery'])
      expect(tags.tags.find((t) => t.tag === tag)?.count ?? 0).toBe(plan.filter((r) => r.tag === tag).length);

    const csat = await admin.json<CsatReport>('GET', `/api/analytics/csat?${RANGE}`);
    const good = plan.filter((r) => r.rating === 'good').length;
    const bad = plan.filter((r) => r.rating === 'bad').length;
    expect([csat.good, csat.bad]).toEqual([good, bad]);
    expect(csat.percent).toBe(Math.round((good / (good + bad)) * 10_000) / 100);
    expect(csat.comments.length).toBe(good + bad);

    const repeat = await admin.json<RepeatReport>('GET', `/api/analytics/repeat?${RANGE}&withinDays=1`);
    const contacts = new Set(plan.map((r) => r.contactId));
    const repeated = new Set(
      plan
        .filter((r) =>
          plan.some(
            (p) =>
              p.contactId === r.contactId &&
              p.createdAt < r.createdAt &&
              p.createdAt >= r.createdAt - 86_400_000,
          ),
        )
        .map((r) => r.contactId),
    );
    expect(repeat).toEqual({
      withinDays: 1,
      contacts: contacts.size,
      repeated: repeated.size,
      percent: Math.round((repeated.size / contacts.size) * 10_000) / 100,
    });

    const sla = await admin.json<SlaReport>('GET', `/api/analytics/sla?${RANGE}`);
    const firstReply = sla.items.find((i) => i.metric === 'firstReply')!;
    const meanSeconds = Math.round(expectedRow(plan).avgFirstReplyMs!) / 1000;
    expect(firstReply.target).toBe(15);
    expect(firstReply.value).toBeCloseTo(meanSeconds, 1);
    expect(firstReply.met).toBe(meanSeconds <= 15);
    const online = sla.items.find((i) => i.metric === 'onlineHours')!;
    expect(online.value).toBe(5.5); // (9 h + 2 h) over two operator-days
    expect(online.met).toBe(false);
    expect(online.trend).toBe('unknown');
  });

  it('exports CSV with the totals row and defuses formulas', async () => {
    const response = await admin.request('GET', `/api/analytics/export?${RANGE}&report=day`);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^key,requests,firstTime/);
    expect(lines.at(-1)).toMatch(new RegExp(`^total,${plan.length},`));
    const csat = await (await admin.request('GET', `/api/analytics/export?${RANGE}&report=csat`)).text();
    expect(csat).toContain("'=cmd|thanks");
    expect(csat).not.toMatch(/,=cmd/);
  });

  it('refuses operators, bad ranges and unknown zones with a message saying what to do', async () => {
    expect((await operator.request('GET', `/api/analytics/report?${RANGE}`)).status).toBe(403);
    const backwards = await admin.request('GET', '/api/analytics/report?from=2026-03-30&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('swap');
    const zone = await admin.request('PUT', '/api/analytics/settings', { timezone: 'Mars/Olympus', sla: {} });
    expect(zone.status).toBe(400);
    expect(await zone.text()).toContain('IANA');
  });

  it('re-buckets history when the time zone changes', async () => {
    await admin.json('PUT', '/api/analytics/settings', { timezone: 'UTC', sla: {} });
    const utc = await admin.json<Report>('GET', `/api/analytics/report?from=2026-03-26&to=2026-03-31`);
    const utcDays = groupBy(plan, (r) => new Date(r.createdAt).toISOString().slice(0, 10));
    expect(utc.rows.map((r) => [r.key, r.requests])).toEqual(
      [...utcDays].sort().map(([d, rows]) => [d, rows.length]),
    );
    await admin.json('PUT', '/api/analytics/settings', { timezone: FIXTURE_ZONE, sla: {} });
  });
});

describe('analytics kept as events arrive', () => {
  it('updates facts in the writing transaction, equal to a rebuild from the log', async () => {
    const fresh = await createWorkspace(server);
    const freshAdmin = await login(server, fresh.admin);
    const freshOperator = await login(server, fresh.operator);
    await freshOperator.json('PUT', '/api/me/presence', { presence: 'online' });
    const { conversation } = await visitorConversation(server, fresh.widgetKey, 'Where is my parcel?');
    await freshOperator.json('POST', `/api/conversations/${conversation.id}/take`);
    await freshOperator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'On its way',
      kind: 'text',
      fileIds: [],
    });
    await freshOperator.json('POST', `/api/conversations/${conversation.id}/tags`, { tag: 'Delivery' });
    await freshOperator.json('POST', `/api/conversations/${conversation.id}/resolve`);

    const db = server.app.storage.db;
    const live = await db
      .selectFrom('analytics_conversations')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(live.visitor_messages).toBe(1);
    expect(live.operator_messages).toBe(1);
    expect(live.first_reply_ms).not.toBeNull();
    expect(live.resolved_at).not.toBeNull();
    expect(live.unanswered).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const report = await freshAdmin.json<TagReport>('GET', `/api/analytics/tags?from=${today}&to=${today}`);
    expect(report.tags).toEqual([{ tag: 'delivery', count: 1 }]);

    await freshAdmin.json('POST', '/api/analytics/rebuild');
    const rebuilt = await db
      .selectFrom('analytics_conversations')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(normalise(rebuilt)).toEqual(normalise(live));
  });

  it('rebuilds on start the workspaces whose history predates analytics', async () => {
    const fresh = await createWorkspace(server);
    const db = server.app.storage.db;
    const users = await db.selectFrom('users').select('id').where('workspace_id', '=', fresh.id).execute();
    const history: FixtureIds = {
      workspaceId: fresh.id,
      operatorA: users[0]!.id,
      operatorB: users[1]!.id,
      departmentA: ids.departmentA,
      departmentB: ids.departmentB,
    };
    const older = planFixture(history, 12, 3).map((p) => ({ ...p, departmentId: null }));
    await writeFixture(db, history, older);
    expect(await catchUpAnalytics(db)).toEqual([fresh.id]);
    const rows = await db
      .selectFrom('analytics_conversations')
      .select('conversation_id')
      .where('workspace_id', '=', fresh.id)
      .execute();
    expect(rows).toHaveLength(12);
    expect(await catchUpAnalytics(db)).toEqual([]);
  });

  it('raises an alert to supervisors when a queue passes the threshold, and clears it', async () => {
    const fresh = await createWorkspace(server);
    const freshAdmin = await login(server, fresh.admin);
    const socket = await connected(freshAdmin.socket());
    const freshOperator = await login(server, fresh.operator);
    await freshOperator.json('PUT', '/api/me/presence', { presence: 'online' });
    const operatorSocket = await connected(freshOperator.socket());
    let operatorHeard = false;
    operatorSocket.on('analytics:alert', () => (operatorHeard = true));
    const receiver = await startReceiver();
    await freshAdmin.json('POST', '/api/webhooks', { url: receiver.url, eventTypes: ['analytics.alert'] });
    await freshAdmin.json<AnalyticsSettings>('PUT', '/api/analytics/settings', {
      timezone: 'UTC',
      sla: {},
      alertRules: [{ id: 'queue', metric: 'queue_length', threshold: 1 }],
    });
    const alert = nextEvent(socket, 'analytics:alert', (a: LiveAlert) => a.ruleId === 'queue');
    await visitorConversation(server, fresh.widgetKey, 'one');
    await visitorConversation(server, fresh.widgetKey, 'two');
    await server.app.analytics.monitor.check(fresh.id);
    const [raised] = await alert;
    expect(raised).toMatchObject({ metric: 'queue_length', value: 2, threshold: 1 });
    const snapshot = await freshAdmin.json<LiveSnapshot>('GET', '/api/analytics/live');
    expect(snapshot.departments.reduce((s, d) => s + d.queued, 0)).toBe(2);
    expect(snapshot.alerts.map((a) => a.ruleId)).toEqual(['queue']);
    // Raised once: a second check does not repeat it.
    let repeats = 0;
    socket.on('analytics:alert', () => (repeats += 1));
    await server.app.analytics.monitor.check(fresh.id);
    await freshAdmin.json('PUT', '/api/analytics/settings', {
      timezone: 'UTC',
      sla: {},
      alertRules: [{ id: 'queue', metric: 'queue_length', threshold: 5 }],
    });
    expect((await freshAdmin.json<LiveSnapshot>('GET', '/api/analytics/live')).alerts).toEqual([]);
    expect(repeats).toBe(0);
    expect(operatorHeard).toBe(false);
    const hook = await waitFor(() => receiver.received.find((r) => r.event.type === 'analytics.alert'));
    expect(hook.event.data).toMatchObject({ ruleId: 'queue', value: 2 });
    expect(receiver.received.filter((r) => r.event.type === 'analytics.alert')).toHaveLength(1);
    await receiver.close();
    socket.disconnect();
    operatorSocket.disconnect();
  });
});

/** Engines return bigint columns as strings or numbers; compare values. */
function normalise(row: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
  );
}
