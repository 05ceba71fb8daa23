// Bot flows end to end on a real server and database: publish, a visitor walks a menu, a question
// and an HTTP action against a local fake accounting system, hand-off to routing, take-over,
// restart survival, timers, and refusal of a bad graph.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BotFlow,
  BotFlowInput,
  BotFlowStats,
  Conversation,
  FlowSimulationResult,
  Message,
  MessagePage,
} from '@frontline/protocol';
import * as nodeVisitsMigration from '../../storage/migrations/0082_bot_node_visits.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { botChat, until } from '../../test/bot-chat.js';
import { connected, createWorkspace, login, startVisitor, type StaffClient } from '../../test/factories.js';

interface Accounting {
  url: string;
  requests: { path: string; body: string }[];
  delayMs: number;
  close(): Promise<void>;
}

/** The seeds' accounting system: lists employees, computes vacation documents. */
async function startAccounting(): Promise<Accounting> {
  const requests: Accounting['requests'] = [];
  const state = { delayMs: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', body });
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        if (request.url?.startsWith('/vacations')) {
          const parsed = JSON.parse(body) as { email: string; from: string };
          response.end(JSON.stringify({ document: { number: `VAC-${parsed.from}`, owner: parsed.email } }));
        } else {
          response.statusCode = 404;
          response.end('{}');
        }
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function vacationFlow(accountingUrl: string, timeoutMs = 3000): BotFlowInput {
  return {
    name: 'Vacations',
    enabled: true,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'hello',
      nodes: [
        {
          id: 'hello',
          type: 'message',
          position: { x: 0, y: 0 },
          text: '{{greeting}}! I am the HR bot.',
          links: [],
          files: [],
        },
        {
          id: 'menu',
          type: 'menu',
          position: { x: 0, y: 100 },
          text: 'What do you need?',
          options: [
            { id: 'vacation', label: 'Vacation', tag: 'vacation', keywords: [], intentId: null },
            { id: 'other', label: 'Something else', tag: null, keywords: [], intentId: null },
          ],
          personLabel: '',
          timeoutMinutes: null,
        },
        {
          id: 'ask_email',
          type: 'question',
          position: { x: 0, y: 200 },
          text: 'Your work e-mail?',
          kind: 'email',
          variable: 'email',
          contactField: 'email',
          choices: [],
          retryText: 'That is not an e-mail address, try again',
          maxAttempts: 3,
          timeoutMinutes: null,
        },
        {
          id: 'ask_from',
          type: 'question',
          position: { x: 0, y: 300 },
          text: 'First day of the vacation?',
          kind: 'date',
          variable: 'from',
          contactField: null,
          choices: [],
          retryText: '',
          maxAttempts: 3,
          timeoutMinutes: null,
        },
        {
          id: 'compute',
          type: 'action',
          position: { x: 0, y: 400 },
          method: 'POST',
          url: `${accountingUrl}/vacations`,
          headers: { authorization: 'Bearer accounting-key' },
          body: '{"email": "{{email}}", "from": "{{from}}"}',
          timeoutMs,
          retries: 0,
          responseMap: [{ variable: 'document', path: 'document.number' }],
          choices: null,
          files: null,
          replyText: 'Your document: {{document}}',
        },
        {
          id: 'person',
          type: 'handoff',
          position: { x: 0, y: 500 },
          text: '',
          departmentId: null,
          priority: 'high',
        },
      ],
      edges: [
        { id: 'e1', source: 'hello', port: 'next', target: 'menu' },
        { id: 'e2', source: 'menu', port: 'vacation', target: 'ask_email' },
        { id: 'e3', source: 'menu', port: 'other', target: 'person' },
        { id: 'e4', source: 'ask_email', port: 'next', target: 'ask_from' },
        { id: 'e5', source: 'ask_from', port: 'next', target: 'compute' },
        { id: 'e6', source: 'compute', port: 'next', target: 'person' },
      ],
    },
  };
}

describe('bot flows', () => {
  let server: TestServer;
  let accounting: Accounting;

  beforeAll(async () => {
    server = await startTestServer();
    accounting = await startAccounting();
  });
  afterAll(async () => {
    await server.close();
    await accounting.close();
  });

  const { setUp, openChat, messagesOf, botSaid, say, press, conversationOf } = botChat(() => server);

  it('walks a visitor through menu, validated questions and an HTTP action, then hands over with the collected context', async () => {
    const { workspace, admin, flow } = await setUp(vacationFlow(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    expect(conversation.status).toBe('bot');

    const menu = (await botSaid(visitor, conversation.id, 'What do you need?')).find(
      (m) => m.text === 'What do you need?',
    ) as Message;
    expect(menu.buttons.map((b) => b.label)).toEqual(['Vacation', 'Something else', 'Talk to a person']);
    await press(visitor, conversation.id, menu, 'Vacation');
    await botSaid(visitor, conversation.id, 'Your work e-mail?');
    await say(visitor, conversation.id, 'not an address');
    await botSaid(visitor, conversation.id, 'That is not an e-mail address');
    await say(visitor, conversation.id, 'Anna@Example.com');
    await botSaid(visitor, conversation.id, 'First day of the vacation?');
    await say(visitor, conversation.id, '31.12.2026');
    await botSaid(visitor, conversation.id, 'Your document: VAC-2026-12-31');

    const request = accounting.requests.find((r) => r.path === '/vacations');
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ email: 'anna@example.com', from: '2026-12-31' });

    const handed = await until(
      () => conversationOf(admin, conversation.id),
      (c) => c.status !== 'bot',
      'the hand-off',
    );
    expect(handed.status).toBe('queued');
    expect(handed.priority).toBe('high');
    const staffView = await admin.json<MessagePage>(
      'GET',
      `/api/conversations/${conversation.id}/messages?limit=100`,
    );
    const note = staffView.items.find((m) => m.kind === 'note');
    expect(note?.text).toContain('email: anna@example.com');
    expect(note?.text).toContain('document: VAC-2026-12-31');
    const tags = await admin.json<{ tags: string[] }>('GET', `/api/conversations/${conversation.id}/tags`);
    expect(JSON.stringify(tags)).toContain('vacation');
    const stats = await admin.json<BotFlowStats>('GET', `/api/bot-flows/${flow.id}/stats`);
    expect(stats).toMatchObject({
      runs: 1,
      active: 0,
      closedByBot: 0,
      takenOver: 0,
      handedOver: { flow: 1 },
    });
    expect(stats.visits).toEqual({ hello: 1, menu: 1, ask_email: 1, ask_from: 1, compute: 1, person: 1 });
    // A database from before the visits were counted gets them from the runs' paths.
    await nodeVisitsMigration.down(server.app.storage.db);
    await nodeVisitsMigration.up(server.app.storage.db);
    const folded = await admin.json<BotFlowStats>('GET', `/api/bot-flows/${flow.id}/stats`);
    expect(folded.visits).toEqual(stats.visits);
    // Ended runs no longer need the flow: it may go.
    expect((await admin.request('DELETE', `/api/bot-flows/${flow.id}`)).status).toBe(204);
  });

  it('hands over at once when the visitor presses "talk to a person"', async () => {
    const { workspace, admin } = await setUp(vacationFlow(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const menu = (await botSaid(visitor, conversation.id, 'What do you need?')).find(
      (m) => m.buttons.length > 0,
    ) as Message;
    await press(visitor, conversation.id, menu, 'Talk to a person');
    await until(
      () => conversationOf(admin, conversation.id),
      (c) => c.status === 'queued',
      'the hand-off',
    );
  });

  it('shows a fallback and offers a person when the external system times out', async () => {
    const { workspace, admin } = await setUp(vacationFlow(accounting.url, 300));
    accounting.delayMs = 2000;
    try {
      const { visitor, conversation } = await openChat(workspace.widgetKey);
      const menu = (await botSaid(visitor, conversation.id, 'What do you need?')).find(
        (m) => m.buttons.length > 0,
      ) as Message;
      await press(visitor, conversation.id, menu, 'Vacation');
      await botSaid(visitor, conversation.id, 'Your work e-mail?');
      await say(visitor, conversation.id, 'anna@example.com');
      await botSaid(visitor, conversation.id, 'First day');
      await say(visitor, conversation.id, '2026-07-01');
      await botSaid(visitor, conversation.id, 'I could not get the data');
      await until(
        () => conversationOf(admin, conversation.id),
        (c) => c.status === 'queued',
        'the hand-off',
      );
    } finally {
      accounting.delayMs = 0;
    }
  });

  it('stops when an operator takes the conversation over', async () => {
    const { workspace } = await setUp(vacationFlow(accounting.url));
    const operator = await login(server, workspace.operator);
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    await botSaid(visitor, conversation.id, 'What do you need?');
    const taken = await operator.json<Conversation>('POST', `/api/conversations/${conversation.id}/take`);
    expect(taken.status).toBe('assigned');
    await say(visitor, conversation.id, 'Vacation');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const items = await messagesOf(visitor, conversation.id);
    expect(items.some((m) => m.text === 'Your work e-mail?')).toBe(false);
  });

  it('continues a run after a restart', async () => {
    const { workspace, admin, flow } = await setUp(vacationFlow(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const menu = (await botSaid(visitor, conversation.id, 'What do you need?')).find(
      (m) => m.buttons.length > 0,
    ) as Message;
    await server.restart();
    await press(visitor, conversation.id, menu, 'Vacation');
    await botSaid(visitor, conversation.id, 'Your work e-mail?');
    const run = await conversationOf(admin, conversation.id);
    expect(run.status).toBe('bot');
    const refused = await admin.request('DELETE', `/api/bot-flows/${flow.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain('1 conversation(s) are under way in this flow');
  });

  it('follows the timeout exit when the visitor does not answer, by a durable timer', async () => {
    const flow = vacationFlow(accounting.url);
    const menuNode = flow.graph.nodes.find((n) => n.id === 'menu');
    if (menuNode?.type !== 'menu') throw new Error('the flow has a menu');
    menuNode.timeoutMinutes = 30;
    flow.graph.nodes.push({
      id: 'bye',
      type: 'close',
      position: { x: 0, y: 0 },
      text: 'Closing for now, write any time',
    });
    flow.graph.edges.push({ id: 'e7', source: 'menu', port: 'timeout', target: 'bye' });
    const { workspace, admin } = await setUp(flow);
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    await botSaid(visitor, conversation.id, 'What do you need?');
    const timer = await until(
      () => server.app.storage.db.selectFrom('jobs').selectAll().where('kind', '=', 'bot.timeout').execute(),
      (jobs) => jobs.some((j) => j.payload.includes(conversation.id)),
      'the timer job',
    );
    const job = timer.find((j) => j.payload.includes(conversation.id));
    expect(job?.run_at).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Half an hour later (brought forward): the restart in between does not lose it.
    await server.restart();
    await server.app.storage.db
      .updateTable('jobs')
      .set({ run_at: Date.now() })
      .where('id', '=', job?.id ?? '')
      .execute();
    await botSaid(visitor, conversation.id, 'Closing for now');
    await until(
      () => conversationOf(admin, conversation.id),
      (c) => c.status === 'resolved',
      'the close',
    );
  });

  it('starts a keyword flow on a queued conversation, and understands typed option labels', async () => {
    const flow = vacationFlow(accounting.url);
    flow.triggers = [{ kind: 'keyword', keywords: ['отпуск'] }];
    const { workspace, admin } = await setUp(flow);
    const operator = await connected(admin.socket());
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    expect(conversation.status).toBe('queued');
    const announced: Conversation[] = [];
    operator.on('conversations:updated', (list) =>
      announced.push(...list.filter((c) => c.id === conversation.id)),
    );
    // Past the hub's window for updates of one conversation, so the message's own update goes out at once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await say(visitor, conversation.id, 'Хочу в отпуска');
    await botSaid(visitor, conversation.id, 'What do you need?');
    // The keyword's message is announced with the flow's claim, not as still waiting in the queue.
    expect(announced.find((c) => c.lastMessagePreview === 'Хочу в отпуска')?.status).toBe('bot');
    operator.close();
    await say(visitor, conversation.id, 'vacation');
    await botSaid(visitor, conversation.id, 'Your work e-mail?');
  });

  it('takes a waiting conversation whose department is closed, and leaves an offline request when it hands over', async () => {
    const flow: BotFlowInput = {
      name: 'After hours',
      enabled: true,
      triggers: [{ kind: 'after_hours', departmentIds: [] }],
      graph: {
        startNodeId: 'closed',
        nodes: [
          {
            id: 'closed',
            type: 'message',
            position: { x: 0, y: 0 },
            text: 'We are closed until morning.',
            links: [],
            files: [],
          },
          {
            id: 'ask',
            type: 'question',
            position: { x: 0, y: 100 },
            text: 'Your e-mail, so we can answer?',
            kind: 'email',
            variable: 'email',
            contactField: 'email',
            choices: [],
            retryText: '',
            maxAttempts: 3,
            timeoutMinutes: null,
          },
          {
            id: 'leave',
            type: 'handoff',
            position: { x: 0, y: 200 },
            text: 'Thank you!',
            departmentId: null,
            priority: null,
          },
        ],
        edges: [
          { id: 'e1', source: 'closed', port: 'next', target: 'ask' },
          { id: 'e2', source: 'ask', port: 'next', target: 'leave' },
        ],
      },
    };
    const zone = 'Europe/Moscow';
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const allWeek = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
    );
    const { admin, workspace } = await setUp(flow);
    const closed = await admin.json<{ id: string }>('POST', '/api/departments', {
      name: 'Closed today',
      businessHours: { timezone: zone, weekly: allWeek, holidays: [today] },
    });
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    expect(conversation.status).toBe('queued');
    await say(visitor, conversation.id, 'Is anyone there?');
    await admin.json('POST', `/api/conversations/${conversation.id}/transfer`, {
      departmentId: closed.id,
      reason: 'Sorting',
    });
    await botSaid(visitor, conversation.id, 'We are closed until morning.');
    await botSaid(visitor, conversation.id, 'Your e-mail, so we can answer?');
    expect((await conversationOf(admin, conversation.id)).status).toBe('bot');
    // The message written while waiting is not taken as the answer to the flow's question.
    expect((await messagesOf(visitor, conversation.id)).some((m) => m.text.includes('not an e-mail'))).toBe(
      false,
    );
    await say(visitor, conversation.id, 'night@example.com');
    await botSaid(visitor, conversation.id, 'Thank you!');
    // Handed over into the still closed department: an offline request now, not the flow again.
    const offline = await until(
      () => conversationOf(admin, conversation.id),
      (c) => c.status === 'offline',
      'the offline request',
    );
    expect(offline.departmentId).toBe(closed.id);
    const said = (await messagesOf(visitor, conversation.id)).filter(
      (m) => m.text === 'We are closed until morning.',
    );
    expect(said).toHaveLength(1);
  });

  it("starts the flow of a widget invitation (the widget's page, time and visit rules), not the start flow", async () => {
    const { workspace, admin } = await setUp(vacationFlow(accounting.url));
    const invited = vacationFlow(accounting.url);
    invited.name = 'Pricing';
    invited.triggers = [{ kind: 'invitation', invitationId: 'pricing' }];
    const hello = invited.graph.nodes.find((n) => n.id === 'hello');
    if (hello?.type !== 'message') throw new Error('the flow starts with a message');
    hello.text = 'Prices are on the pricing page.';
    const created = await admin.json<BotFlow>('POST', '/api/bot-flows', invited);
    await admin.json<BotFlow>('POST', `/api/bot-flows/${created.id}/publish`);
    await admin.json('PUT', '/api/widget-settings', {
      invitations: [
        {
          id: 'pricing',
          text: { ru: '', en: 'Questions about prices?' },
          urlPattern: '*/pricing*',
          minSecondsOnPage: 10,
        },
      ],
    });
    const visitor = await startVisitor(server, workspace.widgetKey);
    const response = await visitor.request('POST', '/api/widget/conversations', {
      source: 'proactive',
      invitationId: 'pricing',
      lang: 'en',
    });
    const conversation = (await response.json()) as Conversation;
    expect(conversation.status).toBe('bot');
    const items = await botSaid(visitor, conversation.id, 'Prices are on the pricing page.');
    expect(items[0]?.text).toBe('Questions about prices?');
  });

  it('refuses to publish a bad graph and names the node', async () => {
    const workspace = await createWorkspace(server);
    const admin = await login(server, workspace.admin);
    const flow = vacationFlow(accounting.url);
    flow.graph.edges = flow.graph.edges.filter((e) => e.id !== 'e4');
    flow.graph.nodes.push({ id: 'orphan', type: 'close', position: { x: 0, y: 0 }, text: '{{nobody}}' });
    const created = await admin.json<BotFlow>('POST', '/api/bot-flows', flow);
    const response = await admin.request('POST', `/api/bot-flows/${created.id}/publish`);
    expect(response.status).toBe(400);
    const error = JSON.stringify(await response.json());
    expect(error).toContain('Node \\"ask_email\\" points nowhere from exit \\"next\\"');
    expect(error).toContain('Node \\"orphan\\" cannot be reached from the start');
    expect(error).toContain('unknown variable \\"nobody\\"');
    const shape = await admin.request('POST', '/api/bot-flows', {
      ...flow,
      graph: { ...flow.graph, nodes: [] },
    });
    expect(shape.status).toBe(400);
  });

  it("sends a message step's files, and refuses a file of another workspace", async () => {
    const upload = async (staff: StaffClient, name: string) =>
      (await staff.upload(name, '%PDF-1.4 prices\n', 'application/pdf')).id;
    const graph = (fileId: string): BotFlowInput['graph'] => ({
      startNodeId: 'prices',
      nodes: [
        {
          id: 'prices',
          type: 'message',
          position: { x: 0, y: 0 },
          text: 'Our price list',
          links: [],
          files: [{ fileId, name: 'prices.pdf' }],
        },
        {
          id: 'person',
          type: 'handoff',
          position: { x: 0, y: 100 },
          text: '',
          departmentId: null,
          priority: null,
        },
      ],
      edges: [{ id: 'e1', source: 'prices', port: 'next', target: 'person' }],
    });
    const stranger = await login(server, (await createWorkspace(server)).admin);
    const foreign = await upload(stranger, 'theirs.pdf');
    const workspace = await createWorkspace(server);
    const admin = await login(server, workspace.admin);
    const input = (fileId: string): BotFlowInput => ({
      name: 'Prices',
      enabled: true,
      triggers: [{ kind: 'conversation_start', channels: [] }],
      graph: graph(fileId),
    });
    const { id } = await admin.json<BotFlow>('POST', '/api/bot-flows', input(foreign));
    const refused = await admin.request('POST', `/api/bot-flows/${id}/publish`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('the file \\"prices.pdf\\" is not in this workspace');

    const own = await upload(admin, 'prices.pdf');
    await admin.json('PUT', `/api/bot-flows/${id}`, input(own));
    await admin.json('POST', `/api/bot-flows/${id}/publish`);
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const said = await botSaid(visitor, conversation.id, 'Our price list');
    expect(said.find((m) => m.text === 'Our price list')?.attachments).toMatchObject([
      { fileId: own, name: 'prices.pdf', mime: 'application/pdf' },
    ]);
  });

  it('simulates the draft without a conversation', async () => {
    const workspace = await createWorkspace(server);
    const admin = await login(server, workspace.admin);
    const created = await admin.json<BotFlow>('POST', '/api/bot-flows', vacationFlow(accounting.url));
    const result = await admin.json<FlowSimulationResult>('POST', `/api/bot-flows/${created.id}/simulate`, {
      inputs: [{ buttonId: 'vacation' }, { text: 'bob@example.com' }, { text: 'tomorrow' }],
    });
    expect(result.steps.map((s) => s.nodeId)).toEqual(['hello', 'menu', 'ask_email', 'ask_from', 'ask_from']);
    expect(result.status).toBe('waiting');
    expect(result.waitingAt).toBe('ask_from');
    expect(result.variables).toEqual({ email: 'bob@example.com' });
    expect(result.tags).toEqual(['vacation']);
  });
});
