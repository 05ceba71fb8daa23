// The optional model endpoint that drafts answers from the knowledge base (admins): on/off, an
// OpenAI-compatible API address, the model, the API key (never shown back) and the timeout.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ANSWER_DRAFT_LIMITS, type AnswerDraftSettings } from '@frontline/protocol';
import { Checkbox } from '../admin/SettingsInputs.js';
import { ErrorLine, SaveRow } from '../components/FormParts.js';
import { fetchDraftSettings, nluKeys, saveDraftSettings } from './api.js';

export function AnswerDraftSettingsForm() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: nluKeys.draftSettings, queryFn: fetchDraftSettings });
  const [draft, setDraft] = useState<AnswerDraftSettings | null>(null);
  /** A new key; empty keeps the stored one. */
  const [apiKey, setApiKey] = useState('');
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (input: { current: AnswerDraftSettings; key: string | null }) =>
      saveDraftSettings({
        enabled: input.current.enabled,
        baseUrl: input.current.baseUrl,
        model: input.current.model,
        timeoutMs: input.current.timeoutMs,
        ...(input.key === null ? {} : { apiKey: input.key }),
      }),
    onSuccess: (saved) => {
      queries.setQueryData(nluKeys.draftSettings, saved);
      void queries.invalidateQueries({ queryKey: nluKeys.draftStatus });
      setApiKey('');
    },
  });
  if (!draft) return <ErrorLine error={settings.error} />;
  const set = (patch: Partial<AnswerDraftSettings>) => setDraft({ ...draft, ...patch });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ current: draft, key: apiKey === '' ? null : apiKey });
  };
  return (
    <form
      className="admin-form"
      onSubmit={submit}
      aria-labelledby="answer-drafts-title"
      data-testid="draft-settings"
    >
      <h2 id="answer-drafts-title">{t('nlu.drafts.settingsTitle')}</h2>
      <p className="muted">{t('nlu.drafts.settingsHint')}</p>
      <Checkbox
        label={t('nlu.drafts.enabled')}
        checked={draft.enabled}
        onChange={(enabled) => set({ enabled })}
      />
      <label className="stack-field">
        <span>{t('nlu.drafts.baseUrl')}</span>
        <input
          name="baseUrl"
          type="url"
          maxLength={2000}
          placeholder="https://api.openai.com/v1"
          required={draft.enabled}
          value={draft.baseUrl}
          onChange={(e) => set({ baseUrl: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('nlu.drafts.model')}</span>
        <input
          name="model"
          maxLength={200}
          required={draft.enabled}
          value={draft.model}
          onChange={(e) => set({ model: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('nlu.drafts.apiKey')}</span>
        <input
          name="apiKey"
          type="password"
          autoComplete="off"
          maxLength={4000}
          placeholder={draft.apiKeySet ? t('nlu.drafts.keyKept') : t('nlu.drafts.keyNone')}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
        />
      </label>
      {draft.apiKeySet && (
        <button
          type="button"
          className="link"
          disabled={save.isPending}
          onClick={() => save.mutate({ current: draft, key: '' })}
        >
          {t('nlu.drafts.removeKey')}
        </button>
      )}
      <label className="stack-field">
        <span>{t('nlu.drafts.timeout')}</span>
        <input
          name="timeoutMs"
          type="number"
          min={ANSWER_DRAFT_LIMITS.minTimeoutMs}
          max={ANSWER_DRAFT_LIMITS.maxTimeoutMs}
          step={1000}
          value={draft.timeoutMs}
          onChange={(e) => set({ timeoutMs: Number(e.target.value) })}
        />
      </label>
      <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}
