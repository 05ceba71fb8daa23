// A chat participant that follows the delivery protocol as the real clients must (docs/delivery.md):
// retries unacked sends with the same clientMsgId, catches up by seq on every (re)connect, fetches
// on a gap, and drops duplicates. Fault tests run many of these against a misbehaving network.
import { io } from 'socket.io-client';
import type { Message, SendAck, SyncAck } from '@frontline/protocol';
import type { ClientSocket } from './factories.js';

const ACK_TIMEOUT_MS = 2_000;

export class ReliableClient {
  readonly socket: ClientSocket;
  /** Messages held per conversation, by seq. */
  readonly held = new Map<string, Map<number, Message>>();
  /** Highest seq up to which this client holds everything (seqs it may not see count as held). */
  readonly heldThrough = new Map<string, number>();
  readonly acked: Message[] = [];
  duplicatesDropped = 0;
  /** When the last catch-up completed: a client is "in sync" once one completed after a disruption. */
  lastSyncedAt = 0;
  private readonly conversations = new Set<string>();

  constructor(
    readonly name: string,
    url: string,
    namespace: '/operator' | '/visitor',
    auth: { cookie?: string; visitorToken?: string; localAddress?: string },
  ) {
    this.socket = io(url + namespace, {
      transports: ['websocket'],
      forceNew: true,
      // Behind nginx the source address picks the node (see nginx-cluster.ts).
      ...(auth.localAddress ? { localAddress: auth.localAddress } : {}),
      reconnectionDelay: 50,
      reconnectionDelayMax: 300,
      randomizationFactor: 0.5,
      ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
      ...(auth.visitorToken ? { auth: { visitorToken: auth.visitorToken } } : {}),
    });
    this.socket.on('connect', () => void this.catchUp());
    // A refused handshake (the node could not reach its database) is not retried by Socket.IO.
    this.socket.on('connect_error', () => {
      if (!this.socket.active) setTimeout(() => this.socket.connect(), 200);
    });
    this.socket.on('message:new', (message) => this.receive(message));
  }

  follow(conversationId: string): Promise<void> {
    this.conversations.add(conversationId);
    return this.catchUp();
  }

  /** Sends until acked, retrying with the same clientMsgId across timeouts and reconnects. */
  async send(conversationId: string, clientMsgId: string, text: string): Promise<Message> {
    for (;;) {
      const ack = await new Promise<SendAck | undefined>((resolve) => {
        if (!this.socket.connected) return setTimeout(() => resolve(undefined), 50);
        this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(
            'message:send',
            { conversationId, clientMsgId, text, kind: 'text', fileIds: [] },
            (error: Error | null, result: SendAck) => resolve(error ? undefined : result),
          );
      });
      if (ack?.ok) {
        this.acked.push(ack.message);
        this.receive(ack.message);
        return ack.message;
      }
      if (ack && ack.error.code !== 'unavailable' && ack.error.code !== 'internal')
        throw new Error(`${this.name}: ${ack.error.message}`);
    }
  }

  async catchUp(): Promise<void> {
    if (!this.socket.connected || this.conversations.size === 0) return;
    const request = [...this.conversations].map((id) => ({ id, afterSeq: this.heldThrough.get(id) ?? 0 }));
    const result = await new Promise<SyncAck | undefined>((resolve) =>
      this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emit('sync', { conversations: request }, (error: Error | null, ack: SyncAck) =>
          resolve(error ? undefined : ack),
        ),
    );
    if (!result?.ok) return;
    for (const entry of result.conversations) {
      for (const message of entry.messages) this.receive(message);
      if (!entry.hasMore) this.advance(entry.id, entry.conversation.lastSeq);
      else void this.catchUp();
    }
    if (result.conversations.every((entry) => !entry.hasMore)) this.lastSyncedAt = Date.now();
  }

  private receive(message: Message): void {
    let messages = this.held.get(message.conversationId);
    if (!messages) this.held.set(message.conversationId, (messages = new Map()));
    if (messages.has(message.seq)) {
      this.duplicatesDropped += 1;
      return;
    }
    messages.set(message.seq, message);
    const through = this.heldThrough.get(message.conversationId) ?? 0;
    if (message.seq === through + 1) this.advance(message.conversationId, message.seq);
    else if (message.seq > through + 1 && this.conversations.has(message.conversationId)) void this.catchUp();
  }

  private advance(conversationId: string, upTo: number): void {
    const messages = this.held.get(conversationId) ?? new Map<number, Message>();
    let through = Math.max(this.heldThrough.get(conversationId) ?? 0, 0);
    while (messages.has(through + 1)) through += 1;
    this.heldThrough.set(conversationId, Math.max(through, upTo));
  }

  /** Messages of a conversation in the order this client holds them. */
  transcript(conversationId: string): Message[] {
    return [...(this.held.get(conversationId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  close(): void {
    this.socket.disconnect();
  }
}
