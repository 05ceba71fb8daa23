// Admin page of bot flows: the list, and the builder of the chosen flow (canvas, node settings,
// triggers, validation with the problems pointing at nodes, JSON import/export, publishing) with
// a preview chat that runs the saved draft on the server's simulator.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  BotFlowInput,
  FLOW_NODE_TYPES,
  type BotFlow,
  type FlowNodeType,
  type FlowProblem,
  type FlowTrigger,
} from '@frontline/protocol';
import type { AdminPageProps } from '../admin/pages.js';
import {
  botKeys,
  createFlow,
  fetchFlowStats,
  fetchFlows,
  publishFlow,
  saveFlow,
  validateGraph,
} from './api.js';
import { FlowCanvas } from './FlowCanvas.js';
import { newNode, nextId, starterFlow, withoutDanglingEdges, type StarterWords } from './flow-model.js';
import { KeywordsInput } from './KeywordsInput.js';
import { NodeInspector } from './NodeInspector.js';
import { PreviewChat } from './PreviewChat.js';
import './bots.css';
import { ErrorLine } from '../components/FormParts.js';

const STATS_REFRESH_MS = 5000;

export function FlowBuilderPage(_props: AdminPageProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const flows = useQuery({ queryKey: botKeys.flows, queryFn: fetchFlows });
  const [openId, setOpenId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => createFlow(starterFlow(t('bots.newFlowName'), starterWords(t))),
    onSuccess: (flow) => {
      void queries.invalidateQueries({ queryKey: botKeys.flows });
      setOpenId(flow.id);
    },
  });
  const open = flows.data?.find((f) => f.id === openId);
  return (
    <section aria-labelledby="bots-title" className="bots-page">
      <div className="section-head">
        <h1 id="bots-title">{t('bots.title')}</h1>
        <button type="button" className="primary" data-testid="new-flow" onClick={() => create.mutate()}>
          {t('bots.newFlow')}
        </button>
      </div>
      <ErrorLine error={flows.error ?? create.error} />
      <ul className="flow-list">
        {flows.data?.map((flow) => (
          <li key={flow.id}>
            <button
              type="button"
              className={flow.id === openId ? 'active' : ''}
              onClick={() => setOpenId(flow.id)}
            >
              {flow.name}{' '}
              <span className="muted">
                {flow.publishedVersion === null
                  ? t('bots.notPublished')
                  : t('bots.version', { version: flow.publishedVersion })}
                {flow.hasUnpublishedChanges && flow.publishedVersion !== null
                  ? ` · ${t('bots.changed')}`
                  : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {flows.data?.length === 0 && <p className="muted">{t('bots.empty')}</p>}
      {open && <FlowEditor key={open.id} flow={open} />}
    </section>
  );
}

function draftOf(flow: BotFlow): BotFlowInput {
  return { name: flow.name, enabled: flow.enabled, triggers: flow.triggers, graph: flow.graph };
}

function FlowEditor({ flow }: { flow: BotFlow }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<BotFlowInput>(() => draftOf(flow));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [problems, setProblems] = useState<FlowProblem[] | null>(null);
  const [status, setStatus] = useState('');
  const [jsonOpen, setJsonOpen] = useState(false);
  const [previewRun, setPreviewRun] = useState(0);
  const refresh = () => void queries.invalidateQueries({ queryKey: botKeys.flows });
  // Figures move while visitors talk to the bot: refreshed every few seconds.
  const stats = useQuery({
    queryKey: botKeys.stats(flow.id),
    queryFn: () => fetchFlowStats(flow.id),
    refetchInterval: STATS_REFRESH_MS,
  });

  const save = useMutation({
    mutationFn: () => saveFlow(flow.id, draft),
    onSuccess: () => {
      setStatus(t('bots.saved'));
      refresh();
    },
  });
  const validate = useMutation({
    mutationFn: () => validateGraph(draft.graph),
    onSuccess: (result) => {
      setProblems(result.problems);
      setStatus(result.ok ? t('bots.valid') : '');
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      const result = await validateGraph(draft.graph);
      setProblems(result.problems);
      if (!result.ok) return null;
      await saveFlow(flow.id, draft);
      return publishFlow(flow.id);
    },
    onSuccess: (published) => {
      if (!published) return;
      setStatus(t('bots.published', { version: published.publishedVersion }));
      refresh();
    },
  });
  const error = save.error ?? validate.error ?? publish.error;

  const problemsByNode = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of problems ?? [])
      if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p.message]);
    return map;
  }, [problems]);
  const change = (next: BotFlowInput) => {
    setDraft(next);
    setStatus('');
  };
  const selected = draft.graph.nodes.find((n) => n.id === selectedId);

  const addNode = (type: FlowNodeType) => {
    const id = nextId(
      type,
      draft.graph.nodes.map((n) => n.id),
    );
    const lowest = Math.max(0, ...draft.graph.nodes.map((n) => n.position.y));
    const node = newNode(type, id, { x: 40, y: lowest + 160 }, starterWords(t));
    change({ ...draft, graph: { ...draft.graph, nodes: [...draft.graph.nodes, node] } });
    setSelectedId(id);
  };

  return (
    <div className="flow-editor">
      <div className="flow-toolbar">
        <label className="field">
          <span>{t('bots.name')}</span>
          <input
            value={draft.name}
            data-testid="flow-name"
            onChange={(e) => change({ ...draft, name: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => change({ ...draft, enabled: e.target.checked })}
          />
          {t('bots.enabled')}
        </label>
        <label className="field">
          <span>{t('bots.addNode')}</span>
          <select
            value=""
            data-testid="add-node"
            onChange={(e) => e.target.value && addNode(e.target.value as FlowNodeType)}
          >
            <option value="">—</option>
            {FLOW_NODE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`bots.types.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="save-flow" onClick={() => save.mutate()}>
          {t('bots.save')}
        </button>
        <button type="button" data-testid="validate-flow" onClick={() => validate.mutate()}>
          {t('bots.validate')}
        </button>
        <button type="button" className="primary" data-testid="publish-flow" onClick={() => publish.mutate()}>
          {t('bots.publish')}
        </button>
        <button type="button" onClick={() => setJsonOpen(!jsonOpen)} aria-expanded={jsonOpen}>
          {t('bots.json')}
        </button>
        <span role="status" className="muted" data-testid="flow-status">
          {status}
        </span>
      </div>
      <ErrorLine error={error} />
      {problems && problems.length > 0 && (
        <ul className="flow-problems" role="alert" data-testid="flow-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.nodeId ? (
                <button type="button" className="link" onClick={() => setSelectedId(p.nodeId)}>
                  {p.message}
                </button>
              ) : (
                p.message
              )}
            </li>
          ))}
        </ul>
      )}
      {stats.data && stats.data.runs > 0 && (
        <p className="muted" data-testid="flow-stats">
          {t('bots.stats', {
            runs: stats.data.runs,
            closed: stats.data.closedByBot,
            handedOver: Object.values(stats.data.handedOver).reduce((a, b) => a + b, 0),
            takenOver: stats.data.takenOver,
            dropped: Object.values(stats.data.dropOff).reduce((a, b) => a + b, 0),
          })}
        </p>
      )}
      <TriggersEditor triggers={draft.triggers} onChange={(triggers) => change({ ...draft, triggers })} />
      {jsonOpen && <JsonPanel draft={draft} onImport={change} />}
      <div className="flow-workbench">
        <FlowCanvas
          graph={draft.graph}
          selectedId={selectedId}
          problemsByNode={problemsByNode}
          visits={stats.data?.visits ?? {}}
          onChange={(graph) => change({ ...draft, graph })}
          onSelect={setSelectedId}
        />
        {selected && (
          <NodeInspector
            key={selected.id}
            node={selected}
            isStart={selected.id === draft.graph.startNodeId}
            onChange={(node) =>
              change({
                ...draft,
                graph: withoutDanglingEdges({
                  ...draft.graph,
                  nodes: draft.graph.nodes.map((n) => (n.id === node.id ? node : n)),
                }),
              })
            }
            onMakeStart={() => change({ ...draft, graph: { ...draft.graph, startNodeId: selected.id } })}
            onDelete={() => {
              setSelectedId(null);
              change({
                ...draft,
                graph: {
                  ...draft.graph,
                  nodes: draft.graph.nodes.filter((n) => n.id !== selected.id),
                  edges: draft.graph.edges.filter(
                    (e) => e.source !== selected.id && e.target !== selected.id,
                  ),
                },
              });
            }}
          />
        )}
      </div>
      <PreviewChat
        key={previewRun}
        flowId={flow.id}
        beforeRun={() => saveFlow(flow.id, draft).then(refresh)}
        onRestart={() => setPreviewRun(previewRun + 1)}
      />
    </div>
  );
}

function TriggersEditor({
  triggers,
  onChange,
}: {
  triggers: FlowTrigger[];
  onChange: (t: FlowTrigger[]) => void;
}) {
  const { t } = useTranslation();
  const find = <K extends FlowTrigger['kind']>(kind: K) =>
    triggers.find((tr): tr is Extract<FlowTrigger, { kind: K }> => tr.kind === kind);
  /** Replaces the triggers of one kind, keeping the others (and their settings) as they are. */
  const replace = (kind: FlowTrigger['kind'], next: FlowTrigger | null) =>
    onChange([...triggers.filter((tr) => tr.kind !== kind), ...(next ? [next] : [])]);
  const keywords = triggers.flatMap((tr) => (tr.kind === 'keyword' ? tr.keywords : []));
  return (
    <fieldset className="flow-triggers">
      <legend>{t('bots.triggers')}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={find('conversation_start') !== undefined}
          data-testid="trigger-start"
          onChange={(e) =>
            replace(
              'conversation_start',
              e.target.checked ? { kind: 'conversation_start', channels: [] } : null,
            )
          }
        />
        {t('bots.triggerStart')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={find('after_hours') !== undefined}
          data-testid="trigger-after-hours"
          onChange={(e) =>
            replace('after_hours', e.target.checked ? { kind: 'after_hours', departmentIds: [] } : null)
          }
        />
        {t('bots.triggerAfterHours')}
      </label>
      <label className="field">
        <span>{t('bots.triggerKeywords')}</span>
        <KeywordsInput
          keywords={keywords}
          onChange={(words) =>
            replace('keyword', words.length > 0 ? { kind: 'keyword', keywords: words } : null)
          }
        />
      </label>
      <label className="field">
        <span>{t('bots.triggerInvitation')}</span>
        <input
          defaultValue={find('invitation')?.invitationId ?? ''}
          onBlur={(e) => {
            const invitationId = e.target.value.trim();
            replace('invitation', invitationId ? { kind: 'invitation', invitationId } : null);
          }}
        />
      </label>
    </fieldset>
  );
}

function JsonPanel({ draft, onImport }: { draft: BotFlowInput; onImport: (draft: BotFlowInput) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(draft, null, 2));
  const [error, setError] = useState('');
  const apply = () => {
    try {
      const parsed = BotFlowInput.safeParse(JSON.parse(text));
      if (!parsed.success) {
        setError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        return;
      }
      setError('');
      onImport(parsed.data);
    } catch {
      setError(t('bots.badJson'));
    }
  };
  return (
    <div className="flow-json">
      <textarea
        rows={12}
        value={text}
        aria-label={t('bots.json')}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="button" onClick={apply}>
        {t('bots.importJson')}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

const starterWords = (t: TFunction): StarterWords => ({
  question: t('bots.starterQuestion'),
  option: t('bots.starterOption'),
});
