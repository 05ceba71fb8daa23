// API tokens: made with chosen scopes, the secret shown once, revoked at any time.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_SCOPES, type ApiScope, type CreatedApiToken } from '@frontline/protocol';
import { formatWhen } from '../../i18n/format.js';
import { createToken, fetchTokens, integrationKeys, revokeToken } from '../api.js';
import { ErrorLine } from '../../components/FormParts.js';

export function TokensAdmin() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const tokens = useQuery({ queryKey: integrationKeys.tokens, queryFn: fetchTokens });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['conversations:read', 'messages:read']);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: integrationKeys.tokens });
  const create = useMutation({
    mutationFn: () => createToken(name, scopes),
    onSuccess: (token) => {
      setCreated(token);
      setName('');
      refresh();
    },
  });
  const revoke = useMutation({ mutationFn: revokeToken, onSuccess: refresh });
  return (
    <>
      <p className="muted">{t('integrations.tokens.intro')}</p>
      {created && (
        <p className="admin-card created-token" role="status">
          {t('integrations.tokens.once')} <code>{created.token}</code>
        </p>
      )}
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('integrations.tokens.name')}</th>
            <th scope="col">{t('integrations.tokens.scopes')}</th>
            <th scope="col">{t('integrations.tokens.lastUsed')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('integrations.webhooks.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td className="event-list">
                {token.scopes.map((s) => (
                  <code key={s}>{s}</code>
                ))}
              </td>
              <td>{token.lastUsedAt ? formatWhen(token.lastUsedAt, i18n.language) : '—'}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    window.confirm(t('integrations.tokens.confirmRevoke')) && revoke.mutate(token.id)
                  }
                >
                  {t('integrations.tokens.revoke')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="admin-card stacked-form"
        aria-labelledby="new-token-title"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <h3 id="new-token-title">{t('integrations.tokens.add')}</h3>
        <label className="form-row">
          <span>{t('integrations.tokens.name')}</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset className="event-types">
          <legend>{t('integrations.tokens.scopes')}</legend>
          {API_SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                }
              />
              <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        <ErrorLine error={create.error ?? revoke.error ?? tokens.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending || scopes.length === 0}>
            {t('integrations.tokens.create')}
          </button>
        </div>
      </form>
    </>
  );
}
