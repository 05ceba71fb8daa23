// Bot secrets: values HTTP actions put into their requests as {{secrets.NAME}}. Once saved, a value
// is never shown again (the server returns names only); saving a name again replaces its value.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWhen } from '../i18n/format.js';
import { botKeys, deleteSecret, fetchSecrets, putSecret } from './api.js';
import { ErrorLine } from '../components/FormParts.js';

export function BotSecretsPage() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const secrets = useQuery({ queryKey: botKeys.secrets, queryFn: fetchSecrets });
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const valueInput = useRef<HTMLInputElement>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: botKeys.secrets });
  const save = useMutation({
    mutationFn: () => putSecret(name.trim(), value),
    onSuccess: () => {
      setName('');
      setValue('');
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: deleteSecret, onSuccess: refresh });
  const error = save.error ?? remove.error ?? secrets.error;
  return (
    <section aria-labelledby="bot-secrets-title">
      <h1 id="bot-secrets-title">{t('bots.secrets.title')}</h1>
      <p className="muted">{t('bots.secrets.intro')}</p>
      <table className="admin-table" data-testid="bot-secrets">
        <thead>
          <tr>
            <th scope="col">{t('bots.secrets.name')}</th>
            <th scope="col">{t('bots.secrets.value')}</th>
            <th scope="col">{t('bots.secrets.updated')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('bots.secrets.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {secrets.data?.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('bots.secrets.none')}
              </td>
            </tr>
          )}
          {secrets.data?.map((secret) => (
            <tr key={secret.name}>
              <td>
                <code>{`{{secrets.${secret.name}}}`}</code>
              </td>
              <td>{t('bots.secrets.set')}</td>
              <td>{formatWhen(secret.updatedAt, i18n.language)}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setName(secret.name);
                    valueInput.current?.focus();
                  }}
                >
                  {t('bots.secrets.replace')}
                </button>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    window.confirm(t('bots.secrets.confirmDelete', { name: secret.name })) &&
                    remove.mutate(secret.name)
                  }
                >
                  {t('bots.secrets.delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="admin-card stacked-form"
        aria-labelledby="new-secret-title"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <h2 id="new-secret-title">{t('bots.secrets.add')}</h2>
        <label className="form-row">
          <span>{t('bots.secrets.name')}</span>
          <input
            required
            pattern="[A-Za-z][A-Za-z0-9_]{0,39}"
            title={t('bots.secrets.nameRule')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="form-row">
          <span>{t('bots.secrets.value')}</span>
          <input
            ref={valueInput}
            required
            type="password"
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <ErrorLine error={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('bots.secrets.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
