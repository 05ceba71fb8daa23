// The benchmark's clients: widget visitors with an open conversation each, and operators following
// those conversations, connected the same way to Frontline and to the bare relay. Only how a
// client gets its credentials differs between the two.
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  OpenConversationAck,
  ServerToClientEvents,
  Session,
  SyncAck,
  SyncEvent,
  WidgetSession,
} from '@frontline/protocol';
import type { Frontline, ServerProcess } from './servers.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Namespace = '/operator' | '/visitor';

/** How many conversations one sync may name (SyncEvent's limit). */
const SYNC_MAX_CONVERSATIONS = 100;
/** Handshakes and HTTP calls under way at once while setting up. */
export const SETUP_CONCURRENCY = 100;

export interface Target {
  label: string;
  server: ServerProcess;
  /** The socket handshake's auth of a new widget visitor. */
  newVisitorAuth(): Promise<{ visitorToken?: string }>;
  /** Cookie headers of `count` logged-in operators. */
  operatorCookies(count: number): Promise<string[]>;
}

export interface Visitor {
  socket: ClientSocket;
  conversationId: string;
}

export interface Chat {
  visitors: Visitor[];
  operators: ClientSocket[];
}

export function frontlineTarget(label: string, server: Frontline): Target {
  return {
    label,
    server,
    async newVisitorAuth() {
      const session = await postJson<WidgetSession>(
        `${server.url}/api/widget/${server.workspace.widgetKey}/session`,
        {},
      );
      return { visitorToken: session.body.visitorToken };
    },
    async operatorCookies(count) {
      const admin = await login(server.url, server.workspace.admin);
      return runPool(count, SETUP_CONCURRENCY, async (i) => {
        const operator = { email: `bench-operator-${i}@bench.local`, password: 'bench-password' };
        await postJson(
          `${server.url}/api/users`,
          { ...operator, name: `Bench operator ${i}`, role: 'operator', locale: 'en' },
          { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
        );
        return (await login(server.url, operator)).cookie;
      });
    },
  };
}

export function bareRelayTarget(label: string, server: ServerProcess): Target {
  return {
    label,
    server,
    newVisitorAuth: () => Promise.resolve({}),
    operatorCookies: (count) => Promise.resolve(Array.from({ length: count }, () => '')),
  };
}

export async function postJson<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ body: T; response: Response }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return { body: (await response.json()) as T, response };
}

export async function login(url: string, credentials: { email: string; password: string }) {
  const { body, response } = await postJson<Session>(`${url}/api/auth/login`, credentials);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken: body.csrfToken };
}

/** Runs task(0..count-1) with at most `concurrency` under way; results in index order. */
export async function runPool<R>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** A connected socket; websocket only, and no reconnection (a drop must show, not be hidden). */
export function connect(
  server: ServerProcess,
  namespace: Namespace,
  credentials: { auth?: { visitorToken?: string }; cookie?: string },
): Promise<ClientSocket> {
  const socket: ClientSocket = io(server.url + namespace, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: credentials.auth ?? {},
    ...(credentials.cookie ? { extraHeaders: { cookie: credentials.cookie } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Visitors with a conversation each, and operators that share the conversations out between them. */
export async function openChat(target: Target, visitorCount: number, operatorCount: number): Promise<Chat> {
  const cookies = await target.operatorCookies(operatorCount);
  const operators = await Promise.all(
    cookies.map((cookie) => connect(target.server, '/operator', { cookie })),
  );
  const visitors = await runPool(visitorCount, SETUP_CONCURRENCY, async () => {
    const socket = await connect(target.server, '/visitor', { auth: await target.newVisitorAuth() });
    const ack = await new Promise<OpenConversationAck>((resolve) =>
      socket.emit('conversation:open', resolve),
    );
    if (!ack.ok) throw new Error(`conversation:open failed: ${ack.error.message}`);
    return { socket, conversationId: ack.conversation.id };
  });
  // sync subscribes an operator socket to the conversations it names.
  await Promise.all(
    operators.map(async (socket, o) => {
      const share = visitors
        .filter((_, i) => i % operatorCount === o)
        .map((v) => ({ id: v.conversationId, afterSeq: 0 }));
      for (let from = 0; from < share.length; from += SYNC_MAX_CONVERSATIONS) {
        const event: SyncEvent = { conversations: share.slice(from, from + SYNC_MAX_CONVERSATIONS) };
        const ack = await new Promise<SyncAck>((resolve) => socket.emit('sync', event, resolve));
        if (!ack.ok) throw new Error(`sync failed: ${ack.error.message}`);
      }
    }),
  );
  return { visitors, operators };
}

export function closeChat(chat: Chat): void {
  for (const visitor of chat.visitors) visitor.socket.close();
  for (const operator of chat.operators) operator.close();
}
