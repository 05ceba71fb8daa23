// Routing settings of the workspace: auto-close of idle conversations (a department may set its
// own time) and the window in which a visitor's message reopens a resolved conversation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingSettings } from '@frontline/protocol';
import { api } from '../api/http.js';
import { describeError } from '../i18n/errors.js';
import type { AdminPageProps } from './pages.js';
import { SaveRow } from '../components/FormParts.js';

const KEY = ['routing-settings'] as const;

export function RoutingSettingsPage(_props: AdminPageProps) {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: KEY,
    queryFn: () => api<RoutingSettings>('GET', '/api/routing/settings'),
  });
  return (
    <section aria-labelledby="routing-settings-title">
      <h1 id="routing-settings-title">{t('routing.settingsTitle')}</h1>
      {settings.isError && <p className="form-error">{describeError(settings.error, t)}</p>}
      {settings.data && <SettingsForm settings={settings.data} />}
    </section>
  );
}

function SettingsForm({ settings }: { settings: RoutingSettings }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [input, setInput] = useState(settings);
  const save = useMutation({
    mutationFn: () => api<RoutingSettings>('PUT', '/api/routing/settings', input),
    onSuccess: (saved) => queries.setQueryData(KEY, saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit}>
      <label className="stack-field">
        <span>{t('routing.idleClose')}</span>
        <input
          type="number"
          min={0}
          max={43200}
          className="narrow"
          value={input.idleCloseMinutes}
          onChange={(e) => setInput({ ...input, idleCloseMinutes: Number(e.target.value) })}
        />
        <small className="muted">{t('routing.idleCloseHint')}</small>
      </label>
      <label className="stack-field">
        <span>{t('routing.reopenWindow')}</span>
        <input
          type="number"
          min={0}
          max={43200}
          className="narrow"
          value={input.reopenWindowMinutes}
          onChange={(e) => setInput({ ...input, reopenWindowMinutes: Number(e.target.value) })}
        />
        <small className="muted">{t('routing.reopenWindowHint')}</small>
      </label>
      <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}
