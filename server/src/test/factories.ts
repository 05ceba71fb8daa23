// Small factories for integration tests: a workspace with people, logged-in HTTP clients,
// widget visitors, and sockets for both sides.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  Conversation,
  FileInfo,
  SendAck,
  ServerToClientEvents,
  Session,
  WidgetSession,
} from '@frontline/protocol';
import type { TestServer } from './harness.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestWorkspace {
  id: string;
  widgetKey: string;
  admin: { email: string; password: string };
  operator: { email: string; password: string };
}

let counter = 0;

export async function createWorkspace(server: TestServer): Promise<TestWorkspace> {
  counter += 1;
  const { workspaces, operators } = server.app.services;
  const workspace = await workspaces.create({ name: `Workspace ${counter}`, defaultLocale: 'en' });
  const tag = `${counter}-${randomUUID().slice(0, 8)}`;
  const admin = { email: `admin-${tag}@test.local`, password: 'admin-password-1' };
  const operator = { email: `operator-${tag}@test.local`, password: 'operator-password-1' };
  await operators.create(workspace.id, { ...admin, name: 'Admin', role: 'admin', locale: 'en' });
  await operators.create(workspace.id, { ...operator, name: 'Olga', role: 'operator', locale: 'en' });
  return { id: workspace.id, widgetKey: workspace.widget_key, admin, operator };
}

/** An operator's HTTP client: the session cookie and CSRF token go with every request. */
export class StaffClient {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly session: Session,
  ) {}

  request(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(this.url + route, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await this.request(method, route, body);
    if (!response.ok) throw new Error(`${method} ${route} -> ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Uploads a file as this member of staff (`POST /api/files`); fails the test unless stored. */
  async upload(name: string, content: string, type: string): Promise<FileInfo> {
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    const response = await fetch(`${this.url}/api/files`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.session.csrfToken },
      body: form,
    });
    if (response.status !== 201)
      throw new Error(`upload of ${name} -> ${response.status} ${await response.text()}`);
    return (await response.json()) as FileInfo;
  }

  socket(): ClientSocket {
    return io(`${this.url}/operator`, {
      transports: ['websocket'],
      extraHeaders: { cookie: this.cookie },
      forceNew: true,
      reconnection: false,
    });
  }
}

export async function login(
  server: TestServer,
  credentials: { email: string; password: string },
): Promise<StaffClient> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new StaffClient(server.url, cookie, (await response.json()) as Session);
}

export interface Visitor {
  session: WidgetSession;
  token: string;
  socket(options?: { hostOrigin?: string; origin?: string }): ClientSocket;
  request(method: string, route: string, body?: unknown): Promise<Response>;
}

export async function startVisitor(
  server: TestServer,
  widgetKey: string,
  visitorToken?: string,
): Promise<Visitor> {
  const response = await fetch(`${server.url}/api/widget/${widgetKey}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(visitorToken ? { visitorToken } : {}),
      metadata: { pageUrl: 'https://shop.test/cart', language: 'en' },
    }),
  });
  if (!response.ok) throw new Error(`widget session failed: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as WidgetSession;
  return {
    session,
    token: session.visitorToken,
    socket: (options = {}) =>
      io(`${server.url}/visitor`, {
        transports: ['websocket'],
        auth: {
          visitorToken: session.visitorToken,
          ...(options.hostOrigin ? { hostOrigin: options.hostOrigin } : {}),
        },
        extraHeaders: options.origin ? { origin: options.origin } : {},
        forceNew: true,
        reconnection: false,
      }),
    request: (method, route, body) =>
      fetch(server.url + route, {
        method,
        headers: {
          'x-visitor-token': session.visitorToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

export function connected(socket: ClientSocket): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The visitor's conversation, opened (or resumed) over the socket; rejects with the server's error. */
export function openConversation(socket: ClientSocket): Promise<Conversation> {
  return new Promise((resolve, reject) =>
    socket.emit('conversation:open', (ack) =>
      ack.ok ? resolve(ack.conversation) : reject(new Error(`${ack.error.code}: ${ack.error.message}`)),
    ),
  );
}

/** Resolves with the next `event` the socket receives that passes `match`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args);
    };
    socket.on(event, listener as never);
  });
}

/** The next conversation an operator's socket hears of (conversations:updated) that passes `match`. */
export async function nextConversationUpdate(
  socket: ClientSocket,
  match: (conversation: Conversation) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Conversation> {
  const [conversations] = await nextEvent(
    socket,
    'conversations:updated',
    (list) => list.some(match),
    timeoutMs,
  );
  return conversations.find(match)!;
}

export const clientId = () => `c-${randomUUID()}`;

/** A widget visitor with an open conversation, who wrote `text` in it when given. */
export async function visitorConversation(
  server: TestServer,
  widgetKey: string,
  text?: string,
): Promise<{ visitor: Visitor; conversation: Conversation }> {
  const visitor = await startVisitor(server, widgetKey);
  const socket = await connected(visitor.socket());
  try {
    const conversation = await openConversation(socket);
    if (text !== undefined) {
      const ack = await new Promise<SendAck>((resolve) =>
        socket.emit(
          'message:send',
          { conversationId: conversation.id, clientMsgId: clientId(), text, kind: 'text', fileIds: [] },
          resolve,
        ),
      );
      if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    }
    return { visitor, conversation };
  } finally {
    socket.disconnect();
  }
}
