// The bot report over real HTTP on SQLite and PostgreSQL: a generated event log of bot runs and
// detected intents around a Berlin midnight, whose answers the test computes from its own plan.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOT_HANDOFF_REASONS,
  type BotFlowInput,
  type BotHandoffReason,
  type BotReport,
  type Message,
} from '@frontline/protocol';
import { botChat, until } from '../../test/bot-chat.js';
import { createWorkspace, login, type StaffClient } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { foldBotFacts } from '../../storage/migrations/0035_analytics_bot_facts.js';
import { insertHistoryContacts, insertHistoryConversation, type HistoryEvent } from './fixture.js';
import { prng } from './prng.js';

const ZONE = 'Europe/Berlin';
const RANGE = 'from=2026-03-27&to=2026-03-30';
const START = Date.parse('2026-03-26T23:00:00Z');
const END = Date.parse('2026-03-30T21:00:00Z');

type Outcome = 'none' | 'contained' | 'handed_over' | 'taken_over' | 'running';
type IntentAction = 'none' | 'route' | 'knowledge' | 'non_target' | 'legacy';

interface Planned {
  id: string;
  createdAt: number;
  day: string;
  channel: 'widget' | 'telegram';
  departmentId: string | null;
  outcome: Outcome;
  reason: BotHandoffReason | null;
  /** Assigned before a keyword flow started (not a take-over). */
  assignedBefore: boolean;
  /** Handed over and assigned in the same millisecond (the hand-off wins). */
  tie: boolean;
  botTag: boolean;
  operatorTag: boolean;
  intent: IntentAction;
  nonTargetClosed: boolean;
}

const dayOf = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

let server: TestServer;
let admin: StaffClient;
let supervisor: StaffClient;
let operator: StaffClient;
let departments: [string, string];
let plan: Planned[];

function planLog(count: number): Planned[] {
  const random = prng(11);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const times = Array.from({ length: count }, () => Math.floor(START + random() * (END - START)));
  // Either side of Berlin midnight between the 28th and the 29th; the first one's bot events
  // happen after midnight and still count on the 28th, its creation day.
  times[0] = Date.parse('2026-03-28T22:59:59Z');
  times[1] = Date.parse('2026-03-28T23:00:00Z');
  times.sort((a, b) => a - b);
  return times.map((createdAt, i) => {
    const outcome =
      i < 2
        ? 'contained'
        : pick(['none', 'contained', 'contained', 'handed_over', 'taken_over', 'running'] as const);
    const bot = outcome !== 'none';
    const intent = pick(['none', 'route', 'knowledge', 'non_target', 'non_target', 'legacy'] as const);
    return {
      id: randomUUID(),
      createdAt,
      day: dayOf.format(createdAt),
      channel: pick(['widget', 'telegram'] as const),
      departmentId: pick([departments[0], departments[1], null]),
      outcome,
      reason: outcome === 'handed_over' ? pick(BOT_HANDOFF_REASONS) : null,
      assignedBefore: (outcome === 'contained' || outcome === 'taken_over') && random() < 0.4,
      tie: outcome === 'handed_over' && random() < 0.3,
      botTag: bot && outcome !== 'taken_over' && random() < 0.5,
      operatorTag: random() < 0.3,
      intent,
      nonTargetClosed: intent === 'non_target' && !bot && random() < 0.6,
    };
  });
}

type EventDraft = HistoryEvent & { actor: [string, string | null] };

/** The conversation's events, as the bots, the assistant and operators write them. */
function eventsOf(p: Planned, operatorId: string): EventDraft[] {
  const c = p.createdAt;
  const flow: [string, string] = ['api', 'bot:flow-1'];
  const system: [string, null] = ['system', null];
  const person: [string, string] = ['operator', operatorId];
  const events: EventDraft[] = [
    { type: 'created', at: c, data: { source: 'visitor' }, actor: ['visitor', null] },
  ];
  const assigned = (at: number): EventDraft => ({
    type: 'assigned',
    at,
    data: { from: 'queued', assignee_id: operatorId },
    actor: person,
  });
  if (p.outcome === 'none') events.push({ type: 'queued', at: c, data: {}, actor: system });
  else {
    const startAt = p.assignedBefore ? c + 1000 : c;
    if (p.assignedBefore) events.push(assigned(c + 10));
    events.push({ type: 'bot_started', at: startAt, data: { flowId: 'flow-1', version: 1 }, actor: flow });
    if (p.botTag) events.push({ type: 'tag_added', at: startAt + 2000, data: { tag: 'menu' }, actor: flow });
    if (p.outcome === 'contained') {
      events.push({ type: 'bot_finished', at: startAt + 3000, data: { reason: 'closed' }, actor: flow });
      events.push({ type: 'resolved', at: startAt + 3000, data: { from: 'bot' }, actor: flow });
    }
    if (p.outcome === 'handed_over') {
      const at = startAt + 4000;
      events.push({
        type: 'bot_handed_over',
        at,
        data: { reason: p.reason, departmentId: null },
        actor: flow,
      });
      events.push({ type: 'queued', at, data: {}, actor: flow });
      events.push(assigned(p.tie ? at : at + 5000));
      // A later run of a keyword flow ends differently: only the first end counts.
      events.push({ type: 'bot_finished', at: at + 9000, data: { reason: 'closed' }, actor: flow });
    }
    if (p.outcome === 'taken_over') {
      events.push(assigned(startAt + 1500));
      events.push({ type: 'bot_handed_over', at: startAt + 8000, data: { reason: 'flow' }, actor: flow });
    }
  }
  if (p.operatorTag) {
    events.push({ type: 'tag_added', at: c + 500, data: { tag: 'vip' }, actor: person });
    // An integration's API token tags too: not a menu choice.
    events.push({ type: 'tag_added', at: c + 600, data: { tag: 'crm' }, actor: ['api', 'token-1'] });
  }
  if (p.intent !== 'none') {
    const data = { intent: 'laminate', intentId: 'i', confidence: 0.9, modelVersion: 1 };
    events.push({
      type: 'intent_detected',
      at: c + 700,
      // Events written before the action was recorded have none.
      data: p.intent === 'legacy' ? data : { ...data, action: p.intent },
      actor: system,
    });
  }
  if (p.nonTargetClosed)
    events.push({ type: 'resolved', at: c + 900, data: { from: 'queued', by: 'bot' }, actor: system });
  else if (p.outcome === 'none' || p.outcome === 'taken_over')
    events.push({ type: 'resolved', at: c + 60_000, data: { from: 'assigned' }, actor: person });
  return events;
}

async function writeLog(workspaceId: string, operatorId: string): Promise<void> {
  const db = server.app.storage.db;
  const contactId = randomUUID();
  await insertHistoryContacts(db, workspaceId, [contactId], START);
  for (const p of plan) {
    const conversation = {
      id: p.id,
      workspaceId,
      contactId,
      channel: p.channel,
      status: 'resolved',
      departmentId: p.departmentId,
      assigneeId: null,
      lastSeq: 0,
      createdAt: p.createdAt,
      resolvedAt: p.createdAt,
    };
    await insertHistoryConversation(db, conversation, eventsOf(p, operatorId));
  }
}

/** The report's row for these conversations, counted from the plan. */
function expected(rows: Planned[], day: string | null) {
  const bot = rows.filter((p) => p.outcome !== 'none');
  const handed = bot.filter((p) => p.outcome === 'handed_over');
  const byReason = (reason: BotHandoffReason) => handed.filter((p) => p.reason === reason).length;
  const contained = bot.filter((p) => p.outcome === 'contained').length;
  return {
    day,
    requests: rows.length,
    botStarted: bot.length,
    contained,
    handedOver: handed.length,
    handedOverByReason: Object.fromEntries(BOT_HANDOFF_REASONS.map((r) => [r, byReason(r)])),
    takenOver: bot.filter((p) => p.outcome === 'taken_over').length,
    completed: contained + byReason('flow'),
    askedForPerson: byReason('asked_for_person'),
    choseOption: bot.filter((p) => p.botTag).length,
    intentDetected: rows.filter((p) => p.intent !== 'none').length,
    nonTarget: rows.filter((p) => p.intent === 'non_target').length,
    nonTargetClosed: rows.filter((p) => p.nonTargetClosed).length,
  };
}

function byDay(rows: Planned[]) {
  const days = [...new Set(rows.map((p) => p.day))].sort();
  return days.map((day) =>
    expected(
      rows.filter((p) => p.day === day),
      day,
    ),
  );
}

beforeAll(async () => {
  server = await startTestServer();
  const workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  const boss = { email: `supervisor-${randomUUID()}@test.local`, password: 'supervisor-password-1' };
  await server.app.services.operators.create(workspace.id, {
    ...boss,
    name: 'Sam',
    role: 'supervisor',
    locale: 'en',
  });
  supervisor = await login(server, boss);
  const a = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Sales' });
  const b = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Support' });
  departments = [a.id, b.id];
  const operatorId = (await server.app.storage.db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspace.id)
    .where('role', '=', 'operator')
    .executeTakeFirstOrThrow())!.id;
  plan = planLog(120);
  await writeLog(workspace.id, operatorId);
  // A new zone re-buckets (rebuilds) the analytics rows from the log just written.
  await admin.json('PUT', '/api/analytics/settings', { timezone: ZONE, sla: {} });
}, 120_000);
afterAll(() => server.close());

describe('the bot report', () => {
  it('counts bot outcomes, hand-off reasons, menu choices and the non-target share per Berlin day', async () => {
    const report = await supervisor.json<BotReport>('GET', `/api/analytics/bots?${RANGE}`);
    expect(report.timezone).toBe(ZONE);
    expect(report.rows).toEqual(byDay(plan));
    expect(report.totals).toEqual(expected(plan, null));
    // The plan exercises every branch the figures distinguish.
    const totals = report.totals;
    for (const figure of [
      'contained',
      'handedOver',
      'takenOver',
      'choseOption',
      'nonTarget',
      'nonTargetClosed',
    ] as const)
      expect(totals[figure]).toBeGreaterThan(0);
    expect(plan.some((p) => p.tie)).toBe(true);
    for (const outcome of ['contained', 'taken_over'])
      expect(plan.some((p) => p.assignedBefore && p.outcome === outcome)).toBe(true);
  });

  it('puts each conversation on its creation day in Berlin, either side of midnight', async () => {
    const [beforeMidnight, afterMidnight] = [...plan]
      .sort((a, b) => a.createdAt - b.createdAt)
      .filter((p) =>
        [Date.parse('2026-03-28T22:59:59Z'), Date.parse('2026-03-28T23:00:00Z')].includes(p.createdAt),
      );
    expect([beforeMidnight!.day, afterMidnight!.day]).toEqual(['2026-03-28', '2026-03-29']);
    const day28 = await admin.json<BotReport>('GET', '/api/analytics/bots?from=2026-03-28&to=2026-03-28');
    expect(day28.totals).toEqual(
      expected(
        plan.filter((p) => p.day === '2026-03-28'),
        null,
      ),
    );
    const day29 = await admin.json<BotReport>('GET', '/api/analytics/bots?from=2026-03-29&to=2026-03-29');
    expect(day29.totals).toEqual(
      expected(
        plan.filter((p) => p.day === '2026-03-29'),
        null,
      ),
    );
  });

  it('filters by channel and department', async () => {
    const telegram = await admin.json<BotReport>('GET', `/api/analytics/bots?${RANGE}&channel=telegram`);
    expect(telegram.totals).toEqual(
      expected(
        plan.filter((p) => p.channel === 'telegram'),
        null,
      ),
    );
    const sales = await admin.json<BotReport>(
      'GET',
      `/api/analytics/bots?${RANGE}&departmentId=${departments[0]}`,
    );
    expect(sales.rows).toEqual(byDay(plan.filter((p) => p.departmentId === departments[0])));
  });

  it('exports the per-day table with the totals row as CSV', async () => {
    const response = await admin.request('GET', `/api/analytics/export?${RANGE}&report=bots`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'day,requests,botStarted,contained,handedOver,takenOver,completed,askedForPerson,choseOption,' +
        'intentDetected,nonTarget,nonTargetClosed,' +
        BOT_HANDOFF_REASONS.map((r) => `handedOver_${r}`).join(','),
    );
    const total = expected(plan, null);
    expect(lines.at(-1)).toBe(
      [
        'total',
        total.requests,
        total.botStarted,
        total.contained,
        total.handedOver,
        total.takenOver,
        total.completed,
        total.askedForPerson,
        total.choseOption,
        total.intentDetected,
        total.nonTarget,
        total.nonTargetClosed,
        ...BOT_HANDOFF_REASONS.map((r) => total.handedOverByReason[r]),
      ].join(','),
    );
    expect(lines).toHaveLength(byDay(plan).length + 2);
  });

  it('refuses operators and bad input with a message saying what to do', async () => {
    expect((await operator.request('GET', `/api/analytics/bots?${RANGE}`)).status).toBe(403);
    const backwards = await admin.request('GET', '/api/analytics/bots?from=2026-03-30&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('swap');
    expect((await admin.request('GET', '/api/analytics/bots?from=2026-3-1&to=2026-03-30')).status).toBe(400);
    expect((await admin.request('GET', `/api/analytics/bots?${RANGE}&channel=pigeon`)).status).toBe(400);
    const operatorSlice = await admin.request(
      'GET',
      `/api/analytics/bots?${RANGE}&operatorId=${randomUUID()}`,
    );
    expect(operatorSlice.status).toBe(400);
    const taggedExport = await admin.request('GET', `/api/analytics/export?${RANGE}&report=bots&tag=vip`);
    expect(taggedExport.status).toBe(400);
    expect(await taggedExport.text()).toContain('not sliced by operator or tag');
    expect((await admin.request('GET', '/api/analytics/bots?from=2025-01-01&to=2026-03-30')).status).toBe(
      400,
    );
  });

  it('gives rows stored before the bot columns existed the same figures, folded by the migration', async () => {
    const db = server.app.storage.db;
    const columns = [
      'conversation_id',
      'bot_started_at',
      'bot_finished_at',
      'bot_handed_at',
      'bot_handoff_reason',
      'bot_taken_at',
      'bot_chose',
      'intent_detected',
      'non_target',
      'non_target_closed',
    ] as const;
    const botColumns = () =>
      db.selectFrom('analytics_conversations').select(columns).orderBy('conversation_id').execute();
    const folded = await botColumns();
    expect(folded.filter((row) => row.bot_handoff_reason !== null).length).toBeGreaterThan(0);
    // As the rows were when migration 0035 added the columns.
    await db
      .updateTable('analytics_conversations')
      .set({
        bot_started_at: null,
        bot_finished_at: null,
        bot_handed_at: null,
        bot_handoff_reason: null,
        bot_taken_at: null,
        bot_chose: 0,
        intent_detected: 0,
        non_target: 0,
        non_target_closed: 0,
      })
      .execute();
    await foldBotFacts(db);
    expect(await botColumns()).toEqual(folded);
  });
});

describe('the bot report of a live conversation', () => {
  const chat = botChat(() => server);
  const salesBot = (departmentId: string): BotFlowInput => ({
    name: 'Sales bot',
    enabled: true,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          position: { x: 0, y: 0 },
          text: 'What do you need?',
          options: [{ id: 'buy', label: 'Buy', tag: 'buy', keywords: [], intentId: null }],
          personLabel: '',
          timeoutMinutes: null,
        },
        { id: 'sales', type: 'handoff', position: { x: 0, y: 150 }, text: '', departmentId, priority: null },
      ],
      edges: [{ id: 'e1', source: 'menu', port: 'buy', target: 'sales' }],
    },
  });

  it('counts the hand-off the flow made to its department, kept live as a rebuild would', async () => {
    const workspace = await createWorkspace(server);
    const boss = await login(server, workspace.admin);
    const sales = (await boss.json<{ id: string }>('POST', '/api/departments', { name: 'Sales' })).id;
    const flow = await boss.json<{ id: string }>('POST', '/api/bot-flows', salesBot(sales));
    await boss.json('POST', `/api/bot-flows/${flow.id}/publish`);
    const { visitor, conversation } = await chat.openChat(workspace.widgetKey);
    const menu = (await chat.botSaid(visitor, conversation.id, 'What do you need?')).find(
      (m) => m.text === 'What do you need?',
    ) as Message;
    await chat.press(visitor, conversation.id, menu, 'Buy');
    await until(
      () => chat.conversationOf(boss, conversation.id),
      (c) => c.status !== 'bot',
      'the hand-off',
    );
    const today = new Date();
    const day = (offset: number) =>
      new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-1)}&to=${day(1)}&departmentId=${sales}`;
    const live = await boss.json<BotReport>('GET', `/api/analytics/bots?${range}`);
    expect(live.totals).toMatchObject({
      requests: 1,
      botStarted: 1,
      handedOver: 1,
      completed: 1,
      choseOption: 1,
      handedOverByReason: expect.objectContaining({ flow: 1 }),
    });
    await boss.json('POST', '/api/analytics/rebuild');
    expect(await boss.json<BotReport>('GET', `/api/analytics/bots?${range}`)).toEqual(live);
  });
});
