// A chat under load for fault tests: visitors and operators (ReliableClients) exchange messages
// while the test breaks something, then every participant catches up and the transcripts are
// checked against the delivery guarantees: every acked message held exactly once by everyone in
// its conversation, in seq order, with no gaps.
import { randomUUID } from 'node:crypto';
import type { WidgetSession } from '@frontline/protocol';
import { openConversation } from './factories.js';
import { ReliableClient } from './reliable-client.js';

export interface Chat {
  operators: ReliableClient[];
  visitors: { client: ReliableClient; conversationId: string }[];
}

/** How a participant reaches the server: by URL, optionally from a chosen source address. */
export interface Route {
  url: string;
  localAddress?: string;
}

export interface HttpPost {
  (
    route: Route,
    pathname: string,
    body: unknown,
  ): Promise<{ status: number; cookies: string; json: unknown }>;
}

/** POST with global fetch; enough when no source address is chosen. */
export const fetchPost: HttpPost = async (route, pathname, body) => {
  const response = await fetch(`${route.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const cookies = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: response.status, cookies, json: await response.json() };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function joinChat(options: {
  post: HttpPost;
  widgetKey: string;
  operators: { credentials: { email: string; password: string }; route: Route }[];
  visitors: Route[];
}): Promise<Chat> {
  const operators = await Promise.all(
    options.operators.map(async ({ credentials, route }, i) => {
      const login = await options.post(route, '/api/auth/login', credentials);
      if (login.status !== 200)
        throw new Error(`operator${i} could not log in: ${JSON.stringify(login.json)}`);
      return new ReliableClient(`operator${i}`, route.url, '/operator', {
        cookie: login.cookies,
        ...(route.localAddress ? { localAddress: route.localAddress } : {}),
      });
    }),
  );
  const visitors: Chat['visitors'] = [];
  for (const [i, route] of options.visitors.entries()) {
    const session = (await options.post(route, `/api/widget/${options.widgetKey}/session`, {}))
      .json as WidgetSession;
    const client = new ReliableClient(`visitor${i}`, route.url, '/visitor', {
      visitorToken: session.visitorToken,
      ...(route.localAddress ? { localAddress: route.localAddress } : {}),
    });
    await new Promise<void>((resolve) => client.socket.once('connect', () => resolve()));
    const conversationId = (await openConversation(client.socket)).id;
    await client.follow(conversationId);
    visitors.push({ client, conversationId });
  }
  await Promise.all(operators.flatMap((o) => visitors.map((v) => o.follow(v.conversationId))));
  return { operators, visitors };
}

const everyoneIn = (chat: Chat) => [...chat.operators, ...chat.visitors.map((v) => v.client)];

/**
 * Every participant sends `messagesPerSender` messages (operators round-robin over the visitors'
 * conversations) while `chaos` runs; `chaos` gets a function telling how far the sends are (0–1)
 * and whether they are done.
 */
export async function exchangeMessages(
  chat: Chat,
  messagesPerSender: number,
  chaos: (progress: () => number, done: () => boolean) => Promise<void>,
): Promise<void> {
  const total = everyoneIn(chat).length * messagesPerSender;
  let sendsDone = false;
  const progress = () => everyoneIn(chat).reduce((n, c) => n + c.acked.length, 0) / total;
  const disorder = chaos(progress, () => sendsDone);
  await Promise.all([
    ...chat.visitors.map(async ({ client, conversationId }) => {
      for (let n = 0; n < messagesPerSender; n++) {
        await client.send(conversationId, `v-${randomUUID()}`, `${client.name} #${n}`);
        await pause(Math.random() * 60);
      }
    }),
    ...chat.operators.map(async (operator) => {
      for (let n = 0; n < messagesPerSender; n++) {
        const target = chat.visitors[n % chat.visitors.length];
        if (!target) continue;
        await operator.send(target.conversationId, `o-${randomUUID()}`, `${operator.name} #${n}`);
        await pause(Math.random() * 60);
      }
    }),
  ]);
  sendsDone = true;
  await disorder;
}

/** Cuts the transport under a random participant every 40–160 ms until `done`; Socket.IO reconnects. */
export async function dropConnectionsAtRandom(chat: Chat, done: () => boolean): Promise<void> {
  const everyone = everyoneIn(chat);
  while (!done()) {
    await pause(40 + Math.random() * 120);
    everyone[Math.floor(Math.random() * everyone.length)]?.socket.io.engine?.close();
  }
}

/**
 * Lets everyone catch up (until each holds through the newest acked seq, or the deadline on a
 * slow machine) and returns every broken guarantee found, as readable lines; [] when all hold.
 */
export async function deliveryProblems(chat: Chat, expectedAcks: number): Promise<string[]> {
  const everyone = everyoneIn(chat);
  const acked = everyone.flatMap((c) => c.acked);
  const newestAcked = (conversationId: string) =>
    Math.max(0, ...acked.filter((m) => m.conversationId === conversationId).map((m) => m.seq));
  const settled = () =>
    chat.visitors.every(({ client, conversationId }) =>
      [client, ...chat.operators].every(
        (p) => (p.heldThrough.get(conversationId) ?? 0) >= newestAcked(conversationId),
      ),
    );
  for (const deadline = Date.now() + 30_000; !settled() && Date.now() < deadline;) {
    await Promise.all(everyone.map((c) => c.catchUp()));
    await pause(100);
  }
  const problems: string[] = [];
  if (acked.length !== expectedAcks) problems.push(`${acked.length} sends acked, ${expectedAcks} expected`);
  for (const { client, conversationId } of chat.visitors) {
    for (const participant of [client, ...chat.operators]) {
      const transcript = participant.transcript(conversationId);
      const seqs = transcript.map((m) => m.seq);
      const gapless = seqs.every((seq, i) => seq === i + 1);
      if (!gapless) problems.push(`${participant.name} in ${conversationId} holds seqs ${seqs.join(',')}`);
      if (new Set(transcript.map((m) => m.id)).size !== transcript.length)
        problems.push(`${participant.name} holds a message twice in ${conversationId}`);
      for (const message of acked.filter((m) => m.conversationId === conversationId)) {
        if (transcript.find((m) => m.seq === message.seq)?.id !== message.id)
          problems.push(`${participant.name} does not hold "${message.text}" (seq ${message.seq})`);
      }
    }
  }
  return problems;
}

export function leaveChat(chat: Chat): void {
  for (const client of everyoneIn(chat)) client.close();
}
