// Drives messages from the visitors of a chat and measures them: at a set aggregate rate (open
// loop: sends go out on schedule whether or not the server keeps up) or as fast as acks come back
// (closed loop: each visitor keeps a window of sends outstanding). Sends are numbered; the number
// rides in clientMsgId and indexes typed arrays of send times and states, so the hot path allocates only the
// event itself.
import type { Message, SendAck } from '@frontline/protocol';
import type { Chat, Visitor } from './clients.js';
import { Samples, startLoadMeter, type LoadFigures } from './stats.js';

/** Send times and states are kept for this many sends; far more than can be outstanding in a few minutes. */
const RING_SIZE = 1 << 20;
const RING_MASK = RING_SIZE - 1;
const ID_PREFIX = 'b';
/** A typical chat line, so the stored and relayed bytes look like real traffic. */
const MESSAGE_TEXT = 'Hello! My order has not arrived yet, could you check where it is?';
/** The open loop releases what is due this often: small bursts, cheap timers. */
const PACING_INTERVAL_MS = 5;
/** After the window: how long late acks and deliveries of measured sends may take to come in. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface MessageFigures extends LoadFigures {
  /** Sends per second the generator made in the window (the open loop's offered rate). */
  sentPerSecond: number;
  /** Successful acks per second received in the window. */
  ackedPerSecond: number;
  /** Visitor send to operator `message:new`, p50/p95/p99 in ms, of sends made in the window. */
  deliveryMs: number[];
  /** Visitor send to its ack, p50/p95/p99 in ms. */
  ackMs: number[];
  /** Error acks during the phase (warm-up included), and the first of them. */
  errors: number;
  firstError: string | undefined;
  /** Sends never answered, even after the drain wait. */
  unanswered: number;
  /** Acked sends of the window that no operator received. */
  undelivered: number;
}

interface Sender {
  visitor: Visitor;
  onAck: (ack: SendAck) => void;
}

const PERCENTILES = [50, 95, 99];
/** Bits of a send's state. */
const ACKED = 1;
const DELIVERED = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MessageLoad {
  private readonly sentAt = new Float64Array(RING_SIZE);
  private readonly state = new Uint8Array(RING_SIZE);
  private readonly senders: Sender[];
  private issued = 0;
  private answered = 0;
  private errors = 0;
  private firstError: string | undefined;
  private closedLoop = false;
  /** Sends numbered in [firstMeasured, endMeasured) are measured. */
  private firstMeasured = Infinity;
  private endMeasured = Infinity;
  /** Acks received while the window is open: the throughput. */
  private ackedInWindow = 0;
  private windowOpen = false;
  private deliverySamples = new Samples();
  private ackSamples = new Samples();

  constructor(
    chat: Chat,
    private readonly serverPid: number,
  ) {
    for (const operator of chat.operators) operator.on('message:new', (message) => this.onDelivered(message));
    this.senders = chat.visitors.map((visitor) => {
      const sender: Sender = {
        visitor,
        onAck: (ack) => {
          this.onAck(ack);
          if (this.closedLoop) this.send(sender);
        },
      };
      return sender;
    });
  }

  /** Open loop: `rate` sends per second in all, round-robin over the visitors. */
  async atRate(rate: number, warmupSeconds: number, seconds: number): Promise<MessageFigures> {
    this.resetErrors();
    const startedAt = performance.now();
    let offered = 0;
    let next = 0;
    // Sends owed are computed from the clock, so a late timer catches up rather than lowering the rate.
    const pacer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) * rate) / 1000);
      for (; offered < due; offered++) this.send(this.senders[next++ % this.senders.length] as Sender);
    }, PACING_INTERVAL_MS);
    return this.measure(warmupSeconds, seconds, () => clearInterval(pacer));
  }

  /** Closed loop: each visitor keeps `outstanding` sends in flight, sending anew on every ack. */
  async closedLoopOf(outstanding: number, warmupSeconds: number, seconds: number): Promise<MessageFigures> {
    this.resetErrors();
    this.closedLoop = true;
    for (const sender of this.senders) for (let i = 0; i < outstanding; i++) this.send(sender);
    return this.measure(warmupSeconds, seconds, () => (this.closedLoop = false));
  }

  private async measure(
    warmupSeconds: number,
    seconds: number,
    stopSending: () => void,
  ): Promise<MessageFigures> {
    await sleep(warmupSeconds * 1000);
    this.deliverySamples = new Samples();
    this.ackSamples = new Samples();
    this.ackedInWindow = 0;
    const meter = startLoadMeter(this.serverPid);
    this.firstMeasured = this.issued;
    this.endMeasured = Infinity;
    this.windowOpen = true;
    await sleep(seconds * 1000);
    this.windowOpen = false;
    this.endMeasured = this.issued;
    const load = meter.stop();
    stopSending();
    await this.drain();
    return {
      ...load,
      sentPerSecond: (this.endMeasured - this.firstMeasured) / load.seconds,
      ackedPerSecond: this.ackedInWindow / load.seconds,
      deliveryMs: this.deliverySamples.percentiles(...PERCENTILES),
      ackMs: this.ackSamples.percentiles(...PERCENTILES),
      errors: this.errors,
      firstError: this.firstError,
      unanswered: this.issued - this.answered,
      undelivered: this.undelivered(),
    };
  }

  private resetErrors(): void {
    this.errors = 0;
    this.firstError = undefined;
  }

  /** Measured sends acked as stored that no operator has received (yet). */
  private undelivered(): number {
    let count = 0;
    for (let n = this.firstMeasured; n < this.endMeasured; n++) {
      if ((this.state[n & RING_MASK] ?? 0) === ACKED) count += 1;
    }
    return count;
  }

  private async drain(): Promise<void> {
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (performance.now() < deadline) {
      if (this.answered === this.issued && this.undelivered() === 0) return;
      await sleep(50);
    }
  }

  private send(sender: Sender): void {
    const n = this.issued++;
    this.sentAt[n & RING_MASK] = performance.now();
    this.state[n & RING_MASK] = 0;
    sender.visitor.socket.emit(
      'message:send',
      { conversationId: sender.visitor.conversationId, clientMsgId: ID_PREFIX + n, text: MESSAGE_TEXT },
      sender.onAck,
    );
  }

  private isMeasured(n: number): boolean {
    return n >= this.firstMeasured && n < this.endMeasured;
  }

  private onAck(ack: SendAck): void {
    this.answered += 1;
    if (!ack.ok) {
      this.errors += 1;
      this.firstError ??= `${ack.error.code}: ${ack.error.message}`;
      return;
    }
    if (this.windowOpen) this.ackedInWindow += 1;
    const n = sendNumber(ack.message);
    if (n === undefined) return;
    this.state[n & RING_MASK] = (this.state[n & RING_MASK] ?? 0) | ACKED;
    if (this.isMeasured(n)) this.ackSamples.add(performance.now() - (this.sentAt[n & RING_MASK] ?? NaN));
  }

  private onDelivered(message: Message): void {
    const n = sendNumber(message);
    if (n === undefined) return;
    const state = this.state[n & RING_MASK] ?? 0;
    if (state & DELIVERED) return;
    this.state[n & RING_MASK] = state | DELIVERED;
    if (this.isMeasured(n)) this.deliverySamples.add(performance.now() - (this.sentAt[n & RING_MASK] ?? NaN));
  }
}

/** The send's number, or undefined for messages the benchmark did not send (system events). */
function sendNumber(message: Message): number | undefined {
  if (!message.clientMsgId.startsWith(ID_PREFIX)) return undefined;
  const n = Number(message.clientMsgId.slice(ID_PREFIX.length));
  return Number.isInteger(n) ? n : undefined;
}
