// The flow interpreter: given a run's state and what the visitor did, walks the graph until it must
// wait (a menu, a question) or ends (hand-off, close). Everything with a side effect goes through
// BotEffects, so the same interpreter drives live conversations and the simulator.
import type { BotHandoffReason, FlowGraph, FlowNode, MenuOption, Priority } from '@frontline/protocol';
import {
  asksForPerson,
  checkAnswer,
  conditionHolds,
  fillTemplate,
  matchesKeyword,
  optionNamedBy,
  type ConditionFacts,
  type Language,
  type Variables,
} from './logic.js';
import { z } from 'zod';
import { parseJsonColumn } from '../../storage/json.js';
import { PERSON_BUTTON_ID } from './validate.js';

export type RunStatus = 'running' | 'waiting' | 'ended';
export type EndReason = 'handed_over' | 'closed' | 'taken_over';
/** Why a run handed over: the bot figures keep it (docs/bots.md). */
export type HandoffReason = BotHandoffReason;

export interface RunState {
  nodeId: string;
  status: RunStatus;
  variables: Variables;
  /** Wrong answers at the waiting node. */
  attempts: number;
  /** The message with the waiting node's buttons, so only its buttons count. */
  promptMessageId: string | null;
  endReason: EndReason | null;
  /** Why it handed over, when it did (the figures count the reasons). */
  handoffReason: HandoffReason | null;
  /** Nodes executed, in order (visits per node and drop-off are counted from it). */
  visited: string[];
}

export type VisitorInput =
  | {
      kind: 'message';
      text: string;
      buttonId: string | null;
      messageId: string | null;
      /**
       * The visitor's first message, typed before they saw the bot's first prompt (it opened the
       * conversation): it answers a menu only when it names an option, and never counts as wrong.
       */
      opening?: boolean;
    }
  | { kind: 'timeout' };

export interface KnowledgeAnswer {
  articleId: string;
  text: string;
}

export interface SayButton {
  id: string;
  label: string;
  url: string | null;
}

export interface HttpOutcome {
  ok: boolean;
  /** Mapped from the answer when ok. */
  variables: Variables;
  /** The answer's list for buttons, when the node asks for one. */
  choices?: ActionChoice[];
  /** The answer's files, already stored, when the node asks for them. */
  files?: ActionFile[];
  /** Why the last attempt failed, for the simulator and the log. */
  error?: string;
}

export interface ActionChoice {
  label: string;
  value: string;
}

/** A file kept by the file storage, sent as an attachment of a bot message. */
export interface ActionFile {
  fileId: string;
  name: string;
  mime: string;
  size: number;
}

export interface BotEffects {
  /** A node is being executed (visits per node are the flow's figures). */
  visit(nodeId: string): void;
  /** Sends a bot message (with files, when an action fetched some); returns its id. */
  say(nodeId: string, text: string, buttons: SayButton[], files?: ActionFile[]): Promise<string>;
  /** The workspace's stored files by id, to send (a message step's images and files). */
  storedFiles(fileIds: string[]): Promise<ActionFile[]>;
  tag(tag: string): Promise<void>;
  setPriority(priority: Priority): Promise<void>;
  saveContactField(field: 'name' | 'email' | 'phone', value: string): Promise<void>;
  callHttp(node: Extract<FlowNode, { type: 'action' }>, variables: Variables): Promise<HttpOutcome>;
  /** An answer from the knowledge base, or null (none wired or nothing found). */
  knowledge(question: string, language: Language): Promise<KnowledgeAnswer | null>;
  /** The visitor said whether a knowledge answer (the message) helped. */
  judgeKnowledge(judgement: { messageId: string; helpful: boolean }): Promise<void>;
  /** The intent id of a text by the workspace's active model, or null (no model, or not sure). */
  classify(text: string): Promise<string | null>;
  handOver(handoff: {
    departmentId: string | null;
    priority: Priority | null;
    reason: HandoffReason;
    variables: Variables;
  }): Promise<void>;
  close(): Promise<void>;
}

export interface RunContext {
  language: Language;
  /** Built-ins (greeting, contact fields, channel...) merged under the flow's variables. */
  builtIns: Variables;
  facts: Omit<ConditionFacts, 'variables'>;
}

/** Steps without waiting before the run is declared stuck (validation forbids such loops; this is the net). */
const MAX_STEPS = 100;
/** Nodes kept in a run's path (a long chat that loops through a menu keeps its latest steps). */
const MAX_PATH = 200;
/** The department a `set` node chose, kept among the variables under a name no flow can use. */
const DEPARTMENT_KEY = '$department';
/** The items an action offered as buttons while it waits for the pick (JSON of ActionChoice[]). */
const CHOICES_KEY = '$choices';
/** Buttons of an action's list: `item0`, `item1`... */
const ITEM_BUTTON = 'item';
const StoredChoices = z.array(z.object({ label: z.string(), value: z.string() }));
/** The article a knowledge answer came from, kept in the run while it asks "did this help?". */
const ARTICLE_KEY = '$article';
/** The "did this help?" buttons under a knowledge answer. */
const HELPED_BUTTON = 'helped';
const NOT_HELPED_BUTTON = 'not_helped';

/** The items an action's answer offered as buttons, kept in the run while it waits for a pick. */
function offeredChoices(run: RunState): z.infer<typeof StoredChoices> {
  return parseJsonColumn(StoredChoices, run.variables[CHOICES_KEY] ?? '[]', []);
}

const WORDS: Record<
  Language,
  Record<
    | 'person'
    | 'pickButton'
    | 'pickItem'
    | 'retry'
    | 'actionFailed'
    | 'nothingFound'
    | 'handedOver'
    | 'helped'
    | 'notHelped',
    string
  >
> = {
  ru: {
    person: 'Позвать оператора',
    pickButton: 'Выберите, пожалуйста, один из вариантов или нажмите «Позвать оператора».',
    retry: 'Не получилось разобрать ответ. Попробуйте ещё раз.',
    actionFailed: 'Не удалось получить данные. Зову оператора, он поможет.',
    pickItem: 'Выберите, пожалуйста:',
    nothingFound: 'Ничего не нашлось. Зову оператора, он поможет.',
    handedOver: 'Передаю разговор оператору, он скоро ответит.',
    helped: 'Помогло',
    notHelped: 'Не помогло',
  },
  en: {
    person: 'Talk to a person',
    pickButton: 'Please pick one of the options, or press "Talk to a person".',
    retry: 'I could not read that answer. Please try again.',
    actionFailed: 'I could not get the data. Calling a person to help you.',
    pickItem: 'Please choose:',
    nothingFound: 'I found nothing to choose from. Calling a person to help you.',
    handedOver: 'Passing you to a person; they will answer soon.',
    helped: 'This helped',
    notHelped: 'It did not help',
  },
};

/** The knowledge answer a run waits on "did this help?" for, to be recorded once it is stored. */
export function knowledgeAnswerAwaited(run: RunState): { messageId: string; articleId: string } | null {
  const articleId = run.variables[ARTICLE_KEY];
  if (run.status !== 'waiting' || !articleId || !run.promptMessageId) return null;
  return { messageId: run.promptMessageId, articleId };
}

function judgementButtons(language: Language): { id: string; label: string }[] {
  return [
    { id: HELPED_BUTTON, label: WORDS[language].helped },
    { id: NOT_HELPED_BUTTON, label: WORDS[language].notHelped },
  ];
}

export function builtInWords(language: Language) {
  return WORDS[language];
}

export class FlowEngine {
  private readonly nodes: Map<string, FlowNode>;
  private readonly edges: Map<string, string>;

  constructor(readonly graph: FlowGraph) {
    this.nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    this.edges = new Map(graph.edges.map((e) => [`${e.source}\u0000${e.port}`, e.target]));
  }

  initialState(variables: Variables = {}): RunState {
    return {
      nodeId: this.graph.startNodeId,
      status: 'running',
      variables,
      attempts: 0,
      promptMessageId: null,
      endReason: null,
      handoffReason: null,
      visited: [],
    };
  }

  /** Takes the visitor's input (if the run waits) and walks on until the run waits or ends. */
  async advance(
    state: RunState,
    input: VisitorInput | null,
    fx: BotEffects,
    ctx: RunContext,
  ): Promise<RunState> {
    let run: RunState = { ...state, variables: { ...state.variables } };
    if (run.status === 'ended') return run;
    if (run.status === 'waiting') {
      if (!input) return run;
      run = await this.answer(run, input, fx, ctx);
    }
    for (let step = 0; run.status === 'running'; step++) {
      if (step >= MAX_STEPS) return this.handOver(run, 'loop', fx, ctx);
      run = await this.execute(run, fx, ctx);
    }
    return run;
  }

  private node(id: string): FlowNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`The flow has no node "${id}"`);
    return node;
  }

  /** Follows the node's port; an exit left unconnected (optional ones only) hands over with the reason. */
  private follow(
    run: RunState,
    port: string,
    orElse: HandoffReason,
    fx: BotEffects,
    ctx: RunContext,
  ): Promise<RunState> | RunState {
    const target = this.edges.get(`${run.nodeId}\u0000${port}`);
    if (!target) return this.handOver(run, orElse, fx, ctx);
    return { ...run, nodeId: target, status: 'running', attempts: 0, promptMessageId: null };
  }

  private fill(template: string, run: RunState, ctx: RunContext): string {
    return fillTemplate(template, { ...ctx.builtIns, ...run.variables });
  }

  private async handOver(
    run: RunState,
    reason: HandoffReason,
    fx: BotEffects,
    ctx: RunContext,
    text?: string,
  ): Promise<RunState> {
    const node = this.nodes.get(run.nodeId);
    const handoff = node?.type === 'handoff' ? node : null;
    await fx.say(run.nodeId, text ?? WORDS[ctx.language].handedOver, []);
    await fx.handOver({
      departmentId: handoff?.departmentId ?? run.variables[DEPARTMENT_KEY] ?? null,
      priority: handoff?.priority ?? null,
      reason,
      variables: Object.fromEntries(Object.entries(run.variables).filter(([k]) => !k.startsWith('$'))),
    });
    return { ...run, status: 'ended', endReason: 'handed_over', handoffReason: reason };
  }

  /**
   * Where a channel has no buttons the prompt is a numbered list with the person button last, so
   * its number (or its label) typed is a press of that button.
   */
  private typedPersonButton(node: FlowNode, run: RunState, text: string, ctx: RunContext): boolean {
    const person = WORDS[ctx.language].person;
    const labels =
      node.type === 'menu'
        ? [...node.options.map((o) => o.label), node.personLabel || person]
        : node.type === 'action' && node.choices
          ? [...offeredChoices(run).map((c) => c.label), person]
          : node.type === 'knowledge' && node.askIfHelped
            ? [...judgementButtons(ctx.language).map((b) => b.label), person]
            : [];
    const offered = labels.map((label) => ({ label }));
    return offered.length > 0 && optionNamedBy(text, offered) === offered.at(-1);
  }

  /**
   * Text typed at a menu instead of a press: the option it names (label or number), else the one
   * whose keyword it holds, else the one whose intent the workspace's model reads in it.
   */
  private async optionTypedAs(
    node: Extract<FlowNode, { type: 'menu' }>,
    text: string,
    fx: BotEffects,
  ): Promise<MenuOption | undefined> {
    const named =
      optionNamedBy(text, node.options) ??
      node.options.find((o) => o.keywords.some((keyword) => matchesKeyword(text, keyword)));
    if (named || !node.options.some((o) => o.intentId !== null)) return named;
    const intentId = await fx.classify(text);
    return intentId === null ? undefined : node.options.find((o) => o.intentId === intentId);
  }

  private async answer(
    run: RunState,
    input: VisitorInput,
    fx: BotEffects,
    ctx: RunContext,
  ): Promise<RunState> {
    const node = this.node(run.nodeId);
    if (input.kind === 'timeout') return this.follow(run, 'timeout', 'no_answer', fx, ctx);
    const pressed = input.messageId === run.promptMessageId ? input.buttonId : null;
    if (
      pressed === PERSON_BUTTON_ID ||
      (pressed === null && (asksForPerson(input.text) || this.typedPersonButton(node, run, input.text, ctx)))
    )
      return this.handOver(run, 'asked_for_person', fx, ctx);
    if (node.type === 'menu') {
      const option =
        node.options.find((o) => o.id === pressed) ??
        (pressed ? undefined : await this.optionTypedAs(node, input.text, fx));
      if (option) {
        if (option.tag) await fx.tag(option.tag);
        return this.follow(run, option.id, 'flow', fx, ctx);
      }
      if (input.opening) return run;
      return this.retry(run, WORDS[ctx.language].pickButton, 3, 'not_understood', fx, ctx);
    }
    if (node.type === 'action' && node.choices) {
      const choices = offeredChoices(run);
      const index = pressed?.startsWith(ITEM_BUTTON) ? Number(pressed.slice(ITEM_BUTTON.length)) : -1;
      const choice = choices[index] ?? (pressed ? undefined : optionNamedBy(input.text, choices));
      if (choice) {
        const { [CHOICES_KEY]: _offered, ...variables } = run.variables;
        variables[node.choices.variable] = choice.value;
        if (node.choices.labelVariable) variables[node.choices.labelVariable] = choice.label;
        return this.follow({ ...run, variables }, 'next', 'flow', fx, ctx);
      }
      if (input.opening) return run;
      return this.retry(run, WORDS[ctx.language].pickButton, 3, 'not_understood', fx, ctx);
    }
    if (node.type === 'knowledge') {
      const options = judgementButtons(ctx.language);
      const judged =
        options.find((o) => o.id === pressed) ?? (pressed ? undefined : optionNamedBy(input.text, options));
      if (judged) {
        const helpful = judged.id === HELPED_BUTTON;
        if (run.promptMessageId) await fx.judgeKnowledge({ messageId: run.promptMessageId, helpful });
        const { [ARTICLE_KEY]: _answered, ...variables } = run.variables;
        return this.follow({ ...run, variables }, helpful ? 'answered' : 'unanswered', 'no_answer', fx, ctx);
      }
      if (input.opening) return run;
      return this.retry(run, WORDS[ctx.language].pickButton, 3, 'not_understood', fx, ctx);
    }
    if (node.type === 'question') {
      if (input.opening && pressed === null) return run;
      const raw =
        pressed !== null ? (node.choices[Number(pressed.replace('choice', ''))] ?? input.text) : input.text;
      const checked = checkAnswer(node.kind, raw, node.choices);
      if (!checked.ok)
        return this.retry(
          run,
          node.retryText ? this.fill(node.retryText, run, ctx) : WORDS[ctx.language].retry,
          node.maxAttempts,
          'question_failed',
          fx,
          ctx,
          'failed',
        );
      if (node.contactField) await fx.saveContactField(node.contactField, checked.value);
      return this.follow(
        { ...run, variables: { ...run.variables, [node.variable]: checked.value } },
        'next',
        'flow',
        fx,
        ctx,
      );
    }
    return run;
  }

  /** Through the action's `failed` exit when it has one, else to a person with `text`. */
  private actionFailed(run: RunState, text: string, fx: BotEffects, ctx: RunContext) {
    if (this.edges.has(`${run.nodeId}\u0000failed`))
      return this.follow(run, 'failed', 'action_failed', fx, ctx);
    return this.handOver(run, 'action_failed', fx, ctx, text);
  }

  /** A wrong answer: ask again, or leave after the limit (through `failedPort` when the node has one). */
  private async retry(
    run: RunState,
    text: string,
    limit: number,
    reason: HandoffReason,
    fx: BotEffects,
    ctx: RunContext,
    failedPort?: string,
  ): Promise<RunState> {
    const attempts = run.attempts + 1;
    if (attempts >= limit) {
      if (failedPort) return this.follow(run, failedPort, reason, fx, ctx);
      return this.handOver(run, reason, fx, ctx);
    }
    await fx.say(run.nodeId, text, []);
    return { ...run, attempts };
  }

  private async execute(visiting: RunState, fx: BotEffects, ctx: RunContext): Promise<RunState> {
    const node = this.node(visiting.nodeId);
    const run = { ...visiting, visited: [...visiting.visited, node.id].slice(-MAX_PATH) };
    fx.visit(node.id);
    const words = WORDS[ctx.language];
    switch (node.type) {
      case 'message':
        await fx.say(
          node.id,
          this.fill(node.text, run, ctx),
          node.links.map((l, i) => ({ id: `link${i}`, label: l.label, url: this.fill(l.url, run, ctx) })),
          node.files.length > 0 ? await fx.storedFiles(node.files.map((f) => f.fileId)) : [],
        );
        return this.follow(run, 'next', 'flow', fx, ctx);
      case 'menu': {
        const buttons = [
          ...node.options.map((o) => ({ id: o.id, label: o.label, url: null })),
          { id: PERSON_BUTTON_ID, label: node.personLabel || words.person, url: null },
        ];
        const promptMessageId = await fx.say(node.id, this.fill(node.text, run, ctx), buttons);
        return { ...run, status: 'waiting', promptMessageId, attempts: 0 };
      }
      case 'question': {
        const buttons =
          node.kind === 'choice'
            ? node.choices.map((label, i) => ({ id: `choice${i}`, label, url: null }))
            : [];
        const promptMessageId = await fx.say(node.id, this.fill(node.text, run, ctx), buttons);
        return { ...run, status: 'waiting', promptMessageId, attempts: 0 };
      }
      case 'condition': {
        const facts = { ...ctx.facts, variables: { ...ctx.builtIns, ...run.variables } };
        const rule = node.rules.find((r) => conditionHolds(r.when, facts));
        return this.follow(run, rule ? rule.id : 'else', 'flow', fx, ctx);
      }
      case 'action': {
        const outcome = await fx.callHttp(node, { ...ctx.builtIns, ...run.variables });
        if (!outcome.ok) return this.actionFailed(run, words.actionFailed, fx, ctx);
        const next = { ...run, variables: { ...run.variables, ...outcome.variables } };
        const files = outcome.files ?? [];
        const reply = node.replyText ? this.fill(node.replyText, next, ctx) : '';
        if (node.choices) {
          const choices = outcome.choices ?? [];
          // Nothing to choose from is a failure of the lookup: the flow's `failed` exit handles it.
          if (choices.length === 0) return this.actionFailed(next, words.nothingFound, fx, ctx);
          const buttons = [
            ...choices.map((c, i) => ({ id: `${ITEM_BUTTON}${i}`, label: c.label, url: null })),
            { id: PERSON_BUTTON_ID, label: words.person, url: null },
          ];
          const promptMessageId = await fx.say(node.id, reply || words.pickItem, buttons, files);
          next.variables[CHOICES_KEY] = JSON.stringify(choices);
          return { ...next, status: 'waiting', promptMessageId, attempts: 0 };
        }
        if (reply || files.length > 0) await fx.say(node.id, reply, [], files);
        return this.follow(next, 'next', 'flow', fx, ctx);
      }
      case 'set': {
        for (const tag of node.tags) await fx.tag(tag);
        if (node.priority) await fx.setPriority(node.priority);
        const variables = { ...run.variables };
        for (const v of node.variables) variables[v.name] = this.fill(v.value, run, ctx);
        if (node.departmentId) variables[DEPARTMENT_KEY] = node.departmentId;
        return this.follow({ ...run, variables }, 'next', 'flow', fx, ctx);
      }
      case 'classify': {
        const intentId = await fx.classify(ctx.builtIns.last_message ?? '');
        const branch = node.branches.find((b) => b.intentId === intentId);
        return this.follow(run, branch ? branch.id : 'else', 'flow', fx, ctx);
      }
      case 'knowledge': {
        const answer = await fx.knowledge(ctx.builtIns.last_message ?? '', ctx.language);
        if (answer === null) return this.follow(run, 'unanswered', 'no_answer', fx, ctx);
        if (!node.askIfHelped) {
          await fx.say(node.id, answer.text, []);
          return this.follow(run, 'answered', 'flow', fx, ctx);
        }
        const buttons = [
          ...judgementButtons(ctx.language).map((b) => ({ ...b, url: null })),
          { id: PERSON_BUTTON_ID, label: words.person, url: null },
        ];
        const promptMessageId = await fx.say(node.id, answer.text, buttons);
        return {
          ...run,
          status: 'waiting',
          promptMessageId,
          attempts: 0,
          variables: { ...run.variables, [ARTICLE_KEY]: answer.articleId },
        };
      }
      case 'handoff':
        return this.handOver(run, 'flow', fx, ctx, node.text ? this.fill(node.text, run, ctx) : undefined);
      case 'close':
        if (node.text) await fx.say(node.id, this.fill(node.text, run, ctx), []);
        await fx.close();
        return { ...run, status: 'ended', endReason: 'closed' };
    }
  }
}
