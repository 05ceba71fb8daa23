// Pure helpers of the flow builder: new nodes with sensible defaults, a starter flow, and the
// translation between the protocol's graph and the canvas library's nodes and edges.
import {
  portsOf,
  type BotFlowInput,
  type FlowGraph,
  type FlowNode,
  type FlowNodeType,
  type MenuOption,
} from '@frontline/protocol';

export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

export function newMenuOption(id: string, label: string): MenuOption {
  return { id, label, tag: null, keywords: [], intentId: null };
}

/** The texts a new node starts with, in the language of the person building the flow. */
export interface StarterWords {
  question: string;
  option: string;
}

export function newNode(
  type: FlowNodeType,
  id: string,
  position: { x: number; y: number },
  words: StarterWords,
): FlowNode {
  const base = { id, position };
  switch (type) {
    case 'message':
      return { ...base, type, text: '{{greeting}}!', links: [], files: [] };
    case 'menu':
      return {
        ...base,
        type,
        text: words.question,
        options: [newMenuOption('option1', words.option)],
        personLabel: '',
        timeoutMinutes: null,
      };
    case 'question':
      return {
        ...base,
        type,
        text: words.question,
        kind: 'text',
        variable: 'answer',
        contactField: null,
        choices: [],
        retryText: '',
        maxAttempts: 3,
        timeoutMinutes: null,
      };
    case 'condition':
      return { ...base, type, rules: [{ id: 'open', when: { kind: 'business_hours', departmentId: null } }] };
    case 'action':
      return {
        ...base,
        type,
        method: 'POST',
        url: 'https://',
        headers: {},
        body: '',
        timeoutMs: 5000,
        retries: 0,
        responseMap: [],
        choices: null,
        files: null,
        replyText: '',
      };
    case 'set':
      return { ...base, type, tags: [], priority: null, departmentId: null, variables: [] };
    case 'knowledge':
      return { ...base, type, askIfHelped: true };
    case 'classify':
      return { ...base, type, branches: [] };
    case 'handoff':
      return { ...base, type, text: '', departmentId: null, priority: null };
    case 'close':
      return { ...base, type, text: '' };
  }
}

/** What a new flow starts with: a greeting, a menu with one option, and a hand-off. */
export function starterFlow(name: string, words: StarterWords): BotFlowInput {
  const hello = newNode('message', 'hello', { x: 40, y: 40 }, words);
  const menu = newNode('menu', 'menu', { x: 40, y: 200 }, words);
  const person = newNode('handoff', 'person', { x: 40, y: 380 }, words);
  return {
    name,
    enabled: true,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'hello',
      nodes: [hello, menu, person],
      edges: [
        { id: 'e1', source: 'hello', port: 'next', target: 'menu' },
        { id: 'e2', source: 'menu', port: 'option1', target: 'person' },
      ],
    },
  };
}

/** The label of a node's exit: a menu option's label, a rule's id, or the port's own name. */
export function portLabel(node: FlowNode, port: string, intentNames: ReadonlyMap<string, string>): string {
  if (node.type === 'menu') return node.options.find((o) => o.id === port)?.label ?? port;
  if (node.type === 'classify') {
    const intentId = node.branches.find((b) => b.id === port)?.intentId;
    return (intentId && intentNames.get(intentId)) ?? port;
  }
  return port;
}

export function nodePorts(node: FlowNode): string[] {
  return portsOf(node).map((p) => p.port);
}

/** Drops edges whose port the node no longer has (an option removed in the inspector). */
export function withoutDanglingEdges(graph: FlowGraph): FlowGraph {
  const ports = new Map(graph.nodes.map((n) => [n.id, new Set(nodePorts(n))]));
  return {
    ...graph,
    edges: graph.edges.filter((e) => ports.get(e.source)?.has(e.port) && ports.has(e.target)),
  };
}
