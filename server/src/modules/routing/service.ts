// Routing: offers each queued conversation to an operator chosen by its department's strategy,
// times offers out into missed chats (durable jobs), sets operators away after repeated misses,
// and tells queued visitors their place and expected wait.
//
// Correctness does not depend on this node being the only router: every offer is a conditional
// update that takes an operator slot and moves the conversation from queued in one transaction, so
// two nodes routing at once can only lose races, never double-assign or exceed capacity.
import type { FastifyBaseLogger } from 'fastify';
import type { Department, Presence, QueueLoad, QueueNotice } from '@frontline/protocol';
import { parseJsonColumn } from '../../storage/json.js';
import { z } from 'zod';
import type { JobRepo } from '../../jobs/repo.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { ConversationRow, MessageRow, RecordedRow } from '../conversations/repo.js';
import type { Database } from '../../storage/schema.js';
import type { Kysely, Transaction } from 'kysely';

type RecordDb = Kysely<Database> | Transaction<Database>;
import { missedByOf, type ConversationService } from '../conversations/service.js';
import type { DepartmentService } from '../departments/service.js';
import type { OperatorService } from '../operators/service.js';
import { BusinessHours, isOpen, nextOpening } from './business-hours.js';
import { pickOperator, type Candidate } from './strategies.js';
import { estimateFromHistory, type HistoryEstimate } from './history.js';
import type { RoutingSettingsRepo } from './settings.js';
import { estimateWait, type WaitRange } from './wait-estimate.js';

export const OFFER_TIMEOUT_JOB = 'routing.offer_timeout';
export const FIRST_REPLY_TIMEOUT_JOB = 'routing.first_reply_timeout';
export const IDLE_CLOSE_JOB = 'routing.idle_close';
const IdleClosePayload = z.object({ conversationId: z.string() });
/** Conversations auto-close may end: someone holds them and the visitor is not waiting for a reply. */
const CLOSABLE = new Set(['assigned', 'pending']);
const OfferTimeoutPayload = z.object({ conversationId: z.string(), operatorId: z.string() });
const FirstReplyPayload = OfferTimeoutPayload.extend({ since: z.number() });
const AssignedData = z.object({ assignee_id: z.string().nullable().optional() });
const DEFAULT_OFFER_TIMEOUT_SECONDS = 30;
/** Time constant of the rate the line moves at: recent enough to follow the day, long enough to be steady. */
const THROUGHPUT_TIME_CONSTANT_MS = 15 * 60_000;
/** How often the history figures are recomputed per workspace. */
const HISTORY_REFRESH_MS = 5_000;
/** A wait shorter than this is routing's own latency, not a line. */
const QUEUE_GRACE_MS = 2_000;
/** How far back handle times and patience are read for the Erlang A fallback. */
const HISTORY_WINDOW_MS = 2 * 60 * 60_000;

export interface RoutingOptions {
  /** The time source (default Date.now); the simulation benchmark runs on a virtual clock. */
  clock?: () => number;
  /** Told every estimate shown to a waiting visitor (the simulation measures their accuracy). */
  onEstimate?: (conversationId: string, estimate: WaitRange | null, position: number) => void;
  /**
   * Told how long each routing decision took (choosing an operator and the conditional offer), in
   * ms of wall time and of this process's CPU time (which a busy machine's scheduler does not inflate).
   */
  onDecision?: (timing: { ms: number; cpuMs: number }) => void;
}

interface SentNotice {
  key: string;
  at: number;
}

/** An unchanged queue notice is sent again after this long at the most often. */
const QUEUE_NOTICE_REPEAT_MS = 10_000;

/** Takes a waiting conversation whose department is closed; true when it did. */
export type AfterHoursTaker = (
  workspaceId: string,
  conversationId: string,
  departmentId: string,
) => Promise<boolean>;

export class RoutingService {
  /** One routing pass per workspace at a time on this node; triggers during a pass cause one more. */
  private readonly passes = new Map<string, Promise<void>>();
  /** The queue notice each waiting conversation last got from this node, by workspace. */
  private readonly sentNotices = new Map<string, Map<string, SentNotice>>();
  /** Waiting conversations whose visitor hears their place on the next pass even if unchanged. */
  private readonly retell = new Map<string, Set<string>>();
  private readonly pending = new Set<string>();
  private readonly histories = new Map<string, { at: number; estimate: HistoryEstimate }>();

  constructor(
    private readonly conversations: ConversationService,
    private readonly operators: OperatorService,
    private readonly departments: DepartmentService,
    private readonly jobs: JobRepo,
    private readonly settings: RoutingSettingsRepo,
    private readonly hub: Pick<RealtimeHub, 'queueChanged' | 'operatorPresenceChanged'>,
    private readonly log: Pick<FastifyBaseLogger, 'error'>,
    private readonly options: RoutingOptions = {},
  ) {
    conversations.onRecorded((db, recorded) => this.onRecorded(db, recorded));
    conversations.onReopenWindow(
      async (workspaceId) => (await settings.get(workspaceId)).reopenWindowMinutes * 60_000,
    );
  }

  /** Who may take a conversation its closed department cannot (a bot's after-hours flow). */
  private afterHours: AfterHoursTaker = async () => false;

  /** Registered by the bots: tried before a conversation becomes an offline request after hours. */
  holdAfterHoursFor(taker: AfterHoursTaker): void {
    this.afterHours = taker;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  /**
   * Asks for a routing pass; cheap to call often (passes are coalesced). `retell` names waiting
   * conversations whose visitor just (re)joined and missed the notice of their place.
   */
  trigger(workspaceId: string, retell: readonly string[] = []): void {
    if (retell.length > 0) {
      const ids = this.retell.get(workspaceId) ?? new Set<string>();
      for (const id of retell) ids.add(id);
      this.retell.set(workspaceId, ids);
    }
    if (this.passes.has(workspaceId)) {
      this.pending.add(workspaceId);
      return;
    }
    const pass = this.route(workspaceId)
      .catch((error: unknown) => this.log.error({ err: error, workspaceId }, 'routing pass failed'))
      .finally(() => {
        this.passes.delete(workspaceId);
        if (this.pending.delete(workspaceId)) this.trigger(workspaceId);
      });
    this.passes.set(workspaceId, pass);
  }

  /** Resolves when no pass is running or queued for the workspace (tests and shutdown wait on it). */
  async settled(workspaceId: string): Promise<void> {
    for (let pass = this.passes.get(workspaceId); pass; pass = this.passes.get(workspaceId)) await pass;
  }

  async route(workspaceId: string, now = this.now()): Promise<void> {
    const queue = await this.conversations.queued(workspaceId);
    if (queue.length === 0) return;
    const departments = new Map((await this.departments.list(workspaceId)).map((d) => [d.id, d]));
    const candidates = new Map<string, Candidate[]>();
    const waiting: ConversationRow[] = [];
    for (const conversation of queue) {
      const department = conversation.department_id ? departments.get(conversation.department_id) : undefined;
      const key = department?.id ?? '';
      if (department && (await this.closedNow(conversation, department, now))) continue;
      if (!candidates.has(key)) candidates.set(key, await this.candidatesFor(workspaceId, department));
      const started = this.options.onDecision ? { wall: performance.now(), cpu: process.cpuUsage() } : null;
      const offeredTo = await this.offerNext(conversation, department, candidates.get(key) ?? [], now);
      if (started) {
        const cpu = process.cpuUsage(started.cpu);
        this.options.onDecision?.({
          ms: performance.now() - started.wall,
          cpuMs: (cpu.user + cpu.system) / 1000,
        });
      }
      if (!offeredTo) waiting.push(conversation);
    }
    await this.announceQueue(workspaceId, waiting, now);
  }

  /**
   * Outside the department's business hours (its time zone, its holidays) a waiting conversation
   * goes to the bot's after-hours flow when there is one, else becomes an offline request,
   * answered when the team is back.
   */
  private async closedNow(
    conversation: ConversationRow,
    department: Department,
    now: number,
  ): Promise<boolean> {
    if (!department.businessHours) return false;
    const hours = BusinessHours.parse(department.businessHours);
    if (isOpen(hours, new Date(now))) return false;
    if (await this.afterHours(conversation.workspace_id, conversation.id, department.id)) return true;
    await this.conversations.goOffline(conversation.workspace_id, conversation.id, {
      reason: 'after_hours',
      departmentId: department.id,
      opensAt: nextOpening(hours, new Date(now))?.getTime() ?? null,
    });
    return true;
  }

  private async candidatesFor(workspaceId: string, department: Department | undefined): Promise<Candidate[]> {
    const rows = await this.operators.routingCandidates(workspaceId, department?.id ?? null);
    return rows.map((row) => ({
      id: row.id,
      active: row.active_count,
      capacity: row.capacity,
      lastOfferedAt: row.last_offered_at,
    }));
  }

  private async offerNext(
    conversation: ConversationRow,
    department: Department | undefined,
    candidates: Candidate[],
    now: number,
  ): Promise<string | null> {
    const strategy = department?.strategy ?? 'least_busy';
    const excluded = new Set(missedByOf(conversation));
    const previousOperatorId =
      strategy === 'sticky' ? await this.conversations.previousAssignee(conversation) : null;
    const chosen = pickOperator(candidates, {
      strategy,
      excluded,
      previousOperatorId,
      waitedMs: now - (conversation.queued_at ?? conversation.created_at),
      stickyWaitMs: (department?.stickyWaitSeconds ?? 0) * 1000,
    });
    if (!chosen) return null;
    const expiresAt = now + (department?.offerTimeoutSeconds ?? DEFAULT_OFFER_TIMEOUT_SECONDS) * 1000;
    const offered = await this.conversations.offer(
      conversation.workspace_id,
      conversation.id,
      chosen,
      expiresAt,
      (trx) =>
        this.jobs.enqueue(
          {
            workspaceId: conversation.workspace_id,
            kind: OFFER_TIMEOUT_JOB,
            payload: { conversationId: conversation.id, operatorId: chosen },
            runAt: expiresAt,
          },
          trx,
        ),
    );
    const candidate = candidates.find((c) => c.id === chosen);
    if (candidate && offered) {
      candidate.active += 1;
      candidate.lastOfferedAt = now;
    } else if (candidate) {
      // Another node filled this operator first: do not try them again in this pass.
      candidate.active = candidate.capacity;
    }
    return offered ? chosen : null;
  }

  /** Job handler: an offer nobody accepted in time is a missed chat, and moves on. */
  async offerTimedOut(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId, operatorId } = OfferTimeoutPayload.parse(rawPayload);
    if (!(await this.conversations.missOffer(workspaceId, conversationId, operatorId))) return;
    await this.afterMiss(workspaceId, conversationId, operatorId);
  }

  /** Job handler: accepted but no first reply in time is a missed chat too, and moves on. */
  async firstReplyTimedOut(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId, operatorId, since } = FirstReplyPayload.parse(rawPayload);
    const stage = { status: 'assigned' as const, since };
    if (!(await this.conversations.missOffer(workspaceId, conversationId, operatorId, stage))) return;
    await this.afterMiss(workspaceId, conversationId, operatorId);
  }

  /** Counts the operator's miss, sets them away after the department's limit, and routes again. */
  private async afterMiss(workspaceId: string, conversationId: string, operatorId: string): Promise<void> {
    const misses = await this.operators.countMiss(workspaceId, operatorId);
    const conversation = await this.conversations
      .queued(workspaceId)
      .then((q) => q.find((c) => c.id === conversationId));
    const department = conversation?.department_id
      ? await this.departments.get(workspaceId, conversation.department_id)
      : undefined;
    if (misses >= (department?.missesBeforeAway ?? 3)) {
      await this.operators.setPresence(workspaceId, operatorId, 'away', 'missed_offers');
      this.hub.operatorPresenceChanged(workspaceId, operatorId, 'away');
    }
    this.trigger(workspaceId);
  }

  /**
   * In the transaction that records an operator taking a conversation (accepting an offer or
   * picking it up): if the department has a first-reply timeout, the durable job that checks it.
   */
  private async onRecorded(db: RecordDb, recorded: RecordedRow): Promise<void> {
    if (recorded.kind === 'message') return this.scheduleIdleClose(db, recorded.row);
    if (recorded.row.type !== 'assigned') return;
    const { row } = recorded;
    const assignee = parseJsonColumn(AssignedData, row.data, {}).assignee_id;
    // A supervisor's hand-assignment is a person's decision, not an offer to time out.
    if (row.actor_type !== 'operator' || !assignee || row.actor_id !== assignee) return;
    const department = await db
      .selectFrom('conversations')
      .innerJoin('departments', 'departments.id', 'conversations.department_id')
      .select('departments.first_reply_timeout_seconds as seconds')
      .where('conversations.workspace_id', '=', row.workspace_id)
      .where('conversations.id', '=', row.conversation_id)
      .executeTakeFirst();
    if (!department || department.seconds <= 0) return;
    await this.jobs.enqueue(
      {
        workspaceId: row.workspace_id,
        kind: FIRST_REPLY_TIMEOUT_JOB,
        payload: { conversationId: row.conversation_id, operatorId: assignee, since: row.created_at },
        runAt: row.created_at + department.seconds * 1000,
      },
      db,
    );
  }

  /**
   * In the transaction of a reply by the team: the conversation's idle timer, one per conversation
   * (a durable job that moves itself on while messages keep coming), if auto-close is on anywhere.
   */
  private async scheduleIdleClose(db: RecordDb, message: MessageRow): Promise<void> {
    if (message.kind !== 'text' || (message.author_type !== 'operator' && message.author_type !== 'bot'))
      return;
    const minutes = await this.settings.shortestIdleMinutes(message.workspace_id, db, message.created_at);
    if (minutes === null) return;
    await this.jobs.enqueueOnce(
      {
        id: `idle:${message.conversation_id}`,
        workspaceId: message.workspace_id,
        kind: IDLE_CLOSE_JOB,
        payload: { conversationId: message.conversation_id },
        runAt: message.created_at + minutes * 60_000,
      },
      db,
    );
  }

  /**
   * Job handler: closes the conversation if it has been quiet for its idle time while the visitor
   * was not waiting for a reply; if a message came meanwhile, runs again when that one is due.
   */
  async idleTimedOut(
    workspaceId: string,
    rawPayload: Record<string, unknown>,
  ): Promise<{ rescheduleAt: number } | undefined> {
    const { conversationId } = IdleClosePayload.parse(rawPayload);
    const row = await this.conversations.findForRouting(workspaceId, conversationId);
    // Not held, or the visitor awaits an answer: not idle; the team's next reply starts a new timer.
    if (!row || !CLOSABLE.has(row.status) || row.waiting_since !== null) return undefined;
    const minutes = await this.settings.idleMinutesFor(workspaceId, row.department_id);
    if (minutes <= 0) return undefined;
    const dueAt = (row.last_message_at ?? row.activity_at) + minutes * 60_000;
    if (dueAt > this.now()) return { rescheduleAt: dueAt };
    // Lost to a message arriving this instant: that message's sender is active, nothing to do.
    await this.conversations.closeIdle(workspaceId, row, minutes);
    return undefined;
  }

  async setPresence(workspaceId: string, userId: string, presence: Presence): Promise<void> {
    await this.operators.setPresence(workspaceId, userId, presence, 'manual');
    this.hub.operatorPresenceChanged(workspaceId, userId, presence);
    if (presence === 'online') this.trigger(workspaceId);
  }

  /** The supervisor's view: every queue with its waiting count and the capacity free for it. */
  async queueLoads(workspaceId: string, queue: ConversationRow[]): Promise<QueueLoad[]> {
    const [departments, operators] = await Promise.all([
      this.departments.list(workspaceId),
      this.operators.list(workspaceId),
    ]);
    const online = operators.filter((o) => o.presence === 'online' && o.disabled_at === null);
    const lines: { department: Department | null }[] = [
      { department: null },
      ...departments.map((department) => ({ department })),
    ];
    return lines.map(({ department }) => {
      const waiting = queue.filter((c) => c.department_id === (department?.id ?? null));
      // As routing does: a department without members is served by everyone.
      const members = department && department.memberIds.length > 0 ? new Set(department.memberIds) : null;
      const serving = members ? online.filter((o) => members.has(o.id)) : online;
      const queuedTimes = waiting.map((c) => c.queued_at ?? c.created_at);
      return {
        departmentId: department?.id ?? null,
        name: department?.name ?? null,
        lineLevel: department?.lineLevel ?? null,
        waiting: waiting.length,
        oldestQueuedAt: queuedTimes.length > 0 ? Math.min(...queuedTimes) : null,
        online: serving.length,
        freeSlots: serving.reduce((sum, o) => sum + Math.max(0, o.capacity - o.active_count), 0),
      };
    });
  }

  /**
   * Handle time, patience and the rate the line moves at, from the last two hours of events. They
   * average over many minutes, so a few seconds' staleness is immaterial: recomputed at most every
   * HISTORY_REFRESH_MS per workspace rather than on every pass.
   */
  private async historyOf(workspaceId: string, now: number): Promise<HistoryEstimate> {
    const cached = this.histories.get(workspaceId);
    if (cached && now >= cached.at && now - cached.at < HISTORY_REFRESH_MS) return cached.estimate;
    const estimate = estimateFromHistory(
      await this.conversations.history(workspaceId, now - HISTORY_WINDOW_MS),
      now,
      { timeConstantMs: THROUGHPUT_TIME_CONSTANT_MS, graceMs: QUEUE_GRACE_MS },
    );
    this.histories.set(workspaceId, { at: now, estimate });
    return estimate;
  }

  /** Each waiting visitor learns their place in their department's line and a rounded wait. */
  private async announceQueue(workspaceId: string, waiting: ConversationRow[], now: number): Promise<void> {
    const sentBefore = this.sentNotices.get(workspaceId);
    this.sentNotices.delete(workspaceId);
    // Taken now: a visitor who joins during this pass is retold by the next one.
    const retell = this.retell.get(workspaceId);
    this.retell.delete(workspaceId);
    if (waiting.length === 0) return;
    const sent = new Map<string, SentNotice>();
    const history = await this.historyOf(workspaceId, now);
    // The line moves at the rate visitors who waited were taken: measured only while someone waited.
    const throughput = {
      ratePerSecond: history.busyRatePerSecond,
      updatedAt: now,
      events: history.busyOffers,
    };
    const online = await this.operators.routingCandidates(workspaceId, null);
    const slots = online.reduce((sum, o) => sum + o.capacity, 0);
    const positions = new Map<string, number>();
    for (const conversation of waiting) {
      const line = conversation.department_id ?? '';
      const position = (positions.get(line) ?? 0) + 1;
      positions.set(line, position);
      const estimate = estimateWait({
        position,
        onlineOperators: online.length,
        slots,
        throughput,
        now,
        timeConstantMs: THROUGHPUT_TIME_CONSTANT_MS,
        meanHandleSeconds: history.meanHandleSeconds,
        handled: history.handled,
        meanPatienceSeconds: history.meanPatienceSeconds,
      });
      this.options.onEstimate?.(conversation.id, estimate, position);
      const notice: QueueNotice = {
        conversationId: conversation.id,
        position: online.length > 0 ? position : null,
        waitMinutes: estimate ? { min: estimate.minMinutes, max: estimate.maxMinutes } : null,
      };
      // Passes come often (every arrival, offer and release): a visitor hears of a change at once,
      // the same notice again when their socket (re)joined, and otherwise only after a while.
      const key = `${notice.position}:${notice.waitMinutes?.min}-${notice.waitMinutes?.max}`;
      const last = sentBefore?.get(conversation.id);
      const unchanged = last && last.key === key && now - last.at < QUEUE_NOTICE_REPEAT_MS;
      if (unchanged && !retell?.has(conversation.id)) {
        sent.set(conversation.id, last);
        continue;
      }
      this.hub.queueChanged(notice);
      sent.set(conversation.id, { key, at: now });
    }
    this.sentNotices.set(workspaceId, sent);
  }
}
