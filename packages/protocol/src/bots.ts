// Bot flows: a versioned graph of nodes joined by edges from named ports (docs/bots.md). The
// schema checks the shape of one flow; graph-wide rules (edges that point nowhere, unreachable
// nodes, unknown variables) are checked by validateFlowGraph in the server, which names the node.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { Channel } from './enums.js';
import { Priority } from './routing.js';
import { LIMITS } from './limits.js';

/** Node ids, port names and variable names: short, stable, safe inside `{{templates}}`. */
export const FlowKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'Use a letter, then letters, digits, - or _ (at most 40)');
export const VariableName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    'Use lowercase letters, digits and _ (at most 40), starting with a letter',
  );

const Text = (max: number) => z.string().trim().min(1, 'Write a text').max(max);
const Position = z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 });
/** No answer in N minutes: the node leaves through its `timeout` port (a durable job). */
const TimeoutMinutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60)
  .nullable()
  .default(null);

export const QUESTION_KINDS = ['text', 'number', 'date', 'email', 'phone', 'choice'] as const;
export const QuestionKind = z.enum(QUESTION_KINDS);
export type QuestionKind = z.infer<typeof QuestionKind>;

/** Contact fields a question may fill besides its variable. */
export const CONTACT_FIELDS = ['name', 'email', 'phone'] as const;

export const CONDITION_OPERATORS = ['equals', 'not_equals', 'contains', 'exists', 'greater', 'less'] as const;

export const FlowCondition = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('variable'),
    variable: VariableName,
    operator: z.enum(CONDITION_OPERATORS),
    value: z.string().max(500).default(''),
  }),
  z.object({
    kind: z.literal('contact_attribute'),
    attribute: z.string().min(1).max(64),
    operator: z.enum(CONDITION_OPERATORS),
    value: z.string().max(500).default(''),
  }),
  /** Open now by the department's business hours (no department: any department open). */
  z.object({ kind: z.literal('business_hours'), departmentId: Id.nullable().default(null) }),
  z.object({ kind: z.literal('channel'), channels: z.array(Channel).min(1) }),
  z.object({ kind: z.literal('language'), language: z.enum(['ru', 'en']) }),
]);
export type FlowCondition = z.infer<typeof FlowCondition>;

const Base = { id: FlowKey, position: Position };

export const MessageNode = z.object({
  ...Base,
  type: z.literal('message'),
  text: Text(4000),
  /** Link buttons under the message (reply buttons belong to a menu). */
  links: z
    .array(z.object({ label: Text(LIMITS.buttonLabelMaxChars), url: z.url() }))
    .max(10)
    .default([]),
  /**
   * Images and files sent with the text, uploaded beforehand (`POST /api/files`) in this
   * workspace; `name` is for the builder (the stored file's own name goes out).
   */
  files: z
    .array(z.object({ fileId: Id, name: z.string().max(255) }))
    .max(LIMITS.attachmentsPerMessage)
    .default([]),
});

export const MenuNode = z.object({
  ...Base,
  type: z.literal('menu'),
  text: Text(4000),
  /**
   * Each option is a port; choosing it tags the conversation with `tag` when set. Typed text that
   * names no option chooses the one whose keyword it contains (in any word form), else the one whose
   * intent the workspace's model reads in it.
   */
  options: z
    .array(
      z.object({
        id: FlowKey,
        label: Text(LIMITS.buttonLabelMaxChars),
        tag: z.string().trim().max(64).nullable().default(null),
        keywords: z.array(z.string().trim().min(2).max(64)).max(20).default([]),
        intentId: Id.nullable().default(null),
      }),
    )
    .min(1, 'A menu needs at least one option')
    .max(9, 'A menu holds at most 9 options (the tenth button is "talk to a person")'),
  /** "Talk to a person" is always offered; empty uses the built-in label in the visitor's language. */
  personLabel: z.string().trim().max(LIMITS.buttonLabelMaxChars).default(''),
  timeoutMinutes: TimeoutMinutes,
});

export const QuestionNode = z.object({
  ...Base,
  type: z.literal('question'),
  text: Text(4000),
  kind: QuestionKind,
  variable: VariableName,
  /** Also save the answer on the contact. */
  contactField: z.enum(CONTACT_FIELDS).nullable().default(null),
  choices: z.array(Text(LIMITS.buttonLabelMaxChars)).max(10).default([]),
  retryText: z.string().trim().max(1000).default(''),
  /** Wrong answers before the node leaves through `failed`. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  timeoutMinutes: TimeoutMinutes,
});

export const ConditionNode = z.object({
  ...Base,
  type: z.literal('condition'),
  /** Checked in order; the first that holds leaves through its id, none through `else`. */
  rules: z
    .array(z.object({ id: FlowKey, when: FlowCondition }))
    .min(1)
    .max(20),
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A dot path into the JSON answer (`data.items`, `0.name`). */
const AnswerPath = z.string().trim().min(1, 'Write the path in the answer').max(200);

/** At most this many items become buttons: the tenth is "talk to a person" (LIMITS.buttonsPerMessage). */
export const ACTION_CHOICES_MAX = LIMITS.buttonsPerMessage - 1;

export const ActionChoices = z.object({
  /** The array in the answer (empty: the answer itself is the array). */
  listPath: z.string().trim().max(200).default(''),
  /** Each button's label, e.g. `{{item.name}}`. */
  label: z.string().trim().min(1, 'Write the button label').max(200),
  /** The picked item's value (a dot path in the item), saved into `variable`. */
  valuePath: AnswerPath,
  variable: VariableName,
  /** The picked item's label is saved here too, when set. */
  labelVariable: VariableName.nullable().default(null),
});
export type ActionChoices = z.infer<typeof ActionChoices>;

/** Each item: `name`, and either `url` (downloaded) or `content` (base64); `mime` optional. */
export const ActionFiles = z.object({ listPath: z.string().trim().max(200).default('') });
export type ActionFiles = z.infer<typeof ActionFiles>;

/** `{{secrets.NAME}}` in an action's address, headers and body. */
export const BotSecretName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'Use a letter, then letters, digits or _ (at most 40)');
export const BotSecret = z.object({ name: BotSecretName, set: z.literal(true), updatedAt: Timestamp });
export type BotSecret = z.infer<typeof BotSecret>;
export const BotSecretList = z.object({ items: z.array(BotSecret) });
export type BotSecretList = z.infer<typeof BotSecretList>;
export const BotSecretInput = z.object({ value: z.string().min(1, 'Write the value').max(4000) });

export const ActionNode = z.object({
  ...Base,
  type: z.literal('action'),
  method: z.enum(HTTP_METHODS).default('POST'),
  /** May hold `{{variables}}`. */
  url: z.string().trim().min(1, 'Write the address').max(2000),
  headers: z.record(z.string().min(1).max(100), z.string().max(2000)).default({}),
  /** JSON template: `{{variable}}` is replaced by the value JSON-escaped. Empty sends no body. */
  body: z.string().max(20_000).default(''),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  retries: z.number().int().min(0).max(3).default(0),
  /** Dot paths into the JSON answer (`data.items.0.name`) saved as variables. */
  responseMap: z
    .array(z.object({ variable: VariableName, path: z.string().min(1).max(200) }))
    .max(20)
    .default([]),
  /** Said after a success; may use the mapped variables. With `choices`, the text above the buttons. */
  replyText: z.string().trim().max(4000).default(''),
  /** A list in the answer offered as buttons; the run waits for the pick like a menu (docs/bots.md). */
  choices: ActionChoices.nullable().default(null),
  /** A list of files in the answer, sent into the chat as attachments of a bot message. */
  files: ActionFiles.nullable().default(null),
});

/** Tags, priority, department and variables set without a word to the visitor. */
export const SetNode = z.object({
  ...Base,
  type: z.literal('set'),
  tags: z.array(z.string().trim().min(1).max(64)).max(10).default([]),
  priority: Priority.nullable().default(null),
  departmentId: Id.nullable().default(null),
  variables: z
    .array(z.object({ name: VariableName, value: z.string().max(1000) }))
    .max(20)
    .default([]),
});

/**
 * Asks the knowledge base (issue 5) with the visitor's last message. With `askIfHelped`, the answer
 * carries "did this help?" buttons and waits: a yes leaves through `answered`, a no through
 * `unanswered`, and the judgement is recorded like the assistant's (knowledge feedback).
 */
export const KnowledgeNode = z.object({
  ...Base,
  type: z.literal('knowledge'),
  askIfHelped: z.boolean().default(false),
});

/**
 * Routes on the workspace's intent model (docs/nlu.md): the visitor's last message, classified.
 * Each branch is a port, taken when the message is that intent; `else` when it is none of them,
 * the model is not sure, or no model is switched on.
 */
export const ClassifyNode = z.object({
  ...Base,
  type: z.literal('classify'),
  branches: z
    .array(z.object({ id: FlowKey, intentId: Id }))
    .min(1, 'Add at least one intent')
    .max(20),
});

export const HandoffNode = z.object({
  ...Base,
  type: z.literal('handoff'),
  text: z.string().trim().max(4000).default(''),
  departmentId: Id.nullable().default(null),
  priority: Priority.nullable().default(null),
});

export const CloseNode = z.object({
  ...Base,
  type: z.literal('close'),
  text: z.string().trim().max(4000).default(''),
});

export const FlowNode = z.discriminatedUnion('type', [
  MessageNode,
  MenuNode,
  QuestionNode,
  ConditionNode,
  ActionNode,
  SetNode,
  KnowledgeNode,
  ClassifyNode,
  HandoffNode,
  CloseNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeType = FlowNode['type'];
export type MenuOption = z.infer<typeof MenuNode>['options'][number];
export const FLOW_NODE_TYPES: FlowNodeType[] = [
  'message',
  'menu',
  'question',
  'condition',
  'action',
  'set',
  'knowledge',
  'classify',
  'handoff',
  'close',
];

export const FlowEdge = z.object({
  id: FlowKey,
  source: FlowKey,
  /** The source node's port: `next`, a menu option's id, a condition rule's id, `else`, `failed`, `timeout`... */
  port: FlowKey,
  target: FlowKey,
});
export type FlowEdge = z.infer<typeof FlowEdge>;

export const FlowGraph = z.object({
  startNodeId: FlowKey,
  nodes: z
    .array(FlowNode)
    .min(1, 'A flow needs at least one node')
    .max(200, 'A flow holds at most 200 nodes'),
  edges: z.array(FlowEdge).max(1000),
});
export type FlowGraph = z.infer<typeof FlowGraph>;

/** The ports a node leaves through, and which of them must lead somewhere. */
export function portsOf(node: FlowNode): { port: string; required: boolean }[] {
  const timeout = (minutes: number | null) => (minutes === null ? [] : [{ port: 'timeout', required: true }]);
  switch (node.type) {
    case 'message':
    case 'set':
      return [{ port: 'next', required: true }];
    case 'menu':
      return [...node.options.map((o) => ({ port: o.id, required: true })), ...timeout(node.timeoutMinutes)];
    case 'question':
      return [
        { port: 'next', required: true },
        { port: 'failed', required: false },
        ...timeout(node.timeoutMinutes),
      ];
    case 'condition':
      return [...node.rules.map((r) => ({ port: r.id, required: true })), { port: 'else', required: true }];
    case 'classify':
      return [
        ...node.branches.map((b) => ({ port: b.id, required: true })),
        { port: 'else', required: true },
      ];
    case 'action':
      return [
        { port: 'next', required: true },
        { port: 'failed', required: false },
      ];
    case 'knowledge':
      return [
        { port: 'answered', required: true },
        { port: 'unanswered', required: false },
      ];
    case 'handoff':
    case 'close':
      return [];
  }
}

export const FLOW_TRIGGER_KINDS = ['conversation_start', 'keyword', 'invitation', 'after_hours'] as const;

export const FlowTrigger = z.discriminatedUnion('kind', [
  /** Every new conversation on these channels (none listed: every channel). */
  z.object({ kind: z.literal('conversation_start'), channels: z.array(Channel).default([]) }),
  /** A visitor's message with one of these words (any word form sharing the stem) while nobody has the conversation. */
  z.object({
    kind: z.literal('keyword'),
    keywords: z.array(z.string().trim().min(2).max(64)).min(1, 'Add at least one keyword').max(50),
  }),
  /** The widget's proactive invitation with this id (its page, time and visit rules) opened the conversation. */
  z.object({ kind: z.literal('invitation'), invitationId: z.string().min(1).max(40) }),
  /**
   * A waiting conversation whose department is outside its business hours (none listed: any
   * department), instead of it becoming an offline request; not when a flow already ran in it.
   */
  z.object({ kind: z.literal('after_hours'), departmentIds: z.array(Id).max(50).default([]) }),
]);
export type FlowTrigger = z.infer<typeof FlowTrigger>;

export const BotFlowInput = z.object({
  name: z.string().trim().min(1, 'Name the flow').max(120),
  enabled: z.boolean().default(true),
  triggers: z.array(FlowTrigger).max(10).default([]),
  graph: FlowGraph,
});
export type BotFlowInput = z.infer<typeof BotFlowInput>;

export const BotFlow = z.object({
  id: Id,
  name: z.string(),
  enabled: z.boolean(),
  triggers: z.array(FlowTrigger),
  graph: FlowGraph,
  /** The version visitors get; null until first published. */
  publishedVersion: z.number().int().nullable(),
  publishedAt: Timestamp.nullable(),
  /** The draft differs from the published version. */
  hasUnpublishedChanges: z.boolean(),
  updatedAt: Timestamp,
});
export type BotFlow = z.infer<typeof BotFlow>;

export const BotFlowList = z.object({ items: z.array(BotFlow) });

/** One finding of the graph check; `nodeId` names the node at fault when there is one. */
export const FlowProblem = z.object({ nodeId: z.string().nullable(), message: z.string() });
export type FlowProblem = z.infer<typeof FlowProblem>;
export const FlowValidation = z.object({ ok: z.boolean(), problems: z.array(FlowProblem) });
export type FlowValidation = z.infer<typeof FlowValidation>;

/** A simulator run: the visitor's inputs in order, answered by the draft without touching any conversation. */
export const FlowSimulationRequest = z.object({
  inputs: z
    .array(z.union([z.object({ text: z.string().max(4000) }), z.object({ buttonId: z.string().max(64) })]))
    .max(50)
    .default([]),
  language: z.enum(['ru', 'en']).default('en'),
  variables: z.record(VariableName, z.string().max(1000)).default({}),
});
export type FlowSimulationRequest = z.infer<typeof FlowSimulationRequest>;

export const FlowSimulationStep = z.object({
  nodeId: z.string(),
  text: z.string(),
  buttons: z.array(z.object({ id: z.string(), label: z.string(), url: z.string().nullable() })),
  /** Files an action would send (checked, not stored). */
  files: z.array(z.object({ name: z.string(), mime: z.string(), size: z.number().int() })).default([]),
});
export const FlowSimulationResult = z.object({
  steps: z.array(FlowSimulationStep),
  /** Where the run stands after the last input. */
  status: z.enum(['waiting', 'handed_over', 'closed']),
  waitingAt: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  tags: z.array(z.string()),
  /** HTTP actions that failed on the way, with the reason (an unreachable or refused address, an HTTP error). */
  actionErrors: z.array(z.object({ nodeId: z.string(), error: z.string() })),
});
export type FlowSimulationResult = z.infer<typeof FlowSimulationResult>;

/**
 * A flow's figures from its runs: how many ran, finished without a person (containment), were
 * handed over (and why), taken over by an operator, or stopped at a node waiting for an answer
 * that did not come for 30 minutes (drop-off); and visits per node.
 */
export const BotFlowStats = z.object({
  runs: z.number().int(),
  active: z.number().int(),
  closedByBot: z.number().int(),
  takenOver: z.number().int(),
  handedOver: z.record(z.string(), z.number().int()),
  visits: z.record(z.string(), z.number().int()),
  dropOff: z.record(z.string(), z.number().int()),
});
export type BotFlowStats = z.infer<typeof BotFlowStats>;
