// Workspace settings: the name, the default language for visitors, and the sites allowed to embed
// the widget (one origin per line; none allows any site).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, Session, WorkspaceInfo } from '@frontline/protocol';
import { fetchWorkspace, saveWorkspace } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import type { AdminPageProps } from './pages.js';
import { SaveRow } from '../components/FormParts.js';

export function WorkspaceSettingsPage(_props: AdminPageProps) {
  const { t } = useTranslation();
  const workspace = useQuery({ queryKey: keys.workspace, queryFn: fetchWorkspace });
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('admin.settings.title')}</h1>
      {workspace.isError && <p className="form-error">{describeError(workspace.error, t)}</p>}
      {workspace.data && <SettingsForm key={workspace.data.id} workspace={workspace.data} />}
    </section>
  );
}

function SettingsForm({ workspace }: { workspace: WorkspaceInfo }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [name, setName] = useState(workspace.name);
  const [locale, setLocale] = useState<Locale>(workspace.defaultLocale);
  const [origins, setOrigins] = useState(workspace.allowedOrigins.join('\n'));
  const save = useMutation({
    mutationFn: () =>
      saveWorkspace({
        name: name.trim(),
        defaultLocale: locale,
        allowedOrigins: origins
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean),
      }),
    onSuccess: (saved) => {
      queries.setQueryData(keys.workspace, saved);
      queries.setQueryData<Session>(keys.session, (s) => (s ? { ...s, workspace: saved } : s));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit}>
      <label className="stack-field">
        <span>{t('admin.settings.name')}</span>
        <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="stack-field">
        <span>{t('admin.settings.locale')}</span>
        <select value={locale} onChange={(e) => setLocale(e.target.value === 'en' ? 'en' : 'ru')}>
          <option value="ru">{t('languages.ru')}</option>
          <option value="en">{t('languages.en')}</option>
        </select>
      </label>
      <label className="stack-field">
        <span>{t('admin.settings.origins')}</span>
        <textarea
          rows={4}
          value={origins}
          placeholder="https://shop.example"
          onChange={(e) => setOrigins(e.target.value)}
        />
        <small className="muted">{t('admin.settings.originsHint')}</small>
      </label>
      <p className="muted">
        {t('admin.settings.widgetKey')}: <code>{workspace.widgetKey}</code>
      </p>
      <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}
