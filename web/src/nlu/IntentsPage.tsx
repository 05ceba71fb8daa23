// Intents (admins): what visitors write about, with example phrases, and what each intent does;
// the settings of the non-target filter and the upset-customer alert; model versions with their
// evaluation reports, switched on (or rolled back) by hand; and a phrase tester.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ClassifyResult,
  Intent,
  IntentAction,
  IntentCandidate,
  IntentInput,
  IntentModelVersion,
  NluSettings,
} from '@frontline/protocol';
import { INTENT_ACTIONS, NON_TARGET_MODES } from '@frontline/protocol';
import { fetchDepartments } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import type { AdminPageProps } from '../admin/pages.js';
import { Checkbox } from '../admin/SettingsInputs.js';
import { AdminTable, ErrorLine, FormFooter, RowActions } from '../components/FormParts.js';
import {
  acceptCandidate,
  activateModel,
  classifyPhrase,
  createIntent,
  deleteIntent,
  dismissCandidate,
  fetchCandidates,
  fetchIntents,
  fetchModels,
  fetchNluSettings,
  nluKeys,
  trainModel,
  updateIntent,
  updateNluSettings,
} from './api.js';
import './nlu.css';

const TRAINING_POLL_MS = 1_000;

export function IntentsPage(_props: AdminPageProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const intents = useQuery({ queryKey: nluKeys.intents, queryFn: fetchIntents });
  const [editing, setEditing] = useState<Intent | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: deleteIntent,
    onSuccess: () => void queries.invalidateQueries({ queryKey: nluKeys.intents }),
  });
  return (
    <section aria-labelledby="intents-title" className="nlu-page">
      <div className="section-head">
        <h1 id="intents-title">{t('nlu.intents.title')}</h1>
        <button type="button" className="primary" data-testid="add-intent" onClick={() => setEditing('new')}>
          {t('nlu.intents.add')}
        </button>
      </div>
      <p className="muted">{t('nlu.intents.hint')}</p>
      {editing && (
        <IntentForm
          key={editing === 'new' ? 'new' : editing.id}
          intent={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <ErrorLine error={intents.error ?? remove.error} />
      {intents.data?.length === 0 && <p className="muted">{t('nlu.intents.empty')}</p>}
      <AdminTable columns={[t('nlu.intents.name'), t('nlu.intents.action'), t('nlu.intents.examples')]}>
        {intents.data?.map((intent) => (
          <tr key={intent.id} data-testid="intent-row">
            <td>{intent.name}</td>
            <td>{t(`nlu.intents.actions.${intent.action}`)}</td>
            <td>{t('nlu.intents.examplesCount', { count: intent.examples.length })}</td>
            <td>
              <RowActions onEdit={() => setEditing(intent)} onDelete={() => remove.mutate(intent.id)} />
            </td>
          </tr>
        ))}
      </AdminTable>
      <Candidates intents={intents.data ?? []} />
      <SettingsForm />
      <Models />
      <TryPhrase />
    </section>
  );
}

/** Russian when the phrase has Cyrillic letters, else English (as the server guesses a visitor's). */
const localeOf = (text: string) => (/[\u0400-\u04ff]/u.test(text) ? 'ru' : 'en');

function IntentForm({ intent, onDone }: { intent: Intent | null; onDone(): void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const [name, setName] = useState(intent?.name ?? '');
  const [action, setAction] = useState<IntentAction>(intent?.action ?? 'route');
  const [departmentId, setDepartmentId] = useState(intent?.departmentId ?? '');
  const [reply, setReply] = useState(intent?.reply ?? { ru: '', en: '' });
  const [examples, setExamples] = useState(intent?.examples.map((e) => e.text).join('\n') ?? '');
  const save = useMutation({
    mutationFn: () => {
      const input: IntentInput = {
        name,
        action,
        departmentId: action === 'route' && departmentId ? departmentId : null,
        reply,
        examples: examples
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((text) => ({ locale: localeOf(text), text })),
      };
      return intent ? updateIntent(intent.id, input) : createIntent(input);
    },
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: nluKeys.intents });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('nlu.intents.form')}>
      <label className="stack-field">
        <span>{t('nlu.intents.name')}</span>
        <input required name="name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="stack-field">
        <span>{t('nlu.intents.action')}</span>
        <select name="action" value={action} onChange={(e) => setAction(e.target.value as IntentAction)}>
          {INTENT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`nlu.intents.actions.${a}`)}
            </option>
          ))}
        </select>
      </label>
      {action === 'route' && (
        <label className="stack-field">
          <span>{t('nlu.intents.department')}</span>
          <select
            required
            name="department"
            value={departmentId}
            onChange={(e) => setDepartmentId(e.target.value)}
          >
            <option value="">{t('nlu.intents.chooseDepartment')}</option>
            {departments.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {(action === 'non_target' || action === 'knowledge') && (
        <>
          <p className="muted">{t('nlu.intents.replyHint')}</p>
          <label className="stack-field">
            <span>{t('nlu.intents.replyRu')}</span>
            <textarea
              name="replyRu"
              rows={3}
              lang="ru"
              maxLength={2000}
              value={reply.ru}
              onChange={(e) => setReply({ ...reply, ru: e.target.value })}
            />
          </label>
          <label className="stack-field">
            <span>{t('nlu.intents.replyEn')}</span>
            <textarea
              name="replyEn"
              rows={3}
              lang="en"
              maxLength={2000}
              value={reply.en}
              onChange={(e) => setReply({ ...reply, en: e.target.value })}
            />
          </label>
        </>
      )}
      <label className="stack-field">
        <span>{t('nlu.intents.examples')}</span>
        <textarea name="examples" rows={8} value={examples} onChange={(e) => setExamples(e.target.value)} />
        <small className="muted">{t('nlu.intents.examplesHint')}</small>
      </label>
      <FormFooter error={save.error} pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

function SettingsForm() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: nluKeys.settings, queryFn: fetchNluSettings });
  const save = useMutation({
    mutationFn: updateNluSettings,
    onSuccess: (saved) => queries.setQueryData(nluKeys.settings, saved),
  });
  const current = settings.data;
  if (!current) return null;
  const change = (patch: Partial<NluSettings>) => save.mutate(patch);
  return (
    <fieldset className="admin-form nlu-settings" aria-label={t('nlu.intents.settings')}>
      <legend>{t('nlu.intents.settings')}</legend>
      <Checkbox
        label={t('nlu.intents.autoRoute')}
        checked={current.autoRoute}
        onChange={(autoRoute) => change({ autoRoute })}
      />
      <label className="stack-field">
        <span>{t('nlu.intents.nonTargetMode')}</span>
        <select
          name="nonTargetMode"
          value={current.nonTargetMode}
          onChange={(e) => change({ nonTargetMode: e.target.value as NluSettings['nonTargetMode'] })}
        >
          {NON_TARGET_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {t(`nlu.intents.nonTargetModes.${mode}`)}
            </option>
          ))}
        </select>
      </label>
      <Checkbox
        label={t('nlu.intents.knowledgeAnswers')}
        checked={current.knowledgeAnswers}
        onChange={(knowledgeAnswers) => change({ knowledgeAnswers })}
      />
      <label className="stack-field">
        <span>{t('nlu.intents.sentimentThreshold')}</span>
        <input
          type="number"
          name="sentimentThreshold"
          min={0.3}
          max={0.99}
          step={0.05}
          defaultValue={current.sentimentThreshold}
          onBlur={(e) => {
            const value = Number(e.target.value);
            if (value !== current.sentimentThreshold) change({ sentimentThreshold: value });
          }}
        />
      </label>
      <ErrorLine error={settings.error ?? save.error} />
    </fieldset>
  );
}

function Models() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const models = useQuery({
    queryKey: nluKeys.models,
    queryFn: fetchModels,
    refetchInterval: (query) =>
      query.state.data?.some((m) => m.status === 'training') ? TRAINING_POLL_MS : false,
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: nluKeys.models });
  const train = useMutation({ mutationFn: trainModel, onSuccess: refresh });
  const activate = useMutation({ mutationFn: activateModel, onSuccess: refresh });
  const training = models.data?.some((m) => m.status === 'training') ?? false;
  const hasActive = models.data?.some((m) => m.status === 'active') ?? false;
  return (
    <section aria-labelledby="models-title" className="nlu-models">
      <div className="section-head">
        <h2 id="models-title">{t('nlu.intents.models')}</h2>
        <button
          type="button"
          className="primary"
          data-testid="train-model"
          disabled={training || train.isPending}
          onClick={() => train.mutate()}
        >
          {training ? t('nlu.intents.training') : t('nlu.intents.train')}
        </button>
      </div>
      <ErrorLine error={models.error ?? train.error ?? activate.error} />
      {models.data?.length === 0 && <p className="muted">{t('nlu.intents.noModels')}</p>}
      <ul className="model-list">
        {models.data?.map((model) => (
          <li key={model.id} data-testid="model-version" data-status={model.status}>
            <div className="model-head">
              <strong>{t('nlu.intents.version', { version: model.version })}</strong>
              <span className={`badge model-${model.status}`}>{t(`nlu.intents.status.${model.status}`)}</span>
              {model.status === 'ready' && (
                <button type="button" data-testid="activate-model" onClick={() => activate.mutate(model.id)}>
                  {hasActive && model.activatedAt !== null
                    ? t('nlu.intents.rollback')
                    : t('nlu.intents.activate')}
                </button>
              )}
            </div>
            {model.error && <p className="form-error">{model.error}</p>}
            {model.report && <Report model={model} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Report({ model }: { model: IntentModelVersion }) {
  const { t, i18n } = useTranslation();
  const report = model.report;
  if (!report) return null;
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const label = (name: string) => (name === '_out_of_scope_' ? t('nlu.intents.outOfScope') : name);
  return (
    <details className="model-report">
      <summary>
        {t('nlu.intents.accuracy', { value: percent.format(report.accuracy) })} ·{' '}
        {t('nlu.intents.threshold', { value: report.threshold.toFixed(2) })}
      </summary>
      <p className="muted">
        {t('nlu.intents.counts', {
          training: report.trainingExamples,
          heldOut: report.heldOutExamples,
          ms: model.trainingMs ?? '—',
        })}
        {' · '}
        {t('nlu.intents.topAccuracy', { value: percent.format(report.topIntentAccuracy) })}
        {report.outOfScopeRecall !== null &&
          ` · ${t('nlu.intents.oosRecall', { value: percent.format(report.outOfScopeRecall) })}`}
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">{t('nlu.intents.report')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('nlu.intents.perIntent')}</th>
            <th scope="col">{t('nlu.intents.precision')}</th>
            <th scope="col">{t('nlu.intents.recall')}</th>
            <th scope="col">{t('nlu.intents.support')}</th>
          </tr>
        </thead>
        <tbody>
          {report.perIntent.map((figures) => (
            <tr key={figures.label}>
              <td>{label(figures.label)}</td>
              <td>{percent.format(figures.precision)}</td>
              <td>{percent.format(figures.recall)}</td>
              <td>{figures.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.confusions.length > 0 && (
        <>
          <h3>{t('nlu.intents.confusions')}</h3>
          <ul>
            {report.confusions.slice(0, 10).map((c) => (
              <li key={`${c.expected}>${c.predicted}`}>
                {t('nlu.intents.confusion', {
                  expected: label(c.expected),
                  predicted: label(c.predicted),
                  count: c.count,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}

function TryPhrase() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const run = useMutation({ mutationFn: classifyPhrase });
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const describe = (result: ClassifyResult) =>
    result.intent
      ? t('nlu.intents.tryResult', { intent: result.intent, confidence: percent.format(result.confidence) })
      : t('nlu.intents.tryNone', { confidence: percent.format(result.confidence) });
  return (
    <form
      className="admin-form"
      aria-label={t('nlu.intents.tryTitle')}
      onSubmit={(event) => {
        event.preventDefault();
        run.mutate(text);
      }}
    >
      <h2>{t('nlu.intents.tryTitle')}</h2>
      <label className="stack-field">
        <span>{t('nlu.intents.tryHint')}</span>
        <input
          required
          name="phrase"
          maxLength={2000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="submit" disabled={run.isPending}>
        {t('nlu.intents.tryButton')}
      </button>
      {run.data && (
        <p data-testid="try-result" role="status">
          {describe(run.data)}
        </p>
      )}
      <ErrorLine error={run.error} />
    </form>
  );
}

function Candidates({ intents }: { intents: Intent[] }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const candidates = useQuery({ queryKey: nluKeys.candidates, queryFn: fetchCandidates });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: nluKeys.candidates });
    void queries.invalidateQueries({ queryKey: nluKeys.intents });
  };
  const accept = useMutation({
    mutationFn: ({ id, intentId }: { id: string; intentId: string }) => acceptCandidate(id, intentId),
    onSuccess: refresh,
  });
  const dismiss = useMutation({ mutationFn: dismissCandidate, onSuccess: refresh });
  return (
    <section aria-labelledby="candidates-title" className="nlu-models">
      <h2 id="candidates-title">{t('nlu.candidates.title')}</h2>
      <p className="muted">{t('nlu.candidates.hint')}</p>
      <ErrorLine error={candidates.error ?? accept.error ?? dismiss.error} />
      {candidates.data?.length === 0 && <p className="muted">{t('nlu.candidates.empty')}</p>}
      <ul className="model-list">
        {candidates.data?.map((candidate) => (
          <CandidateRow
            key={candidate.id}
            candidate={candidate}
            intents={intents}
            busy={accept.isPending || dismiss.isPending}
            onAccept={(intentId) => accept.mutate({ id: candidate.id, intentId })}
            onDismiss={() => dismiss.mutate(candidate.id)}
          />
        ))}
      </ul>
    </section>
  );
}

function CandidateRow(props: {
  candidate: IntentCandidate;
  intents: Intent[];
  busy: boolean;
  onAccept(intentId: string): void;
  onDismiss(): void;
}) {
  const { t } = useTranslation();
  const { candidate, intents } = props;
  const [intentId, setIntentId] = useState(candidate.intentId ?? '');
  return (
    <li data-testid="candidate">
      <p>
        «{candidate.text}» <span className="muted">({t(`nlu.candidates.source.${candidate.source}`)})</span>
      </p>
      <div className="model-head">
        <select
          aria-label={t('nlu.candidates.intent')}
          value={intentId}
          onChange={(e) => setIntentId(e.target.value)}
        >
          <option value="">{t('nlu.candidates.none')}</option>
          {intents.map((intent) => (
            <option key={intent.id} value={intent.id}>
              {intent.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          data-testid="accept-candidate"
          disabled={!intentId || props.busy}
          onClick={() => props.onAccept(intentId)}
        >
          {t('nlu.candidates.accept')}
        </button>
        <button type="button" disabled={props.busy} onClick={props.onDismiss}>
          {t('nlu.candidates.dismiss')}
        </button>
      </div>
    </li>
  );
}
