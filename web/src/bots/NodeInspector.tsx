// The selected node's settings: what it says, its options or question, the HTTP call, the hand-off.
// Every change replaces the node in the draft; the canvas redraws from the draft.
import { useTranslation } from 'react-i18next';
import { PRIORITIES, QUESTION_KINDS, HTTP_METHODS, type FlowNode, type Priority } from '@frontline/protocol';
import { Checkbox } from '../admin/SettingsInputs.js';
import { nextId } from './flow-model.js';
import { useIntents } from './intents.js';
import { MenuOptions } from './MenuOptions.js';
import { MessageFiles } from './MessageFiles.js';

interface Props {
  node: FlowNode;
  isStart: boolean;
  onChange: (node: FlowNode) => void;
  onMakeStart: () => void;
  onDelete: () => void;
}

function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  multiline?: boolean;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.multiline ? (
        <textarea
          value={props.value}
          rows={3}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
      ) : (
        <input
          value={props.value}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </label>
  );
}

function NumberField(props: { label: string; value: number | null; onChange: (v: number | null) => void }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="number"
        min={0}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? null : Number(e.target.value))}
      />
    </label>
  );
}

function PriorityField(props: { value: Priority | null; onChange: (v: Priority | null) => void }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{t('bots.fields.priority')}</span>
      <select
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? null : (e.target.value as Priority))}
      >
        <option value="">{t('bots.fields.unchanged')}</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
}

/** `a=b` lines to pairs and back (response mapping, headers). */
const toLines = (pairs: [string, string][]) => pairs.map(([a, b]) => `${a}=${b}`).join('\n');
const fromLines = (text: string): [string, string][] =>
  text
    .split('\n')
    .map((line) => line.split('='))
    .filter((parts) => parts.length >= 2 && parts[0]?.trim())
    .map((parts) => [(parts[0] ?? '').trim(), parts.slice(1).join('=').trim()]);

export function NodeInspector({ node, isStart, onChange, onMakeStart, onDelete }: Props) {
  const { t } = useTranslation();
  return (
    <aside className="flow-inspector" aria-label={t('bots.inspector')}>
      <h2>
        {t(`bots.types.${node.type}`)} <code>{node.id}</code>
      </h2>
      <NodeFields node={node} onChange={onChange} />
      <div className="flow-inspector-actions">
        {!isStart && (
          <button type="button" onClick={onMakeStart}>
            {t('bots.makeStart')}
          </button>
        )}
        {!isStart && (
          <button type="button" className="danger" onClick={onDelete}>
            {t('bots.deleteNode')}
          </button>
        )}
      </div>
    </aside>
  );
}

function NodeFields({ node, onChange }: { node: FlowNode; onChange: (node: FlowNode) => void }) {
  const { t } = useTranslation();
  const text = (value: string) => onChange({ ...node, text: value } as FlowNode);
  const promptText = (value: string, label = t('bots.fields.text')) => (
    <TextField label={label} value={value} onChange={text} multiline testId="node-text" />
  );
  switch (node.type) {
    case 'message':
      return (
        <>
          {promptText(node.text)}
          <MessageFiles node={node} onChange={onChange} />
        </>
      );
    case 'close':
      return promptText(node.text);
    case 'handoff':
      return (
        <>
          {promptText(node.text, t('bots.fields.handoffText'))}
          <PriorityField value={node.priority} onChange={(priority) => onChange({ ...node, priority })} />
        </>
      );
    case 'knowledge':
      return (
        <>
          <p className="muted">{t('bots.knowledgeHint')}</p>
          <Checkbox
            label={t('bots.fields.askIfHelped')}
            checked={node.askIfHelped}
            onChange={(askIfHelped) => onChange({ ...node, askIfHelped })}
          />
        </>
      );
    case 'classify':
      return <ClassifyFields node={node} onChange={onChange} />;
    case 'menu':
      return (
        <>
          {promptText(node.text)}
          <MenuOptions node={node} onChange={onChange} />
          <TextField
            label={t('bots.fields.personLabel')}
            value={node.personLabel}
            onChange={(personLabel) => onChange({ ...node, personLabel })}
          />
          <NumberField
            label={t('bots.fields.timeout')}
            value={node.timeoutMinutes}
            onChange={(timeoutMinutes) => onChange({ ...node, timeoutMinutes })}
          />
        </>
      );
    case 'question':
      return (
        <>
          {promptText(node.text)}
          <label className="field">
            <span>{t('bots.fields.kind')}</span>
            <select
              value={node.kind}
              onChange={(e) => onChange({ ...node, kind: e.target.value as typeof node.kind })}
            >
              {QUESTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`bots.kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <TextField
            label={t('bots.fields.variable')}
            value={node.variable}
            onChange={(variable) => onChange({ ...node, variable })}
          />
          {node.kind === 'choice' && (
            <TextField
              label={t('bots.fields.choices')}
              value={node.choices.join('\n')}
              multiline
              onChange={(v) => onChange({ ...node, choices: v.split('\n').filter((c) => c.trim()) })}
            />
          )}
          <label className="field">
            <span>{t('bots.fields.contactField')}</span>
            <select
              value={node.contactField ?? ''}
              onChange={(e) =>
                onChange({ ...node, contactField: (e.target.value || null) as typeof node.contactField })
              }
            >
              <option value="">—</option>
              <option value="name">{t('bots.contactFields.name')}</option>
              <option value="email">{t('bots.contactFields.email')}</option>
              <option value="phone">{t('bots.contactFields.phone')}</option>
            </select>
          </label>
          <TextField
            label={t('bots.fields.retryText')}
            value={node.retryText}
            onChange={(retryText) => onChange({ ...node, retryText })}
          />
          <NumberField
            label={t('bots.fields.maxAttempts')}
            value={node.maxAttempts}
            onChange={(v) => onChange({ ...node, maxAttempts: v ?? 1 })}
          />
          <NumberField
            label={t('bots.fields.timeout')}
            value={node.timeoutMinutes}
            onChange={(timeoutMinutes) => onChange({ ...node, timeoutMinutes })}
          />
        </>
      );
    case 'condition':
      return (
        <fieldset>
          <legend>{t('bots.fields.rules')}</legend>
          <p className="muted">{t('bots.conditionHint')}</p>
          <textarea
            rows={8}
            aria-label={t('bots.fields.rules')}
            defaultValue={JSON.stringify(node.rules, null, 2)}
            onBlur={(e) => {
              try {
                onChange({ ...node, rules: JSON.parse(e.target.value) as typeof node.rules });
              } catch {
                e.target.setCustomValidity(t('bots.badJson'));
                e.target.reportValidity();
              }
            }}
          />
        </fieldset>
      );
    case 'action':
      return (
        <>
          <label className="field">
            <span>{t('bots.fields.method')}</span>
            <select
              value={node.method}
              onChange={(e) => onChange({ ...node, method: e.target.value as typeof node.method })}
            >
              {HTTP_METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <TextField
            label={t('bots.fields.url')}
            value={node.url}
            onChange={(url) => onChange({ ...node, url })}
          />
          <TextField
            label={t('bots.fields.headers')}
            value={toLines(Object.entries(node.headers))}
            multiline
            onChange={(v) => onChange({ ...node, headers: Object.fromEntries(fromLines(v)) })}
          />
          <TextField
            label={t('bots.fields.body')}
            value={node.body}
            onChange={(body) => onChange({ ...node, body })}
            multiline
          />
          <NumberField
            label={t('bots.fields.timeoutMs')}
            value={node.timeoutMs}
            onChange={(v) => onChange({ ...node, timeoutMs: v ?? 5000 })}
          />
          <NumberField
            label={t('bots.fields.retries')}
            value={node.retries}
            onChange={(v) => onChange({ ...node, retries: v ?? 0 })}
          />
          <TextField
            label={t('bots.fields.responseMap')}
            value={toLines(node.responseMap.map((m) => [m.variable, m.path]))}
            multiline
            onChange={(v) =>
              onChange({ ...node, responseMap: fromLines(v).map(([variable, path]) => ({ variable, path })) })
            }
          />
          <TextField
            label={t('bots.fields.replyText')}
            value={node.replyText}
            onChange={(replyText) => onChange({ ...node, replyText })}
            multiline
          />
          <p className="muted">
            {t('bots.fields.secretsHint')} <code>{'{{secrets.NAME}}'}</code>
          </p>
          <ActionAnswerFields node={node} onChange={onChange} />
        </>
      );
    case 'set':
      return (
        <>
          <TextField
            label={t('bots.fields.tags')}
            value={node.tags.join(', ')}
            onChange={(v) =>
              onChange({
                ...node,
                tags: v
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              })
            }
          />
          <PriorityField value={node.priority} onChange={(priority) => onChange({ ...node, priority })} />
          <TextField
            label={t('bots.fields.variables')}
            value={toLines(node.variables.map((v) => [v.name, v.value]))}
            multiline
            onChange={(v) =>
              onChange({ ...node, variables: fromLines(v).map(([name, value]) => ({ name, value })) })
            }
          />
        </>
      );
  }
}

type ActionNode = Extract<FlowNode, { type: 'action' }>;

/** The answer as a list of buttons and as files sent into the chat, each switched on by a checkbox. */
function ActionAnswerFields({ node, onChange }: { node: ActionNode; onChange: (node: FlowNode) => void }) {
  const { t } = useTranslation();
  const choices = node.choices;
  const setChoices = (patch: Partial<NonNullable<ActionNode['choices']>>) =>
    choices && onChange({ ...node, choices: { ...choices, ...patch } });
  return (
    <>
      <fieldset className="flow-options" data-testid="action-choices">
        <legend>
          <label>
            <input
              type="checkbox"
              checked={choices !== null}
              onChange={(e) =>
                onChange({
                  ...node,
                  choices: e.target.checked
                    ? {
                        listPath: '',
                        label: '{{item.name}}',
                        valuePath: 'id',
                        variable: 'choice',
                        labelVariable: null,
                      }
                    : null,
                })
              }
            />{' '}
            {t('bots.fields.listChoices')}
          </label>
        </legend>
        {choices && (
          <>
            <TextField
              label={t('bots.fields.listPath')}
              value={choices.listPath}
              testId="choices-list-path"
              onChange={(listPath) => setChoices({ listPath })}
            />
            <TextField
              label={`${t('bots.fields.choiceLabel')} {{item.name}}`}
              value={choices.label}
              testId="choices-label"
              onChange={(label) => setChoices({ label })}
            />
            <TextField
              label={t('bots.fields.choiceValuePath')}
              value={choices.valuePath}
              testId="choices-value-path"
              onChange={(valuePath) => setChoices({ valuePath })}
            />
            <TextField
              label={t('bots.fields.choiceVariable')}
              value={choices.variable}
              testId="choices-variable"
              onChange={(variable) => setChoices({ variable })}
            />
            <TextField
              label={t('bots.fields.choiceLabelVariable')}
              value={choices.labelVariable ?? ''}
              testId="choices-label-variable"
              onChange={(v) => setChoices({ labelVariable: v.trim() === '' ? null : v })}
            />
          </>
        )}
      </fieldset>
      <fieldset className="flow-options" data-testid="action-files">
        <legend>
          <label>
            <input
              type="checkbox"
              checked={node.files !== null}
              onChange={(e) => onChange({ ...node, files: e.target.checked ? { listPath: 'files' } : null })}
            />{' '}
            {t('bots.fields.files')}
          </label>
        </legend>
        {node.files && (
          <TextField
            label={t('bots.fields.filesListPath')}
            value={node.files.listPath}
            testId="files-list-path"
            onChange={(listPath) => onChange({ ...node, files: { listPath } })}
          />
        )}
      </fieldset>
    </>
  );
}

function ClassifyFields({
  node,
  onChange,
}: {
  node: Extract<FlowNode, { type: 'classify' }>;
  onChange: (node: FlowNode) => void;
}) {
  const { t } = useTranslation();
  const intents = useIntents();
  const list = intents.data ?? [];
  const setIntent = (id: string, intentId: string) =>
    onChange({ ...node, branches: node.branches.map((b) => (b.id === id ? { ...b, intentId } : b)) });
  return (
    <fieldset>
      <legend>{t('bots.types.classify')}</legend>
      <p className="muted">{t('bots.classifyHint')}</p>
      {intents.isSuccess && list.length === 0 && <p className="muted">{t('bots.classifyNoIntents')}</p>}
      {node.branches.map((branch) => (
        <div key={branch.id} className="flow-branch">
          <label className="field">
            <span>
              {t('bots.classifyIntent')} <code>{branch.id}</code>
            </span>
            <select value={branch.intentId} onChange={(e) => setIntent(branch.id, e.target.value)}>
              {!list.some((intent) => intent.id === branch.intentId) && (
                <option value={branch.intentId}>{t('bots.fields.missingIntent')}</option>
              )}
              {list.map((intent) => (
                <option key={intent.id} value={intent.id}>
                  {intent.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="link"
            onClick={() => onChange({ ...node, branches: node.branches.filter((b) => b.id !== branch.id) })}
          >
            {t('bots.classifyRemove')}
          </button>
        </div>
      ))}
      {list.length > 0 && (
        <button
          type="button"
          onClick={() =>
            onChange({
              ...node,
              branches: [
                ...node.branches,
                {
                  id: nextId(
                    'intent',
                    node.branches.map((b) => b.id),
                  ),
                  intentId: list[0]!.id,
                },
              ],
            })
          }
        >
          {t('bots.classifyAdd')}
        </button>
      )}
    </fieldset>
  );
}
