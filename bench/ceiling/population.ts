// The simulated people of the load ceiling: widget visitors who chat (typing, then a line every few
// seconds), read what the operator wrote and now and then lose their connection and come back;
// operators who follow a share of the conversations and answer about half of the lines. Every
// operation's outcome is counted, and every send's time to ack is sampled.
import { io } from 'socket.io-client';
import type {
  Message,
  OpenConversationAck,
  SendAck,
  SyncAck,
  SyncEvent,
  WidgetSession,
} from '@frontline/protocol';
import { login, postJson, runPool, SETUP_CONCURRENCY, type ClientSocket } from '../messaging/clients.js';
import type { Frontline } from '../messaging/servers.js';
import { Samples } from '../messaging/stats.js';

/** An ack not back within this long counts as an error. */
const ACK_TIMEOUT_MS = 5_000;
const SYNC_MAX_CONVERSATIONS = 100;
const VISITOR_TEXT = 'Hello! My order has not arrived yet, could you check where it is?';
const OPERATOR_TEXT = 'Thank you, I am checking the order now, one moment please.';

export interface Behaviour {
  /** Mean seconds between one visitor's lines (exponentially distributed). */
  messageIntervalS: number;
  /** Share of visitor lines an operator answers. */
  replyShare: number;
  /** Mean seconds between one visitor's connection drops. */
  reconnectIntervalS: number;
}

/** Counts of one measurement window. */
export class Tally {
  operations = 0;
  errors = 0;
  firstError: string | undefined;
  readonly ackMs = new Samples();

  ok(): void {
    this.operations += 1;
  }

  failed(what: string): void {
    this.operations += 1;
    this.errors += 1;
    this.firstError ??= what;
  }
}

interface SimVisitor {
  socket: ClientSocket;
  conversationId: string;
  timer: NodeJS.Timeout | undefined;
}

const exponential = (meanS: number) => -Math.log(1 - Math.random()) * meanS * 1000;

export class Population {
  private readonly visitors: SimVisitor[] = [];
  private readonly operators: ClientSocket[] = [];
  private operatorSerial = 0;
  private clientSerial = 0;
  private running = true;
  tally = new Tally();

  constructor(
    /** Each new client goes to the next node in turn (a load balancer's job, not what is measured). */
    private readonly nodes: Frontline[],
    private readonly behaviour: Behaviour,
  ) {}

  get visitorCount(): number {
    return this.visitors.length;
  }

  get operatorCount(): number {
    return this.operators.length;
  }

  /** Adds visitors (each opens a conversation) and operators, who follow the new conversations. */
  async grow(visitorCount: number, operatorCount: number): Promise<void> {
    const newOperators = await runPool(operatorCount, 20, () => this.newOperator());
    const newVisitors = await runPool(visitorCount, SETUP_CONCURRENCY, () => this.newVisitor());
    const following = [...this.operators, ...newOperators];
    this.operators.push(...newOperators);
    await Promise.all(
      following.map(async (operator, o) => {
        const share = newVisitors
          .filter((_, i) => i % following.length === o)
          .map((v) => ({ id: v.conversationId, afterSeq: 0 }));
        for (let from = 0; from < share.length; from += SYNC_MAX_CONVERSATIONS) {
          const event: SyncEvent = { conversations: share.slice(from, from + SYNC_MAX_CONVERSATIONS) };
          const ack = await emit<SyncAck>(operator, 'sync', event);
          if (!ack?.ok) throw new Error(`an operator could not follow conversations: ${describe(ack)}`);
        }
      }),
    );
    for (const visitor of newVisitors) {
      this.visitors.push(visitor);
      this.schedule(visitor);
    }
  }

  stop(): void {
    this.running = false;
    for (const visitor of this.visitors) {
      clearTimeout(visitor.timer);
      visitor.socket.close();
    }
    for (const operator of this.operators) operator.close();
  }

  private nextNode(): Frontline {
    const node = this.nodes[this.clientSerial++ % this.nodes.length];
    if (!node) throw new Error('no nodes');
    return node;
  }

  private async newVisitor(): Promise<SimVisitor> {
    const node = this.nextNode();
    const response = await fetch(`${node.url}/api/widget/${node.workspace.widgetKey}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (!response.ok) throw new Error(`widget session: ${response.status} ${await response.text()}`);
    const session = (await response.json()) as WidgetSession;
    const socket = await connected(
      io(`${node.url}/visitor`, {
        transports: ['websocket'],
        forceNew: true,
        auth: { visitorToken: session.visitorToken },
        reconnectionDelay: 500,
      }),
    );
    const opened = await emit<OpenConversationAck>(socket, 'conversation:open');
    if (!opened?.ok) throw new Error(`conversation:open: ${describe(opened)}`);
    const visitor: SimVisitor = { socket, conversationId: opened.conversation.id, timer: undefined };
    socket.on('message:new', (message) => this.visitorRead(visitor, message));
    // Back after a drop: catch up on what was missed, as the widget does.
    socket.io.on('reconnect', () => void this.catchUp(visitor));
    return visitor;
  }

  private async newOperator(): Promise<ClientSocket> {
    const node = this.nextNode();
    const admin = await login(node.url, node.workspace.admin);
    const credentials = {
      email: `ceiling-operator-${(this.operatorSerial += 1)}-${Date.now()}@bench.local`,
      password: 'bench-password',
    };
    await postJson(
      `${node.url}/api/users`,
      { ...credentials, name: `Operator ${this.operatorSerial}`, role: 'operator', locale: 'en' },
      { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    );
    const { cookie } = await login(node.url, credentials);
    const socket = await connected(
      io(`${node.url}/operator`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } }),
    );
    socket.on('message:new', (message) => this.operatorReceived(socket, message));
    return socket;
  }

  private schedule(visitor: SimVisitor): void {
    if (!this.running) return;
    const nextLine = exponential(this.behaviour.messageIntervalS);
    const nextDrop = exponential(this.behaviour.reconnectIntervalS);
    visitor.timer = setTimeout(
      () => {
        if (nextDrop < nextLine) this.drop(visitor);
        else void this.say(visitor);
        this.schedule(visitor);
      },
      Math.min(nextLine, nextDrop),
    );
  }

  private async say(visitor: SimVisitor): Promise<void> {
    if (!visitor.socket.connected) return;
    visitor.socket.emit('typing', { conversationId: visitor.conversationId, typing: true });
    await this.send(visitor.socket, visitor.conversationId, VISITOR_TEXT);
  }

  /** The transport dies under the visitor; Socket.IO reconnects and the visitor catches up. */
  private drop(visitor: SimVisitor): void {
    visitor.socket.io.engine?.close();
  }

  private async catchUp(visitor: SimVisitor): Promise<void> {
    const ack = await emit<SyncAck>(visitor.socket, 'sync', {
      conversations: [{ id: visitor.conversationId, afterSeq: 0 }],
    });
    if (ack?.ok) this.tally.ok();
    else this.tally.failed(`catch-up after a reconnect: ${describe(ack)}`);
  }

  private visitorRead(visitor: SimVisitor, message: Message): void {
    if (message.author.type === 'visitor') return;
    visitor.socket.emit('read', { conversationId: visitor.conversationId, seq: message.seq });
  }

  private operatorReceived(operator: ClientSocket, message: Message): void {
    if (message.author.type !== 'visitor' || Math.random() >= this.behaviour.replyShare) return;
    operator.emit('read', { conversationId: message.conversationId, seq: message.seq });
    setTimeout(
      () => {
        if (!this.running || !operator.connected) return;
        operator.emit('typing', { conversationId: message.conversationId, typing: true });
        void this.send(operator, message.conversationId, OPERATOR_TEXT);
      },
      1_000 + Math.random() * 2_000,
    );
  }

  private async send(socket: ClientSocket, conversationId: string, text: string): Promise<void> {
    const startedAt = performance.now();
    const clientMsgId = `c-${(this.clientSerial += 1)}-${Math.random().toString(36).slice(2)}`;
    const ack = await emit<SendAck>(socket, 'message:send', {
      conversationId,
      clientMsgId,
      text,
      kind: 'text',
      fileIds: [],
    });
    // A send cut by the visitor's own simulated drop is not the server's error.
    if (ack === undefined && !socket.connected) return;
    if (ack?.ok) {
      this.tally.ok();
      this.tally.ackMs.add(performance.now() - startedAt);
    } else this.tally.failed(`message:send: ${describe(ack)}`);
  }
}

function describe(ack: { ok: boolean; error?: { message: string } } | undefined): string {
  return ack === undefined ? `no ack within ${ACK_TIMEOUT_MS} ms` : (ack.error?.message ?? 'refused');
}

/** Emits with an ack; undefined when none came within the timeout. */
function emit<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T | undefined> {
  const loose = socket as unknown as { timeout(ms: number): { emit(e: string, ...rest: unknown[]): void } };
  return new Promise((resolve) =>
    loose
      .timeout(ACK_TIMEOUT_MS)
      .emit(event, ...args, (error: Error | null, ack: T) => resolve(error ? undefined : ack)),
  );
}

function connected(socket: ClientSocket): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
