// `npm run bench:bots`: many bot conversations at once. Starts the built server on a fresh SQLite
// directory (rate limits raised), publishes a flow (greeting → menu → e-mail question → hand-off),
// opens BENCH_CONVERSATIONS widget conversations (default 1,000; each gets the greeting and the
// menu), then all visitors press a menu button at once (a burst), then all answer the question at
// BENCH_RATE answers per second (default 100; the conversations stay open meanwhile).
// Prints the server's own bot step histogram (frontline_bot_step_seconds on /metrics: loading the
// run, walking the flow, sending the bot's messages, saving; HTTP actions excluded) as p50/p99 per
// phase, and the wall time of each phase. Target (issue 6): p99 step under 10 ms.
import { startServer, type RunningServer } from '../../e2e/support/server.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
/** Answers per second of the paced phase (all conversations stay open meanwhile). */
const RATE = Number(process.env.BENCH_RATE ?? 100);
/** Requests in flight while seeding; the measured phases send everything at once. */
const PARALLEL = 50;
const UNLIMITED = '1000000000';

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} -> ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function inBatches<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += PARALLEL) {
    const batch = Array.from({ length: Math.min(PARALLEL, count - start) }, (_v, j) => work(start + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

const FLOW = {
  name: 'Bench',
  enabled: true,
  triggers: [{ kind: 'conversation_start', channels: [] }],
  graph: {
    startNodeId: 'hello',
    nodes: [
      { id: 'hello', type: 'message', text: '{{greeting}}! I am the shop bot.' },
      {
        id: 'menu',
        type: 'menu',
        text: 'What is it about?',
        options: [
          { id: 'orders', label: 'Orders', tag: 'orders' },
          { id: 'returns', label: 'Returns', tag: null },
        ],
      },
      { id: 'email', type: 'question', text: 'Your e-mail?', kind: 'email', variable: 'email' },
      // BENCH_END=close ends with a close instead: the same bot work without routing's passes over the queue.
      process.env.BENCH_END === 'close'
        ? { id: 'person', type: 'close', text: 'Thank you, we will write to you.' }
        : { id: 'person', type: 'handoff', text: 'Thank you, a person will answer.' },
    ],
    edges: [
      { id: 'e1', source: 'hello', port: 'next', target: 'menu' },
      { id: 'e2', source: 'menu', port: 'orders', target: 'email' },
      { id: 'e3', source: 'menu', port: 'returns', target: 'person' },
      { id: 'e4', source: 'email', port: 'next', target: 'person' },
    ],
  },
};

async function publishFlow(server: RunningServer): Promise<void> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.logins.admin),
  });
  const session = await json<{ csrfToken: string }>(login);
  const headers = {
    cookie: login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': session.csrfToken,
    'content-type': 'application/json',
  };
  const flow = await json<{ id: string }>(
    await fetch(`${server.url}/api/bot-flows`, { method: 'POST', headers, body: JSON.stringify(FLOW) }),
  );
  await json(
    await fetch(`${server.url}/api/bot-flows/${flow.id}/publish`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
    }),
  );
}

interface Chat {
  token: string;
  id: string;
}

async function openChat(server: RunningServer): Promise<Chat> {
  const session = await json<{ visitorToken: string }>(
    await fetch(`${server.url}/api/widget/${server.logins.widgetKey}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { pageUrl: 'https://shop.example/' } }),
    }),
  );
  const conversation = await json<{ id: string }>(
    await visitorCall(server, session.visitorToken, 'POST', '/api/widget/conversations', {
      source: 'visitor',
      lang: 'en',
    }),
  );
  return { token: session.visitorToken, id: conversation.id };
}

function visitorCall(server: RunningServer, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-visitor-token': token,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let sent = 0;
function say(
  server: RunningServer,
  chat: Chat,
  text: string,
  replyTo?: { messageId: string; buttonId: string },
) {
  sent += 1;
  return visitorCall(server, chat.token, 'POST', `/api/widget/conversations/${chat.id}/messages`, {
    clientMsgId: `bench-${sent}`,
    text,
    kind: 'text',
    ...(replyTo ? { replyTo } : {}),
  }).then((r) => json(r));
}

/** The step histogram's cumulative buckets (upper bound in seconds → count). */
async function stepBuckets(server: RunningServer): Promise<Map<number, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const match of text.matchAll(/^frontline_bot_step_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)) {
    buckets.set(match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2]));
  }
  return buckets;
}

const countOf = (buckets: Map<number, number>) => buckets.get(Infinity) ?? 0;

/** A quantile from cumulative buckets: the upper bound of the bucket it falls in (never optimistic). */
function quantile(before: Map<number, number>, after: Map<number, number>, q: number): string {
  const total = countOf(after) - countOf(before);
  const bounds = [...after.keys()].sort((a, b) => a - b);
  for (const bound of bounds) {
    const inPhase = (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
    if (inPhase >= q * total) return bound === Infinity ? '> 1 s' : `≤ ${(bound * 1000).toFixed(1)} ms`;
  }
  return 'n/a';
}

async function waitForSteps(
  server: RunningServer,
  count: number,
  timeoutMs = 300_000,
): Promise<Map<number, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const buckets = await stepBuckets(server);
    if (countOf(buckets) >= count) return buckets;
    if (Date.now() > deadline)
      throw new Error(`only ${countOf(buckets)} of ${count} bot steps within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function phase(
  server: RunningServer,
  name: string,
  before: Map<number, number>,
  run: () => Promise<unknown>,
): Promise<Map<number, number>> {
  const started = Date.now();
  await run();
  const after = await waitForSteps(server, countOf(before) + CONVERSATIONS);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${name.padEnd(34)} steps ${countOf(after) - countOf(before)}  p50 ${quantile(before, after, 0.5)}  p99 ${quantile(before, after, 0.99)}  wall ${seconds.toFixed(1)} s`,
  );
  return after;
}

async function main(): Promise<void> {
  console.log(
    `· starting the server; ${CONVERSATIONS} bot conversations (the machine may be shared: figures are indicative)`,
  );
  const server = await startServer(
    {
      RATE_LIMIT_MESSAGES_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_CONVERSATIONS_PER_HOUR: UNLIMITED,
      RATE_LIMIT_LOGIN_PER_MINUTE: UNLIMITED,
      LOG_LEVEL: 'warn',
    },
    180_000,
  );
  try {
    await publishFlow(server);
    const start = await stepBuckets(server);
    let chats: Chat[] = [];
    const opened = await phase(server, 'open + greeting + menu', start, async () => {
      chats = await inBatches(CONVERSATIONS, () => openChat(server));
    });
    const menus = await inBatches(CONVERSATIONS, async (i) => {
      const chat = chats[i] as Chat;
      const page = await json<{ items: { id: string; buttons: unknown[] }[] }>(
        await visitorCall(
          server,
          chat.token,
          'GET',
          `/api/widget/conversations/${chat.id}/messages?limit=20`,
        ),
      );
      const menu = page.items.find((m) => m.buttons.length > 0);
      if (!menu) throw new Error(`conversation ${chat.id} has no menu`);
      return menu.id;
    });
    const pressed = await phase(server, `${CONVERSATIONS} menu presses at once`, opened, () =>
      Promise.all(
        chats.map((chat, i) => say(server, chat, '', { messageId: menus[i] as string, buttonId: 'orders' })),
      ),
    );
    await phase(server, `${CONVERSATIONS} e-mail answers, ${RATE}/s`, pressed, () =>
      Promise.all(
        chats.map(async (chat, i) => {
          await new Promise((resolve) => setTimeout(resolve, (i * 1000) / RATE));
          return say(server, chat, `visitor${i}@example.com`);
        }),
      ),
    );
    console.log('target: p99 bot step under 10 ms (HTTP actions excluded)');
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
