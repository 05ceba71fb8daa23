// The CRM lookup behind customer cards: address template, headers (secret ones never shown back),
// timeout and cache lifetime.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARD_TEMPLATE_VARIABLES, type CustomerCardSettings } from '@frontline/protocol';
import { describeError } from '../../i18n/errors.js';
import { fetchCardSettings, integrationKeys, saveCardSettings } from '../api.js';
import { SaveRow } from '../../components/FormParts.js';

interface HeaderDraft {
  name: string;
  value: string;
  secret: boolean;
  /** A secret stored on the server: an empty value keeps it. */
  stored: boolean;
}

export function CardSettingsAdmin() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: integrationKeys.cardSettings, queryFn: fetchCardSettings });
  const [draft, setDraft] = useState<CustomerCardSettings | null>(null);
  const [headers, setHeaders] = useState<HeaderDraft[]>([]);
  useEffect(() => {
    if (!settings.data) return;
    setDraft(settings.data);
    setHeaders(
      settings.data.headers.map((h) => ({
        name: h.name,
        value: h.value ?? '',
        secret: h.secret,
        stored: h.secret,
      })),
    );
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (current: CustomerCardSettings) =>
      saveCardSettings({
        enabled: current.enabled,
        urlTemplate: current.urlTemplate,
        timeoutMs: current.timeoutMs,
        cacheTtlSeconds: current.cacheTtlSeconds,
        headers: headers
          .filter((h) => h.name.trim())
          .map((h) => ({
            name: h.name.trim(),
            secret: h.secret,
            ...(h.stored && h.value === '' ? {} : { value: h.value }),
          })),
      }),
    onSuccess: (saved) => {
      queries.setQueryData(integrationKeys.cardSettings, saved);
      void queries.invalidateQueries({ queryKey: ['customer-card'] });
    },
  });
  if (!draft) return settings.error ? <p className="form-error">{describeError(settings.error, t)}</p> : null;
  const set = (patch: Partial<CustomerCardSettings>) => setDraft({ ...draft, ...patch });
  return (
    <form
      className="admin-card stacked-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft);
      }}
    >
      <p className="muted">{t('integrations.cardSettings.intro')}</p>
      <label className="check-row">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {t('integrations.cardSettings.enabled')}
      </label>
      <label className="form-row">
        <span>{t('integrations.cardSettings.url')}</span>
        <input
          value={draft.urlTemplate}
          onChange={(e) => set({ urlTemplate: e.target.value })}
          placeholder="https://crm.example.ru/api/customers?email={{email}}&phone={{phone}}"
          required
        />
      </label>
      <p className="muted small event-list">
        {t('integrations.cardSettings.variables')}
        {CARD_TEMPLATE_VARIABLES.map((name) => (
          <code key={name}>{`{{${name}}}`}</code>
        ))}
      </p>
      <fieldset>
        <legend>{t('integrations.cardSettings.headers')}</legend>
        {headers.map((header, index) => (
          <div key={index} className="header-row">
            <input
              aria-label={t('integrations.cardSettings.headerName')}
              value={header.name}
              placeholder="Authorization"
              onChange={(e) =>
                setHeaders(headers.map((h, i) => (i === index ? { ...h, name: e.target.value } : h)))
              }
            />
            <input
              aria-label={t('integrations.cardSettings.headerValue')}
              type={header.secret ? 'password' : 'text'}
              value={header.value}
              placeholder={header.stored ? t('integrations.cardSettings.keepSecret') : ''}
              onChange={(e) =>
                setHeaders(headers.map((h, i) => (i === index ? { ...h, value: e.target.value } : h)))
              }
            />
            <label className="check-row">
              <input
                type="checkbox"
                checked={header.secret}
                onChange={(e) =>
                  setHeaders(headers.map((h, i) => (i === index ? { ...h, secret: e.target.checked } : h)))
                }
              />
              {t('integrations.cardSettings.secret')}
            </label>
            <button
              type="button"
              className="link"
              onClick={() => setHeaders(headers.filter((_, i) => i !== index))}
            >
              {t('integrations.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setHeaders([...headers, { name: '', value: '', secret: true, stored: false }])}
        >
          {t('integrations.cardSettings.addHeader')}
        </button>
      </fieldset>
      <div className="inline-fields">
        <label className="form-row">
          <span>{t('integrations.cardSettings.timeout')}</span>
          <input
            type="number"
            min={200}
            max={10000}
            step={100}
            value={draft.timeoutMs}
            onChange={(e) => set({ timeoutMs: Number(e.target.value) })}
          />
        </label>
        <label className="form-row">
          <span>{t('integrations.cardSettings.cache')}</span>
          <input
            type="number"
            min={0}
            max={86400}
            value={draft.cacheTtlSeconds}
            onChange={(e) => set({ cacheTtlSeconds: Number(e.target.value) })}
          />
        </label>
      </div>
      <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}
