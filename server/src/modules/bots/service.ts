// Bot flows and their runs. Flows are edited as drafts and published as immutable versions; a run
// pins the version it started with. A run is a row (node, status, variables, version): each step
// loads it, lets the FlowEngine walk, and saves the result only if the row's version is unchanged.
// Visitor messages reach the run through a durable job written in the message's own transaction,
// so the bot answers after commit, never delays delivery, and picks up after a restart.
import {
  BotFlowInput,
  FlowGraph,
  FlowTrigger,
  type BotFlow,
  type BotFlowStats,
  type BotSecret,
  type Department,
  type FlowNode,
  type FlowProblem,
  type FlowSimulationRequest,
  type FlowSimulationResult,
  type Priority,
} from '@frontline/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import type { JobRepo } from '../../jobs/repo.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { Database } from '../../storage/schema.js';
import type { ApiPrincipal, StaffPrincipal } from '../auth/principal.js';
import type { ContactService } from '../contacts/service.js';
import { attributesOf } from '../contacts/service.js';
import {
  noBotStepChanges,
  type BotSay,
  type BotStart,
  type BotStepChanges,
  type ConversationService,
} from '../conversations/service.js';
import type { ConversationRow, RecordObserver } from '../conversations/repo.js';
import type { DepartmentService } from '../departments/service.js';
import { isOpen } from '../routing/business-hours.js';
import type { TagService } from '../tags/service.js';
import type { WorkspaceService } from '../workspaces/service.js';
import {
  FlowEngine,
  knowledgeAnswerAwaited,
  type BotEffects,
  type KnowledgeAnswer,
  type HttpOutcome,
  type RunContext,
  type RunState,
  type VisitorInput,
} from './engine.js';
import { callHttpAction, type ActionDeps, type FileUpload } from './http-action.js';
import type { OutboundHttp } from '../../outbound-http.js';
import type { WorkspaceCache, WorkspaceCaches } from '../../workspace-cache.js';
import { SecretUnreadableError, type SecretBox } from '../../secrets.js';
import type { FileService } from '../files/service.js';
import { greetingFor, matchesKeyword, type Language, type Variables } from './logic.js';
import type { BotRepo, FlowRow, FlowVersionRow, RunRow } from './repo.js';
import './schema.js';
import { StepSlots } from './step-slots.js';
import { Turns } from '../../turns.js';
import { filesSentBy, secretsUsedBy, validateFlowGraph, type FlowReferences } from './validate.js';
import { recordNodeVisits } from './visits.js';

export const BOT_STEP_JOB = 'bot.step';
export const BOT_TIMEOUT_JOB = 'bot.timeout';
/** A step that keeps failing (its flow version gone, a bug) gives up instead of retrying forever. */
export const BOT_JOB_MAX_ATTEMPTS = 8;
/** How stale the departments a step sees may be (business-hours conditions, the greeting's zone). */
const DEPARTMENTS_TTL_MS = 5000;
/** Bot steps running at once on a node (step-slots.ts says why). */
const STEP_SLOTS = 4;
/** A run waiting longer than this counts as dropped off at its node. */
const DROP_OFF_MS = 30 * 60_000;

/**
 * Language understanding (docs/nlu.md) as flows use it; none wired means knowledge nodes go
 * unanswered and classify nodes leave through `else`.
 */
export interface LanguageUnderstanding {
  answer(workspaceId: string, question: string, language: Language): Promise<KnowledgeAnswer | null>;
  /** A knowledge answer asking "did this help?" was stored as this message. */
  answered(workspaceId: string, conversationId: string, messageId: string, articleId: string): Promise<void>;
  /** The visitor's judgement of that answer (the first counts). */
  judged(workspaceId: string, conversationId: string, messageId: string, helpful: boolean): Promise<void>;
  /** The intent id of a text by the workspace's active model, or null (no model, or not sure). */
  classify(workspaceId: string, text: string): Promise<string | null>;
  /** The workspace's intents, which flows may name. */
  intentIds(workspaceId: string): Promise<string[]>;
}

export interface BotDeps {
  repo: BotRepo;
  conversations: ConversationService;
  contacts: ContactService;
  tags: TagService;
  departments: DepartmentService;
  jobs: JobRepo;
  workspaces: WorkspaceService;
  /** HTTP actions call out through this (OUTBOUND_URLS). */
  http: OutboundHttp;
  /** Files an HTTP action's answer names are checked and kept here. */
  files: FileService;
  /** Largest file an action may send (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** Seals the workspace's bot secrets (purpose `bot-secrets`). */
  secrets: SecretBox;
  log: FastifyBaseLogger;
  caches: WorkspaceCaches;
}

/** A published version with its triggers read, as matched against new conversations and messages. */
interface PublishedFlow {
  version: FlowVersionRow;
  triggers: FlowTrigger[];
}

const Triggers = z.array(FlowTrigger);
const StepPayload = z.object({
  conversationId: z.string(),
  input: z
    .object({
      seq: z.number(),
      text: z.string(),
      buttonId: z.string().nullable(),
      messageId: z.string().nullable(),
    })
    .nullable()
    .default(null),
});
const TimeoutPayload = z.object({ conversationId: z.string(), version: z.number() });
const StoredReply = z.object({
  replyTo: z.object({ messageId: z.string(), buttonId: z.string() }).optional(),
});
const StoredVariables = z.record(z.string(), z.string());
const StoredPath = z.array(z.string());

export class BotService {
  /** Departments (business hours, the greeting's time zone) change rarely: read at most every few seconds. */
  private readonly departmentCache = new Map<string, { at: number; list: Promise<Department[]> }>();
  /** Published versions never change, so their parsed graphs are kept. */
  private readonly engines = new Map<string, FlowEngine>();
  private readonly slots = new StepSlots(STEP_SLOTS);
  /**
   * The last step queued per conversation on this node. Steps of one conversation take turns: a
   * step that waits for an HTTP action gives its slot up, and a later message's step must not
   * overtake it, or the earlier step's save loses and what it already said (an action's buttons)
   * stays on screen without the run waiting on it.
   */
  private readonly turns = new Turns();
  /** Told how long each step took, HTTP actions excluded (the bot step histogram of /metrics). */
  private stepTimed: (seconds: number) => void = () => undefined;

  onStepTimed(listener: (seconds: number) => void): void {
    this.stepTimed = listener;
  }

  private understanding: LanguageUnderstanding | null = null;

  /** What every new conversation and unclaimed visitor message is matched against. */
  private readonly published: WorkspaceCache<PublishedFlow[]>;

  constructor(private readonly deps: BotDeps) {
    this.published = deps.caches.create('bots.published', async (workspaceId, db) =>
      (await deps.repo.publishedVersions(workspaceId, db)).map((version) => ({
        version,
        triggers: parseJsonColumn(Triggers, version.triggers, []),
      })),
    );
  }

  /** Language understanding is built after the bots (it depends on the conversations they share). */
  understandWith(understanding: LanguageUnderstanding): void {
    this.understanding = understanding;
  }

  // ---- flows ----

  async list(workspaceId: string): Promise<BotFlow[]> {
    const rows = await this.deps.repo.listFlows(workspaceId);
    return Promise.all(rows.map((row) => this.toFlow(row)));
  }

  async get(workspaceId: string, id: string): Promise<BotFlow> {
    return this.toFlow(await this.flowRow(workspaceId, id));
  }

  async create(workspaceId: string, input: BotFlowInput): Promise<BotFlow> {
    const now = Date.now();
    const row: FlowRow = {
      id: newId(),
      workspace_id: workspaceId,
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      triggers: JSON.stringify(input.triggers),
      graph: JSON.stringify(input.graph),
      published_version: null,
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.insertFlow(row);
    this.published.changed(workspaceId);
    return this.toFlow(row);
  }

  /** Saves the draft; visitors keep getting the published version until the next publish. */
  async update(workspaceId: string, id: string, input: BotFlowInput): Promise<BotFlow> {
    await this.flowRow(workspaceId, id);
    await this.deps.repo.updateFlow(workspaceId, id, {
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      triggers: JSON.stringify(input.triggers),
      graph: JSON.stringify(input.graph),
      updated_at: Date.now(),
    });
    this.published.changed(workspaceId);
    return this.get(workspaceId, id);
  }

  /** Refused while conversations are under way in the flow: their runs need its versions. */
  async remove(workspaceId: string, id: string): Promise<void> {
    await this.flowRow(workspaceId, id);
    const active = await this.deps.repo.activeRunsOfFlow(workspaceId, id);
    if (active > 0)
      throw new AppError(
        'conflict',
        `${active} conversation(s) are under way in this flow; turn it off (enabled: false) and delete it when they have finished`,
      );
    if (!(await this.deps.repo.deleteFlow(workspaceId, id))) throw notFound('Flow');
    this.published.changed(workspaceId);
  }

  /** The flow's figures (all versions): visits as counted by each step, the rest from the runs. */
  async stats(workspaceId: string, id: string): Promise<BotFlowStats> {
    await this.flowRow(workspaceId, id);
    const [outcomes, visits] = await Promise.all([
      this.deps.repo.runOutcomes(workspaceId, id, Date.now() - DROP_OFF_MS),
      this.deps.repo.nodeVisits(workspaceId, id),
    ]);
    const stats: BotFlowStats = {
      runs: 0,
      active: 0,
      closedByBot: 0,
      takenOver: 0,
      handedOver: {},
      visits: Object.fromEntries(visits.map((v) => [v.node_id, Number(v.visits)])),
      dropOff: {},
    };
    const add = (into: Record<string, number>, key: string, n: number) => (into[key] = (into[key] ?? 0) + n);
    for (const outcome of outcomes) {
      const runs = Number(outcome.runs);
      stats.runs += runs;
      if (outcome.end_reason === 'closed') stats.closedByBot += runs;
      else if (outcome.end_reason === 'taken_over') stats.takenOver += runs;
      else if (outcome.end_reason?.startsWith('handed_over:'))
        add(stats.handedOver, outcome.end_reason.slice('handed_over:'.length), runs);
      else if (outcome.dropped_at !== null) add(stats.dropOff, outcome.dropped_at, runs);
      else stats.active += runs;
    }
    return stats;
  }

  async validate(workspaceId: string, graph: FlowGraph): Promise<FlowProblem[]> {
    return validateFlowGraph(graph, await this.references(workspaceId, graph));
  }

  // ---- secrets ----

  /** Names only: a value never leaves the server once saved. */
  async listSecrets(workspaceId: string): Promise<BotSecret[]> {
    const rows = await this.deps.repo.listSecrets(workspaceId);
    return rows.map((r) => ({ name: r.name, set: true, updatedAt: r.updated_at }));
  }

  async putSecret(workspaceId: string, name: string, value: string): Promise<BotSecret> {
    const updatedAt = Date.now();
    await this.deps.repo.putSecret({
      workspace_id: workspaceId,
      name,
      value_sealed: this.deps.secrets.seal(value),
      updated_at: updatedAt,
    });
    return { name, set: true, updatedAt };
  }

  async deleteSecret(workspaceId: string, name: string): Promise<void> {
    if (!(await this.deps.repo.deleteSecret(workspaceId, name))) throw notFound('Secret');
  }

  private async references(workspaceId: string, graph: FlowGraph): Promise<FlowReferences> {
    const [secrets, intentIds, fileIds] = await Promise.all([
      this.deps.repo.listSecrets(workspaceId),
      this.understanding?.intentIds(workspaceId),
      this.deps.files.existing(workspaceId, filesSentBy(graph)),
    ]);
    return { secretNames: secrets.map((r) => r.name), fileIds, ...(intentIds ? { intentIds } : {}) };
  }

  /**
   * Calls an action with the secrets it names, opened for this call only (a replaced one applies at
   * once). A secret this SECRET_KEY cannot open fails the action with the reason; the run goes on.
   */
  private async callAction(
    workspaceId: string,
    node: Extract<FlowNode, { type: 'action' }>,
    variables: Variables,
    keepFiles: ActionDeps['keepFiles'],
    around: (call: () => Promise<HttpOutcome>) => Promise<HttpOutcome> = (call) => call(),
  ): Promise<HttpOutcome> {
    const names = new Set(secretsUsedBy(node));
    const rows = (await this.deps.repo.listSecrets(workspaceId)).filter((r) => names.has(r.name));
    let secrets: Record<string, string>;
    try {
      secrets = Object.fromEntries(rows.map((r) => [r.name, this.deps.secrets.open(r.value_sealed)]));
    } catch (error) {
      if (error instanceof SecretUnreadableError) return { ok: false, variables: {}, error: error.message };
      throw error;
    }
    const deps: ActionDeps = {
      http: this.deps.http,
      log: this.deps.log,
      secrets,
      fileMaxBytes: this.deps.fileMaxBytes,
      keepFiles,
    };
    return around(() => callHttpAction(node, variables, deps));
  }

  /** Publishes the draft as the next version, refused with every problem named when the graph is not sound. */
  async publish(staff: StaffPrincipal, id: string): Promise<BotFlow> {
    const flow = await this.flowRow(staff.workspaceId, id);
    const graph = graphOf(flow.graph);
    const problems = validateFlowGraph(graph, await this.references(staff.workspaceId, graph));
    if (problems.length > 0)
      throw new AppError(
        'validation_failed',
        `The flow cannot be published: ${problems.map((p) => p.message).join('; ')}`,
        'graph',
      );
    await this.deps.repo.publish(flow, staff.kind === 'operator' ? staff.userId : null, Date.now());
    this.published.changed(staff.workspaceId);
    return this.get(staff.workspaceId, id);
  }

  /** Runs the draft against the given inputs without a conversation: HTTP actions are really called, nothing else is touched. */
  async simulate(
    workspaceId: string,
    id: string,
    request: FlowSimulationRequest,
  ): Promise<FlowSimulationResult> {
    const flow = await this.flowRow(workspaceId, id);
    const graph = graphOf(flow.graph);
    const problems = validateFlowGraph(graph, await this.references(workspaceId, graph));
    if (problems.length > 0)
      throw new AppError(
        'validation_failed',
        `Fix the flow first: ${problems.map((p) => p.message).join('; ')}`,
        'graph',
      );
    const engine = new FlowEngine(graph);
    const result: FlowSimulationResult = {
      steps: [],
      status: 'waiting',
      waitingAt: null,
      variables: {},
      tags: [],
      actionErrors: [],
    };
    let lastPrompt = 0;
    const fx: BotEffects = {
      visit: () => undefined,
      storedFiles: (fileIds) => this.deps.files.attachmentsFor(botPrincipal(workspaceId, id), fileIds),
      say: async (nodeId, text, buttons, files = []) => {
        result.steps.push({
          nodeId,
          text,
          buttons,
          files: files.map((f) => ({ name: f.name, mime: f.mime, size: f.size })),
        });
        lastPrompt = result.steps.length;
        return `sim${lastPrompt}`;
      },
      tag: async (tag) => void result.tags.push(tag),
      setPriority: async () => undefined,
      saveContactField: async () => undefined,
      callHttp: async (node, variables) => {
        // The simulator checks the files as a live run would, but keeps none.
        const checkFiles = async (uploads: FileUpload[]) =>
          (await this.deps.files.checkAll(uploads)).map((f) => ({
            fileId: '',
            name: f.filename,
            mime: f.mime,
            size: f.bytes.length,
          }));
        const outcome = await this.callAction(workspaceId, node, variables, checkFiles);
        if (outcome.error) result.actionErrors.push({ nodeId: node.id, error: outcome.error });
        return outcome;
      },
      knowledge: (question, language) => this.answerFromKnowledge(workspaceId, question, language),
      // The preview records nothing.
      judgeKnowledge: async () => undefined,
      classify: (text) => this.classifyIntent(workspaceId, text),
      handOver: async () => void (result.status = 'handed_over'),
      close: async () => void (result.status = 'closed'),
    };
    const departments = await this.deps.departments.list(workspaceId);
    let lastMessage = '';
    const context = (): RunContext =>
      this.context(request.language, 'widget', {}, departments, lastMessage, {});
    let state = await engine.advance(engine.initialState({ ...request.variables }), null, fx, context());
    for (const input of request.inputs) {
      if (state.status === 'ended') break;
      const visitorInput: VisitorInput =
        'buttonId' in input
          ? { kind: 'message', text: '', buttonId: input.buttonId, messageId: `sim${lastPrompt}` }
          : { kind: 'message', text: input.text, buttonId: null, messageId: null };
      if ('text' in input) lastMessage = input.text;
      state = await engine.advance(state, visitorInput, fx, context());
    }
    result.waitingAt = state.status === 'waiting' ? state.nodeId : null;
    result.variables = Object.fromEntries(
      Object.entries(state.variables).filter(([k]) => !k.startsWith('$')),
    );
    return result;
  }

  // ---- triggers ----

  /** Registered with the conversations service: picks the flow that takes a new conversation, if any. */
  readonly gate = async (
    workspaceId: string,
    opening: { channel: string; source: string; invitationId?: string; language?: Language },
  ): Promise<BotStart | null> => {
    const flows = await this.published.get(workspaceId);
    const triggered = (match: (trigger: FlowTrigger) => boolean) =>
      flows.find((flow) => flow.triggers.some(match))?.version;
    const chosen =
      (opening.invitationId &&
        triggered((t) => t.kind === 'invitation' && t.invitationId === opening.invitationId)) ||
      triggered(
        (t) =>
          t.kind === 'conversation_start' &&
          (t.channels.length === 0 || (t.channels as string[]).includes(opening.channel)),
      );
    if (!chosen) return null;
    const language =
      opening.language ??
      ((await this.deps.workspaces.get(workspaceId)).default_locale === 'en' ? 'en' : 'ru');
    return {
      flowId: chosen.flow_id,
      version: chosen.version,
      start: (trx, conversationId) =>
        this.startRun(trx, workspaceId, conversationId, chosen, opening.channel, language, 0),
      started: (conversationId) => this.kick(workspaceId, conversationId),
    };
  };

  private async startRun(
    trx: Parameters<RecordObserver>[0],
    workspaceId: string,
    conversationId: string,
    version: FlowVersionRow,
    channel: string,
    language: Language,
    inputSeq: number,
  ): Promise<void> {
    const now = Date.now();
    // Inside the opening transaction: no reads outside it (one SQLite connection would wait on itself).
    const initial = new FlowEngine(graphOf(version.graph)).initialState();
    await this.deps.repo.insertRun(trx, {
      conversation_id: conversationId,
      workspace_id: workspaceId,
      flow_id: version.flow_id,
      flow_version: version.version,
      channel,
      language,
      node_id: initial.nodeId,
      status: initial.status,
      variables: '{}',
      attempts: 0,
      prompt_message_id: null,
      input_seq: inputSeq,
      version: 0,
      end_reason: null,
      path: '[]',
      started_at: now,
      updated_at: now,
    });
    // The job makes the first step durable; `started` runs it at once when the process lives on.
    await this.deps.jobs.enqueue(
      { workspaceId, kind: BOT_STEP_JOB, payload: { conversationId, input: null }, runAt: now },
      trx,
    );
  }

  /**
   * Watches every stored row (inside its transaction): a visitor's message to a bot becomes a step
   * job; an operator taking the conversation ends the run; a keyword starts a flow on a
   * conversation nobody has yet.
   */
  readonly observer: RecordObserver = async (db, recorded) => {
    if (recorded.kind === 'event') {
      if (recorded.row.type === 'assigned')
        await this.deps.repo.endActiveRun(
          db,
          recorded.row.conversation_id,
          'taken_over',
          recorded.row.created_at,
        );
      return;
    }
    const { row: message, conversation } = recorded;
    if (message.author_type !== 'visitor' || message.kind !== 'text') return;
    // A run lives only while the conversation is the bot's; with an operator on it, bots stay out.
    if (conversation.assignee_id !== null) return;
    if (conversation.status !== 'bot' && conversation.status !== 'queued') return;
    const replyTo = parseJsonColumn(StoredReply, message.content, {}).replyTo;
    const input = {
      seq: message.seq,
      text: message.text,
      buttonId: replyTo?.buttonId ?? null,
      messageId: replyTo?.messageId ?? null,
    };
    if (conversation.status === 'bot') {
      const run = await this.deps.repo.findRun(message.workspace_id, message.conversation_id, db);
      if (run && run.status !== 'ended')
        await this.deps.jobs.enqueue(
          {
            workspaceId: message.workspace_id,
            kind: BOT_STEP_JOB,
            payload: { conversationId: message.conversation_id, input },
            runAt: Date.now(),
          },
          db,
        );
      return;
    }
    await this.startOnKeyword(db, message.workspace_id, message.conversation_id, input);
  };

  /**
   * A visitor's message in a conversation waiting in the queue may start a keyword flow, unless a
   * flow ran in it already.
   */
  private async startOnKeyword(
    db: Parameters<RecordObserver>[0],
    workspaceId: string,
    conversationId: string,
    input: { seq: number; text: string },
  ): Promise<void> {
    const flows = await this.published.get(workspaceId, db);
    const chosen = flows.find((flow) =>
      flow.triggers.some(
        (t) => t.kind === 'keyword' && t.keywords.some((k) => matchesKeyword(input.text, k)),
      ),
    )?.version;
    if (!chosen) return;
    if (await this.deps.repo.findRun(workspaceId, conversationId, db)) return;
    const claimed = await this.deps.conversations.claimForBot(
      db,
      workspaceId,
      conversationId,
      chosen.flow_id,
      chosen.version,
      'keyword',
    );
    if (!claimed) return;
    // The channel did not tell the language: the visitor's own words do.
    const language: Language = /[а-яё]/i.test(input.text) ? 'ru' : 'en';
    // The keyword message starts the flow; it is not an answer to the flow's first question.
    await this.startRun(db, workspaceId, conversationId, chosen, claimed.channel, language, input.seq);
  }

  /**
   * Registered with routing: a waiting conversation whose department is closed goes to a flow with
   * the after-hours trigger instead of becoming an offline request. Not when a flow already ran in
   * it, so a flow that hands over after hours leaves an offline request rather than starting again.
   * True when a flow took it.
   */
  readonly afterHours = async (
    workspaceId: string,
    conversationId: string,
    departmentId: string,
  ): Promise<boolean> => {
    const flows = await this.published.get(workspaceId);
    const chosen = flows.find((flow) =>
      flow.triggers.some(
        (t) =>
          t.kind === 'after_hours' &&
          (t.departmentIds.length === 0 || t.departmentIds.includes(departmentId)),
      ),
    )?.version;
    if (!chosen) return false;
    const language: Language =
      (await this.deps.workspaces.get(workspaceId)).default_locale === 'en' ? 'en' : 'ru';
    const taken = await this.deps.repo.db.transaction().execute(async (trx) => {
      if (await this.deps.repo.findRun(workspaceId, conversationId, trx)) return false;
      const claimed = await this.deps.conversations.claimForBot(
        trx,
        workspaceId,
        conversationId,
        chosen.flow_id,
        chosen.version,
        'after_hours',
      );
      if (!claimed) return false;
      // What the visitor wrote while waiting came before the flow: its first question waits for more.
      await this.startRun(
        trx,
        workspaceId,
        conversationId,
        chosen,
        claimed.channel,
        language,
        claimed.lastSeq,
      );
      return true;
    });
    if (!taken) return false;
    await this.deps.conversations.announceConversation(workspaceId, conversationId);
    this.kick(workspaceId, conversationId);
    return true;
  };

  // ---- running ----

  /** Runs a step now (after commit), best effort: the durable job is the guarantee. */
  private kick(workspaceId: string, conversationId: string): void {
    this.step(workspaceId, conversationId, null).catch((error: unknown) =>
      this.deps.log.warn({ err: error, conversationId }, 'bot step failed; its job will retry'),
    );
  }

  /** The step job: consumes the visitor's input (if not consumed yet) and walks the flow. */
  async runStepJob(workspaceId: string, payload: Record<string, unknown>): Promise<void> {
    const { conversationId, input } = StepPayload.parse(payload);
    await this.step(workspaceId, conversationId, input);
  }

  async runTimeoutJob(workspaceId: string, payload: Record<string, unknown>): Promise<void> {
    const { conversationId, version } = TimeoutPayload.parse(payload);
    await this.inTurn(conversationId, () =>
      this.slots.run(async () => {
        const startedAt = performance.now();
        const { run, conversation } = await this.readRun(workspaceId, conversationId);
        // A later step (an answer, a take-over) moved the run on: this timer is stale.
        if (!run || run.version !== version || run.status !== 'waiting') return;
        await this.advanceRun(run, conversation, { kind: 'timeout' }, null, startedAt);
      }),
    );
  }

  /** The run is read inside the slot, so a step that waited for its turn sees the latest state. */
  private step(
    workspaceId: string,
    conversationId: string,
    input: z.infer<typeof StepPayload>['input'],
  ): Promise<void> {
    return this.inTurn(conversationId, () =>
      this.slots.run(() => this.stepInSlot(workspaceId, conversationId, input)),
    );
  }

  /** Runs `work` after the conversation's earlier steps on this node have settled (taken before a slot, so waiting holds none). */
  private inTurn(conversationId: string, work: () => Promise<void>): Promise<void> {
    return this.turns.run(conversationId, work);
  }

  private async stepInSlot(
    workspaceId: string,
    conversationId: string,
    input: z.infer<typeof StepPayload>['input'],
  ): Promise<void> {
    const startedAt = performance.now();
    const { run, conversation } = await this.readRun(workspaceId, conversationId);
    if (!run || run.status === 'ended') return;
    const fresh = input && input.seq > run.input_seq ? input : null;
    if (input && !fresh) return;
    if (!fresh && run.status === 'waiting') return;
    const visitorInput: VisitorInput | null = fresh
      ? {
          kind: 'message',
          text: fresh.text,
          buttonId: fresh.buttonId,
          messageId: fresh.messageId,
          opening: run.input_seq === 0,
        }
      : null;
    await this.advanceRun(run, conversation, visitorInput, fresh, startedAt);
  }

  /** The run and its conversation, asked for together: a step waits for the database once, not twice. */
  private async readRun(
    workspaceId: string,
    conversationId: string,
  ): Promise<{ run: RunRow | undefined; conversation: ConversationRow }> {
    const [run, conversation] = await Promise.all([
      this.deps.repo.findRun(workspaceId, conversationId),
      this.deps.conversations.get(botPrincipal(workspaceId, null), conversationId),
    ]);
    return { run, conversation };
  }

  /**
   * Walks the flow from the run's state. What the bot says and does is kept until the walk ends
   * and then written in one grouped transaction with the run's new state, so a step waits for one
   * commit and a step that loses a race to another leaves nothing behind. Only an effect that
   * cannot wait (an HTTP action, whose waiting the visitor should not spend in silence; a priority
   * or contact change) writes what came before it first.
   */
  private async advanceRun(
    run: RunRow,
    conversation: ConversationRow,
    input: VisitorInput | null,
    consumed: { seq: number; text: string } | null,
    startedAt: number,
  ): Promise<void> {
    const { workspace_id: workspaceId, conversation_id: conversationId } = run;
    let externalMs = 0;
    const engine = await this.engine(run.flow_id, run.flow_version);
    const bot = botPrincipal(workspaceId, run.flow_id);
    const contact = await this.deps.contacts.get(workspaceId, conversation.contact_id);
    const departments = await this.departments(workspaceId);
    const language: Language = run.language === 'en' ? 'en' : 'ru';
    const contactFields = {
      'contact.name': contact.name ?? '',
      'contact.email': contact.email ?? '',
      'contact.phone': contact.phone ?? '',
    };
    const context = this.context(
      language,
      run.channel,
      contactFields,
      departments,
      consumed?.text ?? '',
      attributesOf(contact),
    );
    const pending = new PendingWrites(conversationId);
    const announced: Announced = { changes: noBotStepChanges(), tagsChanged: false };
    // Message client ids derive from the run's version: a step retried from the same version says nothing twice.
    let said = 0;
    // Committed writes are told at once, whatever becomes of the rest of the step.
    const writeFirst = async (): Promise<void> => {
      if (pending.isEmpty()) return;
      await this.deps.repo.writeGrouped(conversationId, (trx) =>
        this.writePending(trx, bot, pending, announced),
      );
      await this.announce(bot, conversationId, announced);
    };
    const visited: string[] = [];
    const fx: BotEffects = {
      visit: (nodeId) => visited.push(nodeId),
      storedFiles: (fileIds) => this.deps.files.attachmentsFor(bot, fileIds),
      say: async (_nodeId, text, buttons, files = []) => {
        const id = newId();
        pending.says.push({
          id,
          clientMsgId: `bot:${run.version}:${said++}`,
          authorName: null,
          text,
          buttons: buttons.map((b) => ({ id: b.id, label: b.label, url: b.url })),
          attachments: files,
        });
        return id;
      },
      tag: async (tag) => void pending.tags.push(tag),
      setPriority: async (priority: Priority) => {
        await writeFirst();
        await this.deps.conversations.setPriority(bot, conversationId, priority);
      },
      saveContactField: async (field, value) => {
        await writeFirst();
        await this.deps.contacts.update(workspaceId, contact.id, { [field]: value });
      },
      callHttp: async (node, variables) => {
        await writeFirst();
        const calledAt = performance.now();
        const keepFiles = async (uploads: FileUpload[]) =>
          (await this.deps.files.uploadAll(bot, uploads)).map((f) => ({
            fileId: f.id,
            name: f.name,
            mime: f.mime,
            size: f.size,
          }));
        const outcome = await this.callAction(workspaceId, node, variables, keepFiles, (call) =>
          this.slots.outside(call),
        );
        externalMs += performance.now() - calledAt;
        return outcome;
      },
      knowledge: (question, lang) => this.answerFromKnowledge(workspaceId, question, lang),
      judgeKnowledge: async ({ messageId, helpful }) =>
        this.understanding?.judged(workspaceId, conversationId, messageId, helpful),
      classify: (text) => this.classifyIntent(workspaceId, text),
      handOver: async (handoff) => {
        pending.ending = {
          kind: 'handover',
          flowId: run.flow_id,
          departmentId: handoff.departmentId,
          priority: handoff.priority,
          reason: handoff.reason,
          note: handoffNote(handoff.reason, handoff.variables, language),
        };
      },
      close: async () => {
        pending.ending = { kind: 'close', flowId: run.flow_id };
      },
    };
    const next = await engine.advance(stateOf(run), input, fx, context);
    const saved = await this.save(
      run,
      next,
      consumed?.seq ?? run.input_seq,
      engine,
      bot,
      { pending, visited },
      announced,
    );
    this.stepTimed((performance.now() - startedAt - externalMs) / 1000);
    if (!saved) return;
    // Recorded before the visitor can see the answer's buttons, so a press always finds it.
    const awaited = knowledgeAnswerAwaited(next);
    if (awaited)
      await this.understanding?.answered(
        workspaceId,
        conversationId,
        pending.storedIds.get(awaited.messageId) ?? awaited.messageId,
        awaited.articleId,
      );
    await this.announce(bot, conversationId, announced);
  }

  /** After a commit of the step: its messages, the conversation's change and new tags go out. */
  private async announce(bot: ApiPrincipal, conversationId: string, announced: Announced): Promise<void> {
    const { changes, tagsChanged } = announced;
    announced.changes = noBotStepChanges();
    announced.tagsChanged = false;
    await this.deps.conversations.announceBotStep(bot.workspaceId, conversationId, changes);
    if (tagsChanged) await this.deps.tags.announceTags(bot, conversationId);
  }

  /** Writes what the step said and did so far, in the step's transaction. */
  private async writePending(
    trx: Transaction<Database>,
    bot: ApiPrincipal,
    pending: PendingWrites,
    announced: Announced,
  ): Promise<void> {
    const { workspaceId } = bot;
    const conversationId = pending.conversationId;
    const storedIds = await this.deps.conversations.appendBotMessages(
      trx,
      announced.changes,
      workspaceId,
      conversationId,
      pending.says,
    );
    for (const [proposed, stored] of storedIds) pending.storedIds.set(proposed, stored);
    for (const tag of pending.tags)
      if (await this.deps.tags.addIn(trx, bot, conversationId, tag)) announced.tagsChanged = true;
    const ending = pending.ending;
    if (ending?.kind === 'handover')
      await this.deps.conversations.handOverFromBot(
        trx,
        announced.changes,
        workspaceId,
        conversationId,
        ending,
      );
    if (ending?.kind === 'close')
      await this.deps.conversations.closeByBot(
        trx,
        announced.changes,
        workspaceId,
        conversationId,
        ending.flowId,
      );
    pending.clear();
  }

  /**
   * The step's one grouped write: what it said and did, then the run's new state, saved only if
   * nobody saved another since the run was read. False when someone did and the step's work is
   * undone: an operator took the conversation (theirs stands), or another step moved the run first.
   */
  private async save(
    run: RunRow,
    next: RunState,
    inputSeq: number,
    engine: FlowEngine,
    bot: ApiPrincipal,
    { pending, visited }: { pending: PendingWrites; visited: readonly string[] },
    announced: Announced,
  ): Promise<boolean> {
    const now = Date.now();
    try {
      await this.deps.repo.writeGrouped(run.conversation_id, async (trx) => {
        await this.writePending(trx, bot, pending, announced);
        const promptMessageId =
          next.promptMessageId === null
            ? null
            : (pending.storedIds.get(next.promptMessageId) ?? next.promptMessageId);
        const saved = await this.deps.repo.saveRun(trx, run, {
          node_id: next.nodeId,
          status: next.status,
          variables: JSON.stringify(next.variables),
          attempts: next.attempts,
          prompt_message_id: promptMessageId,
          input_seq: inputSeq,
          end_reason:
            next.endReason === 'handed_over' ? `handed_over:${next.handoffReason ?? 'flow'}` : next.endReason,
          path: JSON.stringify(next.visited),
          updated_at: now,
        });
        if (!saved) throw new RunMovedOn();
        await recordNodeVisits(
          trx,
          this.deps.repo,
          { workspaceId: run.workspace_id, flowId: run.flow_id },
          visited,
        );
        const node = engine.graph.nodes.find((n) => n.id === next.nodeId);
        const minutes =
          next.status === 'waiting' && node && 'timeoutMinutes' in node ? node.timeoutMinutes : null;
        if (minutes)
          await this.deps.jobs.enqueue(
            {
              workspaceId: run.workspace_id,
              kind: BOT_TIMEOUT_JOB,
              payload: { conversationId: run.conversation_id, version: run.version + 1 },
              runAt: now + minutes * 60_000,
            },
            trx,
          );
      });
      return true;
    } catch (error) {
      if (!(error instanceof RunMovedOn)) throw error;
      const current = await this.deps.repo.findRun(run.workspace_id, run.conversation_id);
      // Ended by a take-over, or nothing of the visitor's to answer: nothing left to do.
      if (current?.status === 'ended' || inputSeq === run.input_seq) return false;
      // A visitor's message this step answered is tried again on the new state.
      throw new Error('The bot run changed meanwhile; the step will be retried');
    }
  }

  private context(
    language: Language,
    channel: string,
    contactFields: Variables,
    departments: Department[],
    lastMessage: string,
    contactAttributes: Record<string, unknown>,
  ): RunContext {
    const now = new Date();
    const timezone = departments.find((d) => d.businessHours)?.businessHours?.timezone ?? 'UTC';
    return {
      language,
      builtIns: {
        ...contactFields,
        greeting: greetingFor(now, timezone, language),
        language,
        channel,
        last_message: lastMessage,
      },
      facts: {
        contactAttributes,
        channel,
        language,
        isOpen: (departmentId) =>
          departments
            .filter((d) => departmentId === null || d.id === departmentId)
            .some((d) => d.businessHours === null || isOpen(d.businessHours, now)),
      },
    };
  }

  private departments(workspaceId: string): Promise<Department[]> {
    const cached = this.departmentCache.get(workspaceId);
    if (cached && Date.now() - cached.at < DEPARTMENTS_TTL_MS) return cached.list;
    const list = this.deps.departments.list(workspaceId);
    this.departmentCache.set(workspaceId, { at: Date.now(), list });
    list.catch(() => this.departmentCache.delete(workspaceId));
    return list;
  }

  private async answerFromKnowledge(
    workspaceId: string,
    question: string,
    language: Language,
  ): Promise<KnowledgeAnswer | null> {
    if (!this.understanding || question.trim() === '') return null;
    return this.understanding.answer(workspaceId, question, language);
  }

  private async classifyIntent(workspaceId: string, text: string): Promise<string | null> {
    if (!this.understanding || text.trim() === '') return null;
    return this.understanding.classify(workspaceId, text);
  }

  private async engine(flowId: string, version: number): Promise<FlowEngine> {
    const key = `${flowId}:${version}`;
    const cached = this.engines.get(key);
    if (cached) return cached;
    const row = await this.deps.repo.findVersion(flowId, version);
    if (!row) throw new Error(`Flow ${flowId} has no version ${version}`);
    const engine = new FlowEngine(graphOf(row.graph));
    this.engines.set(key, engine);
    return engine;
  }

  private async flowRow(workspaceId: string, id: string): Promise<FlowRow> {
    const row = await this.deps.repo.findFlow(workspaceId, id);
    if (!row) throw notFound('Flow');
    return row;
  }

  private async toFlow(row: FlowRow): Promise<BotFlow> {
    const published =
      row.published_version === null
        ? undefined
        : await this.deps.repo.findVersion(row.id, row.published_version);
    return {
      id: row.id,
      name: row.name,
      enabled: row.enabled === 1,
      triggers: parseJsonColumn(Triggers, row.triggers, []),
      graph: graphOf(row.graph),
      publishedVersion: row.published_version,
      publishedAt: published?.published_at ?? null,
      hasUnpublishedChanges:
        !published || published.graph !== row.graph || published.triggers !== row.triggers,
      updatedAt: row.updated_at,
    };
  }
}

/** The run was saved by someone else since the step read it: the step's transaction is undone. */
class RunMovedOn extends Error {
  constructor() {
    super('The bot run moved on meanwhile');
  }
}

type Ending =
  | ({ kind: 'handover'; flowId: string; note: string; reason: string } & Pick<
      Parameters<BotEffects['handOver']>[0],
      'departmentId' | 'priority'
    >)
  | { kind: 'close'; flowId: string };

/** What a step said and did that is not stored yet. */
class PendingWrites {
  says: BotSay[] = [];
  tags: string[] = [];
  ending: Ending | null = null;
  /** Messages a retried step found stored already: the id it proposed → the stored one. */
  readonly storedIds = new Map<string, string>();

  constructor(readonly conversationId: string) {}

  isEmpty(): boolean {
    return this.says.length === 0 && this.tags.length === 0 && this.ending === null;
  }

  clear(): void {
    this.says = [];
    this.tags = [];
    this.ending = null;
  }
}

/** What the step's commits changed, told to the clients after each commit. */
interface Announced {
  changes: BotStepChanges;
  tagsChanged: boolean;
}

function graphOf(column: string): FlowGraph {
  return FlowGraph.parse(JSON.parse(column));
}

function stateOf(run: RunRow): RunState {
  return {
    nodeId: run.node_id,
    status: run.status === 'waiting' ? 'waiting' : run.status === 'ended' ? 'ended' : 'running',
    variables: parseJsonColumn(StoredVariables, run.variables, {}),
    attempts: run.attempts,
    promptMessageId: run.prompt_message_id,
    endReason: null,
    handoffReason: null,
    visited: parseJsonColumn(StoredPath, run.path, []),
  };
}

/** The bot acts inside the workspace like an integration with no scopes of its own (named by its flow when it acts). */
function botPrincipal(workspaceId: string, flowId: string | null): ApiPrincipal {
  return { kind: 'api', workspaceId, tokenId: flowId ? `bot:${flowId}` : 'bot', name: 'Bot', scopes: [] };
}

const REASONS: Record<Language, Record<string, string>> = {
  ru: {
    flow: 'по сценарию',
    asked_for_person: 'посетитель попросил оператора',
    question_failed: 'посетитель не смог ответить на вопрос',
    action_failed: 'внешняя система не ответила',
    not_understood: 'бот не понял посетителя',
    no_answer: 'нет ответа',
    loop: 'сценарий зациклился',
  },
  en: {
    flow: 'by the flow',
    asked_for_person: 'the visitor asked for a person',
    question_failed: 'the visitor could not answer a question',
    action_failed: 'the external system did not answer',
    not_understood: 'the bot did not understand the visitor',
    no_answer: 'no answer',
    loop: 'the flow looped',
  },
};

/** What operators see on hand-off: why, and what the bot collected. */
function handoffNote(reason: string, variables: Variables, language: Language): string {
  const head =
    language === 'ru'
      ? `Бот передал разговор: ${REASONS.ru[reason] ?? reason}.`
      : `The bot handed over: ${REASONS.en[reason] ?? reason}.`;
  const lines = Object.entries(variables).map(([name, value]) => `${name}: ${value}`);
  return [head, ...lines].join('\n');
}
