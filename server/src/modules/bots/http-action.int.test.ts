// The HTTP action's answer mappings on a real server and database, against a local fake
// accounting system: a list offered as buttons, files sent into the chat (and refused when too large
// or not what they claim), the empty list, and secrets that reach the request and nothing else.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BotFlowInput,
  BotSecretList,
  FlowNode,
  FlowSimulationResult,
  FlowValidation,
  Message,
  MessagePage,
} from '@frontline/protocol';
import { botChat, until } from '../../test/bot-chat.js';
import { createWorkspace, login } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

const FILE_MAX_BYTES = 50_000;
const SECRET = 'pa55-Very-Secret-Token';
/** The smallest bytes file-type recognises as a PDF. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

interface Accounting {
  url: string;
  requests: { path: string; authorization: string | undefined; body: string }[];
  close(): Promise<void>;
}

async function startAccounting(): Promise<Accounting> {
  const requests: Accounting['requests'] = [];
  const failedOnce = new Set<string>();
  const queryOf = (request: IncomingMessage) => (request.url ?? '').split('?')[1] ?? '';
  let base = '';
  const json = (value: unknown) => JSON.stringify(value);
  const answers: Record<string, (request: IncomingMessage) => [number, string, string]> = {
    '/employees': () => [
      200,
      'application/json',
      json({
        data: {
          employees: [
            { id: 'e1', name: 'Anna Petrova', dept: 'Sales' },
            { id: 'e2', name: 'Boris Ivanov', dept: 'IT' },
            { id: 'e3', name: 'Vera Smirnova', dept: 'HR' },
          ],
        },
      }),
    ],
    '/employees-slow': () => [
      200,
      'application/json',
      json({ employees: [{ id: 'e9', name: 'Gleb Orlov' }] }),
    ],
    '/nobody': () => [200, 'application/json', json({ data: { employees: [] } })],
    '/documents': () => [
      200,
      'application/json',
      json({
        files: [
          { name: 'order.pdf', url: `${base}/files/order.pdf` },
          { name: 'memo.txt', content: Buffer.from('Vacation memo').toString('base64'), mime: 'text/plain' },
        ],
      }),
    ],
    '/documents-large': () => [
      200,
      'application/json',
      json({ files: [{ name: 'huge.pdf', url: `${base}/files/huge.pdf` }] }),
    ],
    '/documents-lying': () => [
      200,
      'application/json',
      json({
        files: [
          {
            name: 'fake.pdf',
            mime: 'application/pdf',
            content: Buffer.from('not a pdf at all').toString('base64'),
          },
        ],
      }),
    ],
    // Names a file that fails once (503) per key before it is served.
    '/documents-flaky': (request) => [
      200,
      'application/json',
      json({ files: [{ name: 'order.pdf', url: `${base}/files/flaky.pdf?${queryOf(request)}` }] }),
    ],
    '/files/flaky.pdf': (request) => {
      const key = queryOf(request);
      if (failedOnce.has(key)) return [200, 'application/pdf', PDF.toString('latin1')];
      failedOnce.add(key);
      return [503, 'text/plain', 'busy'];
    },
    '/files/order.pdf': () => [200, 'application/pdf', PDF.toString('latin1')],
    '/files/huge.pdf': () => [200, 'application/pdf', 'x'.repeat(FILE_MAX_BYTES * 2)],
    '/secure': (request) =>
      request.headers.authorization === `Bearer ${SECRET}`
        ? [200, 'application/json', json({ ok: 'yes' })]
        : [401, 'application/json', '{}'],
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
      const answer = answers[path];
      const [status, type, text] = answer ? answer(request) : [404, 'application/json', '{}'];
      setTimeout(
        () => {
          response.writeHead(status, { 'content-type': type });
          response.end(Buffer.from(text, 'latin1'));
        },
        path.endsWith('-slow') ? 500 : 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

type ActionNode = Extract<FlowNode, { type: 'action' }>;

/** start → action → (next) "done" hand-off, (failed) "failed" hand-off. */
function actionFlow(action: Partial<ActionNode> & { url: string }): BotFlowInput {
  return {
    name: 'Action',
    enabled: true,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'call',
      nodes: [
        {
          id: 'call',
          type: 'action',
          position: { x: 0, y: 0 },
          method: 'GET',
          headers: {},
          body: '',
          timeoutMs: 3000,
          retries: 0,
          responseMap: [],
          replyText: '',
          choices: null,
          files: null,
          ...action,
        },
        {
          id: 'done',
          type: 'handoff',
          position: { x: 0, y: 100 },
          text: 'Done.',
          departmentId: null,
          priority: null,
        },
        {
          id: 'failed',
          type: 'handoff',
          position: { x: 200, y: 100 },
          text: 'That did not work; a person will help you.',
          departmentId: null,
          priority: null,
        },
      ],
      edges: [
        { id: 'e1', source: 'call', port: 'next', target: 'done' },
        { id: 'e2', source: 'call', port: 'failed', target: 'failed' },
      ],
    },
  };
}

const employees = (url: string, listPath = 'data.employees') =>
  actionFlow({
    url: `${url}/employees`,
    replyText: 'Whose vacation is it?',
    choices: {
      listPath,
      label: '{{item.name}} ({{item.dept}})',
      valuePath: 'id',
      variable: 'employee',
      labelVariable: 'employee_name',
    },
  });

describe('bot HTTP action answers', () => {
  let server: TestServer;
  let accounting: Accounting;
  const { setUp, openChat, messagesOf, botSaid, say, press, conversationOf } = botChat(() => server);

  beforeAll(async () => {
    server = await startTestServer({ FILE_MAX_BYTES: String(FILE_MAX_BYTES) });
    accounting = await startAccounting();
  });
  afterAll(async () => {
    await server.close();
    await accounting.close();
  });

  /** The hand-off note is written just after the bot's last words: wait for it. */
  const handoffNote = async (admin: Awaited<ReturnType<typeof setUp>>['admin'], id: string) =>
    (
      await until(
        () => staffMessages(admin, id),
        (items) => items.some((m) => m.kind === 'note'),
        'the hand-off note',
      )
    ).find((m) => m.kind === 'note');

  const staffMessages = async (admin: Awaited<ReturnType<typeof setUp>>['admin'], id: string) =>
    (await admin.json<MessagePage>('GET', `/api/conversations/${id}/messages?limit=100`)).items;

  it('offers the listed items as buttons and saves the pressed one', async () => {
    const { workspace, admin } = await setUp(employees(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const prompt = (await botSaid(visitor, conversation.id, 'Whose vacation is it?')).find(
      (m) => m.buttons.length > 0,
    ) as Message;
    expect(prompt.buttons.map((b) => b.label)).toEqual([
      'Anna Petrova (Sales)',
      'Boris Ivanov (IT)',
      'Vera Smirnova (HR)',
      'Talk to a person',
    ]);
    await press(visitor, conversation.id, prompt, 'Boris Ivanov (IT)');
    await botSaid(visitor, conversation.id, 'Done.');
    const note = await handoffNote(admin, conversation.id);
    expect(note?.text).toContain('employee: e2');
    expect(note?.text).toContain('employee_name: Boris Ivanov (IT)');
    expect(note?.text).not.toContain('$choices');
  });

  it("keeps a conversation's steps in turn: a message sent while the list loads does not lose the list", async () => {
    const flow = actionFlow({
      url: `${accounting.url}/employees-slow`,
      replyText: 'Whose vacation is it?',
      choices: {
        listPath: 'employees',
        label: '{{item.name}}',
        valuePath: 'id',
        variable: 'employee',
        labelVariable: null,
      },
    });
    flow.graph.nodes.push({
      id: 'menu',
      type: 'menu',
      position: { x: 0, y: -100 },
      text: 'What do you need?',
      options: [{ id: 'vacation', label: 'Vacation', tag: null, keywords: [], intentId: null }],
      personLabel: '',
      timeoutMinutes: null,
    });
    flow.graph.edges.push({ id: 'e0', source: 'menu', port: 'vacation', target: 'call' });
    flow.graph.startNodeId = 'menu';
    const { workspace } = await setUp(flow);
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const menu = (await botSaid(visitor, conversation.id, 'What do you need?')).find(
      (m) => m.buttons.length > 0,
    ) as Message;
    // The greeting's step has nothing to do; the press's step waits for the slow list meanwhile.
    await say(visitor, conversation.id, 'hello');
    await press(visitor, conversation.id, menu, 'Vacation');
    const list = (await botSaid(visitor, conversation.id, 'Whose vacation is it?')).find(
      (m) => m.text === 'Whose vacation is it?',
    ) as Message;
    await press(visitor, conversation.id, list, 'Gleb Orlov');
    const items = await botSaid(visitor, conversation.id, 'Done.');
    expect(items.filter((m) => m.text.startsWith('Please pick'))).toEqual([]);
  });

  it('takes a typed number or label as the pick, and asks again on anything else', async () => {
    const { workspace, admin } = await setUp(employees(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    await botSaid(visitor, conversation.id, 'Whose vacation is it?');
    // The first message may have been typed before the buttons came: like a menu, it is not counted as wrong.
    await say(visitor, conversation.id, 'somebody else');
    await until(
      () =>
        server.app.storage.db
          .selectFrom('bot_runs')
          .select('input_seq')
          .where('conversation_id', '=', conversation.id)
          .executeTakeFirstOrThrow(),
      (run) => run.input_seq > 0,
      'the bot to read the first message',
    );
    await say(visitor, conversation.id, 'still somebody else');
    await botSaid(visitor, conversation.id, 'Please pick one of the options');
    await say(visitor, conversation.id, '3');
    await botSaid(visitor, conversation.id, 'Done.');
    const note = await handoffNote(admin, conversation.id);
    expect(note?.text).toContain('employee: e3');

    const second = await openChat(workspace.widgetKey);
    await botSaid(second.visitor, second.conversation.id, 'Whose vacation is it?');
    await say(second.visitor, second.conversation.id, 'anna petrova (sales)');
    await botSaid(second.visitor, second.conversation.id, 'Done.');
  });

  it('hands over when the visitor asks for a person instead of picking', async () => {
    const { workspace, admin } = await setUp(employees(accounting.url));
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const prompt = (await botSaid(visitor, conversation.id, 'Whose vacation is it?')).find(
      (m) => m.buttons.length > 0,
    ) as Message;
    await press(visitor, conversation.id, prompt, 'Talk to a person');
    const handed = await until(
      () => conversationOf(admin, conversation.id),
      (c) => c.status === 'queued',
      'the hand-off',
    );
    expect(handed.status).toBe('queued');
  });

  it('leaves through "failed" when the list is empty or missing', async () => {
    for (const flow of [
      actionFlow({
        ...employees(accounting.url).graph.nodes[0],
        url: `${accounting.url}/nobody`,
      } as ActionNode),
      employees(accounting.url, 'data.nowhere'),
    ]) {
      const { workspace, admin } = await setUp(flow);
      const { visitor, conversation } = await openChat(workspace.widgetKey);
      await botSaid(visitor, conversation.id, 'That did not work; a person will help you.');
      await until(
        () => conversationOf(admin, conversation.id),
        (c) => c.status === 'queued',
        'the hand-off',
      );
      const items = await messagesOf(visitor, conversation.id);
      expect(items.some((m) => m.buttons.length > 0)).toBe(false);
    }
  });

  it("sends the answer's files into the chat, fetched and decoded, for the visitor and the operators", async () => {
    const { workspace, admin } = await setUp(
      actionFlow({
        url: `${accounting.url}/documents`,
        replyText: 'Your documents:',
        files: { listPath: 'files' },
      }),
    );
    const { visitor, conversation } = await openChat(workspace.widgetKey);
    const items = await botSaid(visitor, conversation.id, 'Done.');
    const withFiles = items.find((m) => m.text === 'Your documents:');
    expect(withFiles?.attachments.map((a) => [a.name, a.mime, a.size])).toEqual([
      ['order.pdf', 'application/pdf', PDF.length],
      ['memo.txt', 'text/plain', 'Vacation memo'.length],
    ]);
    const memo = withFiles?.attachments[1];
    const download = await fetch(new URL(memo?.url ?? '', server.url));
    expect(await download.text()).toBe('Vacation memo');
    const operatorView = (await staffMessages(admin, conversation.id)).find(
      (m) => m.text === 'Your documents:',
    );
    expect(operatorView?.attachments).toHaveLength(2);
  });

  it("fetches a file again after a failure that may pass, as many times as the node's retries", async () => {
    for (const [retries, outcome] of [
      [0, 'That did not work; a person will help you.'],
      [1, 'Done.'],
    ] as const) {
      const { workspace } = await setUp(
        actionFlow({
          url: `${accounting.url}/documents-flaky?key=retries-${retries}`,
          retries,
          replyText: 'Your documents:',
          files: { listPath: 'files' },
        }),
      );
      const { visitor, conversation } = await openChat(workspace.widgetKey);
      const items = await botSaid(visitor, conversation.id, outcome);
      const sent = items.find((m) => m.text === 'Your documents:');
      expect(sent?.attachments.map((a) => a.name)).toEqual(retries > 0 ? ['order.pdf'] : undefined);
      const fetches = accounting.requests.filter((r) => r.path === `/files/flaky.pdf?key=retries-${retries}`);
      expect(fetches).toHaveLength(retries + 1);
    }
  });

  it('refuses a file too large or not what it claims: the flow leaves through "failed" and nothing is sent', async () => {
    for (const path of ['/documents-large', '/documents-lying']) {
      const { workspace, admin, flow } = await setUp(
        actionFlow({
          url: `${accounting.url}${path}`,
          replyText: 'Your documents:',
          files: { listPath: 'files' },
        }),
      );
      const { visitor, conversation } = await openChat(workspace.widgetKey);
      const items = await botSaid(visitor, conversation.id, 'That did not work; a person will help you.');
      expect(items.some((m) => m.attachments.length > 0 || m.text === 'Your documents:')).toBe(false);
      await until(
        () => conversationOf(admin, conversation.id),
        (c) => c.status === 'queued',
        'the hand-off',
      );
      const simulated = await admin.json<FlowSimulationResult>('POST', `/api/bot-flows/${flow.id}/simulate`, {
        inputs: [],
      });
      expect(simulated.actionErrors[0]?.error).toMatch(
        path === '/documents-large' ? /huge\.pdf is larger than 50000 bytes/ : /declared as application\/pdf/,
      );
    }
  });

  it('puts secrets into the request only, never into stored messages, events or runs', async () => {
    const flow = actionFlow({
      url: `${accounting.url}/secure?key={{secrets.ACCOUNTING_TOKEN}}`,
      headers: { authorization: 'Bearer {{secrets.ACCOUNTING_TOKEN}}' },
      responseMap: [{ variable: 'answer', path: 'ok' }],
      replyText: 'Accounting said {{answer}}',
    });
    const {
      workspace,
      admin,
      flow: created,
    } = await setUp(flow, async (a) => {
      await a.json('PUT', '/api/bot-secrets/ACCOUNTING_TOKEN', { value: SECRET });
    });
    const listed = await admin.json<BotSecretList>('GET', '/api/bot-secrets');
    expect(listed.items.map((s) => [s.name, s.set])).toEqual([['ACCOUNTING_TOKEN', true]]);
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const { visitor, conversation } = await openChat(workspace.widgetKey);
    await botSaid(visitor, conversation.id, 'Accounting said yes');
    await botSaid(visitor, conversation.id, 'Done.');
    const call = accounting.requests.filter((r) => r.path.startsWith('/secure')).at(-1);
    expect(call?.authorization).toBe(`Bearer ${SECRET}`);
    expect(call?.path).toContain(encodeURIComponent(SECRET));

    const db = server.app.storage.db;
    const stored = JSON.stringify([
      await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversation.id).execute(),
      await db
        .selectFrom('conversation_events')
        .selectAll()
        .where('conversation_id', '=', conversation.id)
        .execute(),
      await db.selectFrom('bot_runs').selectAll().where('conversation_id', '=', conversation.id).execute(),
      await db.selectFrom('bot_secrets').selectAll().execute(),
      await db.selectFrom('jobs').selectAll().execute(),
    ]);
    expect(stored).toContain('ACCOUNTING_TOKEN');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(encodeURIComponent(SECRET));

    // Replaced: the next call uses the new value; deleted: the flow no longer validates, naming the node.
    await admin.json('PUT', '/api/bot-secrets/ACCOUNTING_TOKEN', { value: 'wrong' });
    const preview = await admin.json<FlowSimulationResult>('POST', `/api/bot-flows/${created.id}/simulate`, {
      inputs: [],
    });
    expect(preview.actionErrors).toEqual([{ nodeId: 'call', error: 'HTTP 401' }]);
    expect(JSON.stringify(preview)).not.toContain('wrong');
    expect((await admin.request('DELETE', '/api/bot-secrets/ACCOUNTING_TOKEN')).status).toBe(204);
    const check = await admin.json<FlowValidation>('POST', '/api/bot-flows/validate', { graph: flow.graph });
    expect(check.problems).toEqual([
      {
        nodeId: 'call',
        message:
          'Node "call" uses the secret "ACCOUNTING_TOKEN", which is not set; add it on the Bot secrets page (admin → automation)',
      },
    ]);
  });

  it('lets only admins manage secrets, and refuses a secret shown to the visitor', async () => {
    const workspace = await createWorkspace(server);
    const admin = await login(server, workspace.admin);
    const operator = await login(server, workspace.operator);
    expect((await operator.request('GET', '/api/bot-secrets')).status).toBe(403);
    expect((await operator.request('PUT', '/api/bot-secrets/X', { value: 'v' })).status).toBe(403);
    expect((await admin.request('PUT', '/api/bot-secrets/bad-name', { value: 'v' })).status).toBe(400);
    expect((await admin.request('DELETE', '/api/bot-secrets/NOPE')).status).toBe(404);
    await admin.json('PUT', '/api/bot-secrets/TOKEN', { value: 'v' });
    const shown = actionFlow({ url: `${accounting.url}/secure`, replyText: 'Token {{secrets.TOKEN}}' });
    const check = await admin.json<FlowValidation>('POST', '/api/bot-flows/validate', { graph: shown.graph });
    expect(check.problems.map((p) => p.message)).toEqual([
      'Node "call" shows the secret "secrets.TOKEN"; secrets go only into an HTTP request\'s address, headers and body',
    ]);

    // A secret this SECRET_KEY cannot open fails the action with the reason; the flow goes on.
    const uses = actionFlow({
      url: `${accounting.url}/secure`,
      headers: { authorization: 'Bearer {{secrets.TOKEN}}' },
    });
    const flow = await admin.json<{ id: string }>('POST', '/api/bot-flows', uses);
    await server.app.storage.db
      .updateTable('bot_secrets')
      .set({ value_sealed: 'v1:AAAA:AAAA:AAAA' })
      .where('workspace_id', '=', workspace.id)
      .execute();
    const run = await admin.json<FlowSimulationResult>('POST', `/api/bot-flows/${flow.id}/simulate`, {
      inputs: [],
    });
    expect(run.status).toBe('handed_over');
    expect(run.actionErrors[0]?.error).toMatch(/cannot be decrypted: SECRET_KEY is not the one/);
  });
});
