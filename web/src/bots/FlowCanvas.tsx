// The flow's graph on a canvas (@xyflow/react): a card per node with an exit handle per port,
// edges drawn from a port to a node. Moving, connecting and deleting change the draft graph.
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowGraph, FlowNode } from '@frontline/protocol';
import { nextId, nodePorts, portLabel } from './flow-model.js';
import { useIntentNames } from './intents.js';

interface CardData extends Record<string, unknown> {
  node: FlowNode;
  isStart: boolean;
  problems: string[];
  visits: number;
  intentNames: ReadonlyMap<string, string>;
}
type CardNode = Node<CardData, 'card'>;

function summary(node: FlowNode): string {
  if ('text' in node && node.text) return node.text;
  if (node.type === 'action') return `${node.method} ${node.url}`;
  if (node.type === 'set') return node.tags.join(', ');
  return '';
}

function NodeCard({ data, selected }: NodeProps<CardNode>) {
  const { t } = useTranslation();
  const { node, isStart, problems, visits, intentNames } = data;
  const ports = nodePorts(node);
  return (
    <div
      className={`flow-card flow-card-${node.type}${selected ? ' selected' : ''}${problems.length ? ' has-problem' : ''}`}
      data-testid={`flow-node-${node.id}`}
      title={problems.join('\n')}
    >
      <Handle type="target" position={Position.Top} />
      <div className="flow-card-head">
        <strong>{t(`bots.types.${node.type}`)}</strong>
        <code>{node.id}</code>
        {isStart && <span className="flow-start">{t('bots.start')}</span>}
        {visits > 0 && <span className="flow-visits">{t('bots.visits', { count: visits })}</span>}
      </div>
      <div className="flow-card-text">{summary(node)}</div>
      {ports.length > 0 && (
        <div className="flow-ports">
          {ports.map((port) => (
            <div key={port} className="flow-port" data-testid={`port-${node.id}-${port}`}>
              <span>{portLabel(node, port, intentNames)}</span>
              <Handle type="source" id={port} position={Position.Bottom} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

const NODE_TYPES = { card: NodeCard };

export interface FlowCanvasProps {
  graph: FlowGraph;
  selectedId: string | null;
  problemsByNode: Map<string, string[]>;
  /** Visits per node from the flow's figures. */
  visits: Record<string, number>;
  onChange: (graph: FlowGraph) => void;
  onSelect: (id: string | null) => void;
}

export function FlowCanvas({
  graph,
  selectedId,
  problemsByNode,
  visits,
  onChange,
  onSelect,
}: FlowCanvasProps) {
  const { t } = useTranslation();
  const intentNames = useIntentNames();
  const nodes = useMemo<CardNode[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: 'card',
        position: node.position,
        selected: node.id === selectedId,
        data: {
          node,
          isStart: node.id === graph.startNodeId,
          problems: problemsByNode.get(node.id) ?? [],
          visits: visits[node.id] ?? 0,
          intentNames,
        },
      })),
    [graph, selectedId, problemsByNode, visits, intentNames],
  );
  const edges = useMemo<Edge[]>(() => {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    return graph.edges.map((e) => {
      const source = byId.get(e.source);
      return {
        id: e.id,
        source: e.source,
        sourceHandle: e.port,
        target: e.target,
        label: source ? portLabel(source, e.port, intentNames) : e.port,
      };
    });
  }, [graph, intentNames]);

  const onNodesChange = (changes: NodeChange<CardNode>[]) => {
    let next = graph;
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        const position = change.position;
        next = { ...next, nodes: next.nodes.map((n) => (n.id === change.id ? { ...n, position } : n)) };
      } else if (change.type === 'remove' && change.id !== graph.startNodeId) {
        next = {
          ...next,
          nodes: next.nodes.filter((n) => n.id !== change.id),
          edges: next.edges.filter((e) => e.source !== change.id && e.target !== change.id),
        };
      } else if (change.type === 'select' && change.selected) {
        onSelect(change.id);
      }
    }
    if (next !== graph) onChange(next);
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const removed = new Set(changes.filter((c) => c.type === 'remove').map((c) => c.id));
    if (removed.size > 0) onChange({ ...graph, edges: graph.edges.filter((e) => !removed.has(e.id)) });
  };
  const onConnect = (connection: Connection) => {
    const port = connection.sourceHandle;
    if (!port) return;
    // One edge per exit: connecting an exit again moves its edge.
    const kept = graph.edges.filter((e) => !(e.source === connection.source && e.port === port));
    const id = nextId(
      'e',
      graph.edges.map((e) => e.id),
    );
    onChange({
      ...graph,
      edges: [...kept, { id, source: connection.source, port, target: connection.target }],
    });
  };

  return (
    <div className="flow-canvas" aria-label={t('bots.canvas')} role="application">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => onSelect(null)}
        fitView
        deleteKeyCode={['Delete', 'Backspace']}
      >
        <Background />
        <Controls />
      </ReactFlow>
    </div>
  );
}
