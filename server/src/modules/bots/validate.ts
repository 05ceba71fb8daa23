// Graph-wide checks of a flow that a schema cannot make: every edge joins two existing nodes from a
// real port, every required port leads somewhere, every node can be reached from the start, every
// `{{variable}}` is defined somewhere in the flow, and no loop can spin without waiting for the
// visitor. Each problem names its node so the builder can point at it.
import { portsOf, type FlowGraph, type FlowNode, type FlowProblem } from '@frontline/protocol';
import { BUILT_IN_VARIABLES, SECRET_PREFIX, templateNames } from './logic.js';

/** Nodes that stop and wait for the visitor (a loop through one of them is a conversation, not a spin). */
const waits = (node: FlowNode) =>
  node.type === 'menu' ||
  node.type === 'question' ||
  (node.type === 'action' && node.choices !== null) ||
  (node.type === 'knowledge' && node.askIfHelped);
/** The menu's built-in "talk to a person" button; an option may not take its id. */
export const PERSON_BUTTON_ID = 'person';

/** What of the workspace a flow may name; intents are not checked when `intentIds` is absent. */
export interface FlowReferences {
  /** The workspace's bot secrets, which actions may use as `{{secrets.NAME}}`. */
  secretNames?: readonly string[];
  /** The workspace's intents, which classify branches and menu options may name. */
  intentIds?: readonly string[];
  /** Of the files message steps send, those the workspace has; not checked when absent. */
  fileIds?: readonly string[];
}

/** Every file id the flow's message steps send. */
export function filesSentBy(graph: FlowGraph): string[] {
  return graph.nodes.flatMap((node) => (node.type === 'message' ? node.files.map((f) => f.fileId) : []));
}

export function validateFlowGraph(graph: FlowGraph, references: FlowReferences = {}): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map<string, FlowNode>();
  for (const node of graph.nodes) {
    if (byId.has(node.id)) problems.push({ nodeId: node.id, message: `Two nodes have the id "${node.id}"` });
    byId.set(node.id, node);
  }
  if (!byId.has(graph.startNodeId))
    problems.push({ nodeId: null, message: `The start node "${graph.startNodeId}" does not exist` });

  const outgoing = new Map<string, Map<string, string>>();
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    if (!source) {
      problems.push({
        nodeId: null,
        message: `Edge "${edge.id}" starts at "${edge.source}", which does not exist`,
      });
      continue;
    }
    if (!byId.has(edge.target))
      problems.push({
        nodeId: source.id,
        message: `Node "${source.id}" points to "${edge.target}", which does not exist`,
      });
    if (!portsOf(source).some((p) => p.port === edge.port))
      problems.push({ nodeId: source.id, message: `Node "${source.id}" has no exit "${edge.port}"` });
    const ports = outgoing.get(source.id) ?? new Map<string, string>();
    if (ports.has(edge.port))
      problems.push({
        nodeId: source.id,
        message: `Node "${source.id}" has two edges from exit "${edge.port}"`,
      });
    ports.set(edge.port, edge.target);
    outgoing.set(source.id, ports);
  }

  for (const node of graph.nodes) {
    for (const { port, required } of portsOf(node)) {
      if (required && !outgoing.get(node.id)?.has(port))
        problems.push({ nodeId: node.id, message: `Node "${node.id}" points nowhere from exit "${port}"` });
    }
    if (node.type === 'menu' && node.options.some((o) => o.id === PERSON_BUTTON_ID))
      problems.push({
        nodeId: node.id,
        message: `Menu "${node.id}": the option id "${PERSON_BUTTON_ID}" is the built-in "talk to a person" button`,
      });
    if (node.type === 'question' && node.kind === 'choice' && node.choices.length === 0)
      problems.push({
        nodeId: node.id,
        message: `Question "${node.id}" asks for a choice but lists no choices`,
      });
  }

  const reachable = reachableFrom(graph.startNodeId, outgoing);
  for (const node of graph.nodes) {
    if (!reachable.has(node.id))
      problems.push({ nodeId: node.id, message: `Node "${node.id}" cannot be reached from the start` });
  }
  problems.push(...unknownVariables(graph, new Set(references.secretNames)));
  if (references.intentIds) problems.push(...unknownIntents(graph, new Set(references.intentIds)));
  if (references.fileIds) {
    const stored = new Set(references.fileIds);
    for (const node of graph.nodes)
      if (node.type === 'message')
        for (const file of node.files.filter((f) => !stored.has(f.fileId)))
          problems.push({
            nodeId: node.id,
            message: `Message "${node.id}": the file "${file.name}" is not in this workspace; upload it again`,
          });
  }
  problems.push(...spinningLoops(graph, byId, outgoing));
  return problems;
}

/** An intent deleted after the flow named it would never match: the branch or option is dead. */
function unknownIntents(graph: FlowGraph, intentIds: ReadonlySet<string>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const node of graph.nodes) {
    const named =
      node.type === 'classify'
        ? node.branches.map((b) => ({ exit: b.id, intentId: b.intentId }))
        : node.type === 'menu'
          ? node.options.flatMap((o) => (o.intentId ? [{ exit: o.id, intentId: o.intentId }] : []))
          : [];
    for (const { exit, intentId } of named)
      if (!intentIds.has(intentId))
        problems.push({
          nodeId: node.id,
          message: `Node "${node.id}": exit "${exit}" names an intent that no longer exists; pick another`,
        });
  }
  return problems;
}

function reachableFrom(start: string, outgoing: Map<string, Map<string, string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const target of outgoing.get(id)?.values() ?? []) stack.push(target);
  }
  return seen;
}

function definedVariables(graph: FlowGraph): Set<string> {
  const defined = new Set<string>(BUILT_IN_VARIABLES);
  for (const node of graph.nodes) {
    if (node.type === 'question') defined.add(node.variable);
    if (node.type === 'action') {
      for (const m of node.responseMap) defined.add(m.variable);
      if (node.choices) defined.add(node.choices.variable);
      if (node.choices?.labelVariable) defined.add(node.choices.labelVariable);
    }
    if (node.type === 'set') for (const v of node.variables) defined.add(v.name);
  }
  return defined;
}

function templatesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'message':
      return [node.text, ...node.links.map((l) => l.url)];
    case 'menu':
    case 'question':
      return [node.text, 'retryText' in node ? node.retryText : ''];
    case 'action':
      return [node.url, node.body, node.replyText, ...Object.values(node.headers)];
    case 'set':
      return node.variables.map((v) => v.value);
    case 'handoff':
    case 'close':
      return [node.text];
    default:
      return [];
  }
}

/** Where a secret may go: the request, never a text the visitor or an operator sees. */
function requestTemplatesOf(node: FlowNode): string[] {
  return node.type === 'action' ? [node.url, node.body, ...Object.values(node.headers)] : [];
}

/** The names of the secrets an action's request uses (`{{secrets.NAME}}`). */
export function secretsUsedBy(node: FlowNode): string[] {
  const names = requestTemplatesOf(node)
    .flatMap(templateNames)
    .filter((name) => name.startsWith(SECRET_PREFIX))
    .map((name) => name.slice(SECRET_PREFIX.length));
  return [...new Set(names)];
}

function unknownVariables(graph: FlowGraph, secrets: Set<string>): FlowProblem[] {
  const defined = definedVariables(graph);
  const problems: FlowProblem[] = [];
  for (const node of graph.nodes) {
    for (const secret of secretsUsedBy(node)) {
      if (!secrets.has(secret))
        problems.push({
          nodeId: node.id,
          message: `Node "${node.id}" uses the secret "${secret}", which is not set; add it on the Bot secrets page (admin → automation)`,
        });
    }
    const shown =
      node.type === 'action' ? templateNames(node.replyText) : templatesOf(node).flatMap(templateNames);
    for (const name of new Set(shown)) {
      if (name.startsWith(SECRET_PREFIX))
        problems.push({
          nodeId: node.id,
          message: `Node "${node.id}" shows the secret "${name}"; secrets go only into an HTTP request's address, headers and body`,
        });
    }
    const used = new Set(templatesOf(node).flatMap(templateNames));
    if (node.type === 'condition')
      for (const rule of node.rules) if (rule.when.kind === 'variable') used.add(rule.when.variable);
    for (const name of used) {
      if (!defined.has(name) && !name.startsWith(SECRET_PREFIX))
        problems.push({ nodeId: node.id, message: `Node "${node.id}" uses the unknown variable "${name}"` });
    }
  }
  return problems;
}

/** A cycle made only of nodes that never wait would run forever without the visitor saying a word. */
function spinningLoops(
  graph: FlowGraph,
  byId: Map<string, FlowNode>,
  outgoing: Map<string, Map<string, string>>,
): FlowProblem[] {
  const state = new Map<string, 'open' | 'done'>();
  const reported = new Set<string>();
  const problems: FlowProblem[] = [];
  const visit = (id: string, path: string[]): void => {
    const node = byId.get(id);
    if (!node || waits(node) || state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      const loop = path.slice(path.indexOf(id));
      if (!reported.has(id)) {
        reported.add(id);
        problems.push({
          nodeId: id,
          message: `Nodes ${loop.map((n) => `"${n}"`).join(' → ')} form a loop that never waits for the visitor; put a menu or question in it`,
        });
      }
      return;
    }
    state.set(id, 'open');
    for (const target of outgoing.get(id)?.values() ?? []) visit(target, [...path, id]);
    state.set(id, 'done');
  };
  for (const node of graph.nodes) visit(node.id, []);
  return problems;
}
