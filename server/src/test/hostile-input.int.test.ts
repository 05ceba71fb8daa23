// Hostile input (issue 10): property-based garbage (fast-check) into every REST body the OpenAPI
// description lists and every socket event of both namespaces. Whatever arrives, the server answers
// with a 4xx that says what is wrong (never a 5xx), stays up, and the other workspace is untouched.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  visitorConversation,
  type ClientSocket,
  type StaffClient,
  type Visitor,
} from './factories.js';
import { JSON_BODY_LIMIT } from '../app.js';
import { startTestServer, type TestServer } from './harness.js';

/** Bodies tried per operation and payloads per socket event: enough to find the crashes, bounded in time. */
const RUNS = 12;
/** Socket.IO's own framing (event name, ack id) comes on top of the arguments. */
const FRAME_LIMIT_WITH_MARGIN = JSON_BODY_LIMIT - 1024;
const ACK_WAIT_MS = 3_000;

let server: TestServer;
let admin: StaffClient;
let visitor: Visitor;
let conversationId: string;
let widgetKey: string;
let bystander: StaffClient;
let bystanderBefore: string;

interface Operation {
  method: string;
  path: string;
  bodySchema: JsonSchema;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
}

/** Everything another workspace can see of itself; fuzzing ours must not change a byte of it. */
async function bystanderView(): Promise<string> {
  const parts = await Promise.all(
    [
      '/api/conversations?limit=50',
      '/api/contacts',
      '/api/departments',
      '/api/users',
      '/api/canned-responses',
    ].map(async (route) => (await bystander.request('GET', route)).text()),
  );
  return parts.join('\n');
}

beforeAll(async () => {
  // Floods are tested elsewhere (rate limits); here every request must reach validation.
  server = await startTestServer({
    RATE_LIMIT_MESSAGES_PER_MINUTE: '100000',
    RATE_LIMIT_CONVERSATIONS_PER_HOUR: '100000',
    RATE_LIMIT_API_PER_MINUTE: '100000',
    RATE_LIMIT_HELP_PER_MINUTE: '100000',
    RATE_LIMIT_DRAFTS_PER_MINUTE: '100000',
  });
  const ours = await createWorkspace(server);
  widgetKey = ours.widgetKey;
  const theirs = await createWorkspace(server);
  admin = await login(server, ours.admin);
  bystander = await login(server, theirs.admin);
  ({
    visitor,
    conversation: { id: conversationId },
  } = await visitorConversation(server, ours.widgetKey, 'hello'));
  await visitorConversation(server, theirs.widgetKey, 'their private words');
  bystanderBefore = await bystanderView();
}, 60_000);
afterAll(() => server.close());

/** A value for one property: of its declared kind but at its edges, or of any kind at all. */
function edgeValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const kinds: fc.Arbitrary<unknown>[] = [
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '../../etc/passwd',
      "'; drop table messages; --",
      '%',
      '_',
      'x'.repeat(70_000),
    ),
    fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 31), 1e308, 0.5),
  ];
  if (schema?.enum) kinds.push(fc.constantFrom(...schema.enum));
  if (schema?.items) kinds.push(fc.array(edgeValue(undefined), { maxLength: 300 }));
  return fc.oneof(...kinds);
}

/** Bodies shaped like the schema (its property names, edge values) mixed with plain JSON garbage. */
function bodyFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  const shaped =
    names.length === 0
      ? fc.object()
      : fc
          .subarray(names, { minLength: 1 })
          .chain((picked) =>
            fc.record(Object.fromEntries(picked.map((name) => [name, edgeValue(schema.properties?.[name])]))),
          );
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });
}

async function operationsWithBodies(): Promise<Operation[]> {
  const spec = (await (await fetch(`${server.url}/api/docs/json`)).json()) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
    >;
  };
  return Object.entries(spec.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).flatMap(([method, operation]) => {
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      // Logging out or disabling ourselves would only make the rest answer 401.
      if (!bodySchema || path.startsWith('/api/auth/')) return [];
      return [{ method: method.toUpperCase(), path, bodySchema }];
    }),
  );
}

/** Our own ids where a path wants one (the tenancy tests try the other workspace's). */
function concretePath(path: string): string {
  return path
    .replace('/api/widget/{widgetKey}', '/api/widget/not-a-key')
    .replace(/\{id\}/g, conversationId)
    .replace(/\{\w+\}/g, 'x');
}

async function expectClearRefusal(response: Response, where: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${where} answered ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    expect(typeof body.error?.message, `${where} refused without a message: ${text.slice(0, 300)}`).toBe(
      'string',
    );
  }
}

describe('hostile REST bodies', () => {
  it('never get a 5xx, always a refusal that says what is wrong, on every operation with a body', async () => {
    const operations = await operationsWithBodies();
    expect(operations.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const { method, path, bodySchema } of operations) {
      const route = concretePath(path);
      const send = (body: unknown) =>
        route.startsWith('/api/widget/')
          ? visitor.request(method, route, body)
          : admin.request(method, route, body);
      const run = await fc.check(
        fc.asyncProperty(bodyFor(bodySchema), async (body) => {
          await expectClearRefusal(
            await send(body),
            `${method} ${path} with ${JSON.stringify(body).slice(0, 200)}`,
          );
        }),
        { numRuns: RUNS },
      );
      if (run.failed) failures.push(String(run.errorInstance));
    }
    // Every operation is tried before failing, so one run lists every weak route.
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses bodies that are not JSON at all', async () => {
    for (const raw of ['{', 'null', '"text"', '[]', '\u0000\u0001', '{"a":'.repeat(5000)]) {
      const response = await fetch(`${server.url}/api/contacts/identify`, {
        method: 'POST',
        headers: {
          cookie: admin.cookie,
          'x-csrf-token': admin.session.csrfToken,
          'content-type': 'application/json',
        },
        body: raw,
      });
      await expectClearRefusal(response, `raw body ${JSON.stringify(raw.slice(0, 20))}`);
      expect(response.status).toBe(400);
    }
  });

  it('refuses a broken or overlong address with the same kind of answer as any other refusal', async () => {
    for (const path of ['/api/conversations/%E0%A4%A', `/api/conversations/${'a'.repeat(150)}`]) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: admin.cookie } });
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      expect(body.error?.code, path).toBe('bad_request');
      expect(body.error?.message, path).toMatch(/address/);
    }
  });
});

describe('hostile queries to the public knowledge base', () => {
  it('never get a 5xx from the widget search, article and help-centre routes', async () => {
    const part = fc.oneof(
      // Cut to what fits in a URL: past Node's header limit the HTTP parser answers 431 itself.
      edgeValue(undefined).map((value) =>
        (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 1500),
      ),
      fc.constantFrom('ru', 'en', 'de', '1', '20', '21'),
    );
    const failures: string[] = [];
    const run = await fc.check(
      fc.asyncProperty(
        fc.constantFrom(widgetKey, 'not-a-key', conversationId),
        part,
        part,
        part,
        part,
        async (key, q, locale, limit, id) => {
          const query = new URLSearchParams({ q, locale, limit }).toString();
          const k = encodeURIComponent(key);
          // Fastify's router refuses a path parameter past 100 characters before any route runs
          // (8 characters encode to at most 96).
          const articleId = encodeURIComponent([...id].slice(0, 8).join(''));
          const routes = [
            `/api/help/${k}/search?${query}`,
            `/api/help/${k}/categories?${query}`,
            `/api/help/${k}/articles/${articleId}`,
            `/help/${k}?${query}`,
            `/help/${k}/articles/${articleId}`,
          ];
          for (const route of routes) {
            const response = await fetch(server.url + route);
            if (response.status === 200) continue;
            await expectClearRefusal(response, route.slice(0, 200));
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
    if (run.failed) failures.push(String(run.errorInstance));
    expect(failures).toEqual([]);
  }, 120_000);
});

type EventName = keyof ClientToServerEvents;
/** How many payload arguments come before each event's ack; typing takes none. */
const PAYLOADS_BEFORE_ACK: Record<EventName, number | null> = {
  'message:send': 1,
  sync: 1,
  read: 1,
  typing: null,
  'conversation:open': 0,
};
const EVENTS = Object.keys(PAYLOADS_BEFORE_ACK) as EventName[];

/** Emits the arguments and an ack; resolves with what was acked, or 'none' when nothing came in `waitMs`. */
function emitRaw(socket: ClientSocket, event: EventName, args: unknown[], waitMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const loose = socket as unknown as {
      timeout(ms: number): { emit(event: string, ...rest: unknown[]): void };
    };
    loose
      .timeout(waitMs)
      .emit(event, ...args, (error: Error | null, ack: unknown) => resolve(error ? 'none' : ack));
  });
}

/** A plain message in the test's conversation goes through. */
async function expectSent(socket: ClientSocket, text: string): Promise<void> {
  const message = { conversationId, clientMsgId: clientId(), text, kind: 'text', fileIds: [] };
  expect(await emitRaw(socket, 'message:send', [message], ACK_WAIT_MS)).toMatchObject({ ok: true });
}

function socketArgs(): fc.Arbitrary<unknown[]> {
  const payload = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({
      conversationId: fc.oneof(fc.constant(conversationId), fc.string()),
      clientMsgId: fc.oneof(fc.string(), fc.jsonValue()),
      text: edgeValue(undefined),
      kind: fc.constantFrom('text', 'note', 'system', 'file', 7),
      fileIds: edgeValue({ items: {} }),
      conversations: fc.array(
        fc.record({ id: fc.oneof(fc.constant(conversationId), fc.string()), afterSeq: edgeValue(undefined) }),
        { maxLength: 5 },
      ),
      seq: edgeValue(undefined),
      typing: fc.jsonValue(),
    }),
  );
  // An event with no payload, one, or several arguments before the ack.
  return fc.array(payload, { maxLength: 3 });
}

describe('hostile socket events', () => {
  for (const side of ['visitor', 'operator'] as const) {
    it(`leave the ${side}'s connection and the server standing`, async () => {
      const socket = await connected(side === 'visitor' ? visitor.socket() : admin.socket());
      try {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...EVENTS), socketArgs(), async (event, args) => {
            // A frame over the size limit closes its connection by design (tested below).
            fc.pre(Buffer.byteLength(JSON.stringify(args)) < FRAME_LIMIT_WITH_MARGIN);
            const where = `${event} ${JSON.stringify(args).slice(0, 200)}`;
            const handled = event !== 'conversation:open' || side === 'visitor';
            const answers = handled && PAYLOADS_BEFORE_ACK[event] === args.length;
            const ack = await emitRaw(socket, event, args, answers ? ACK_WAIT_MS : 100);
            if (answers) {
              // The client always hears back, and a refusal says what is wrong.
              expect(ack, `${where} got no ack`).toMatchObject({ ok: expect.any(Boolean) });
              if ((ack as { ok: boolean }).ok === false)
                expect(ack, where).toMatchObject({ error: { message: expect.any(String) } });
            }
            expect(socket.connected, `${where} cut the connection`).toBe(true);
          }),
          { numRuns: RUNS * 8 },
        );
        // Still a working conversation afterwards.
        await expectSent(socket, 'still here');
      } finally {
        socket.disconnect();
      }
    }, 180_000);
  }

  it('close only the connection of a frame over the size limit', async () => {
    const socket = await connected(visitor.socket());
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const huge = { conversationId, clientMsgId: clientId(), text: 'x'.repeat(JSON_BODY_LIMIT), kind: 'text' };
    socket.emit('message:send', huge as never, () => undefined);
    await closed;
    const fresh = await connected(visitor.socket());
    try {
      await expectSent(fresh, 'after the big one');
    } finally {
      fresh.disconnect();
    }
  });

  it('left the server alive and the other workspace as it was', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await bystanderView()).toBe(bystanderBefore);
  });
});
