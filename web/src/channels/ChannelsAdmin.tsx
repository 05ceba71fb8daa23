// The Channels admin page: connected messenger and e-mail channels (status, the webhook URL to
// paste at the provider, test connection, connect/disconnect, remove) and a form to connect a new
// one with the provider's steps. Secrets are write-only: the page shows which are set, never them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNEL_KINDS,
  type ChannelAccount,
  type ChannelKind,
  type ChannelTestResult,
} from '@frontline/protocol';
import { describeError } from '../i18n/errors.js';
import { formatWhen } from '../i18n/format.js';
import { ChannelIcon } from './ChannelIcon.js';
import {
  channelKeys,
  createChannel,
  deleteChannel,
  fetchChannels,
  testChannel,
  updateChannel,
} from './api.js';
import { CHANNEL_FIELDS, randomToken, visibleFields } from './fields.js';

export function ChannelsAdmin() {
  const { t } = useTranslation();
  const accounts = useQuery({ queryKey: channelKeys.accounts, queryFn: fetchChannels });
  return (
    <div className="channels-admin">
      <p className="muted">{t('channels.intro')}</p>
      {accounts.error && (
        <p className="form-error" role="alert">
          {describeError(accounts.error, t)}
        </p>
      )}
      {accounts.data?.length === 0 && <p className="muted">{t('channels.none')}</p>}
      {accounts.data?.map((account) => (
        <AccountCard key={account.id} account={account} />
      ))}
      <ConnectForm />
    </div>
  );
}

function AccountCard({ account }: { account: ChannelAccount }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const refresh = () => void queries.invalidateQueries({ queryKey: channelKeys.accounts });
  const [result, setResult] = useState<ChannelTestResult | null>(null);
  const test = useMutation({
    mutationFn: () => testChannel(account.id),
    onSuccess: (r) => {
      setResult(r);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: () => updateChannel(account.id, { enabled: !account.enabled }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => deleteChannel(account.id), onSuccess: refresh });
  const error = test.error ?? toggle.error ?? remove.error;
  return (
    <section
      className="admin-card"
      data-testid="channel-card"
      data-kind={account.kind}
      aria-label={account.name}
    >
      <div className="channel-head">
        <ChannelIcon channel={account.kind} label={t(`channel.${account.kind}`)} />
        <h3>{account.name}</h3>
        <span className={`badge ${badgeClass(account)}`} data-testid="channel-status">
          {!account.enabled
            ? t('channels.disconnected')
            : account.lastError
              ? t('channels.failing')
              : t('channels.connected')}
        </span>
      </div>
      <p className="channel-state">
        {account.lastInboundAt
          ? t('channels.lastInbound', { when: formatWhen(account.lastInboundAt, i18n.language, Date.now()) })
          : t('channels.noInbound')}
      </p>
      {account.lastError && (
        <p className="channel-state error" role="status">
          {t('channels.lastError', { error: account.lastError })}
        </p>
      )}
      {account.kind === 'email' ? (
        <p className="muted">
          {account.config.inbound === 'imap'
            ? t('channels.emailInboundImap', {
                address: String(account.config.address ?? ''),
                user: String(account.config.imapUser ?? ''),
                host: String(account.config.imapHost ?? ''),
              })
            : t('channels.emailInbound', { address: String(account.config.address ?? '') })}
        </p>
      ) : account.kind === 'telegram' && account.config.inbound === 'polling' ? (
        <p className="muted">{t('channels.telegramPolling')}</p>
      ) : (
        <div className="webhook-url">
          <span>{t('channels.webhookUrl')}</span>
          <code data-testid="webhook-url">{account.webhookUrl}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(account.webhookUrl)}>
            {t('channels.copy')}
          </button>
        </div>
      )}
      <p className="muted">
        {t('channels.secretsSet', {
          names: account.secretsSet.map((n) => t(`channels.fields.${n}`)).join(', ') || '—',
        })}
      </p>
      {result && (
        <p className={result.ok ? 'form-ok' : 'form-error'} role="status" data-testid="channel-test-result">
          {result.ok
            ? t('channels.testOk', { detail: result.detail })
            : t('channels.testFailed', { detail: result.detail })}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {describeError(error, t)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? t('channels.testing') : t('channels.test')}
        </button>
        <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {account.enabled ? t('channels.disconnect') : t('channels.reconnect')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm(t('channels.removeConfirm', { name: account.name }))) remove.mutate();
          }}
        >
          {t('channels.remove')}
        </button>
      </div>
    </section>
  );
}

function initialValues(kind: ChannelKind): Record<string, string> {
  return Object.fromEntries([
    ...CHANNEL_FIELDS[kind].filter((f) => f.generate).map((f) => [f.name, randomToken()]),
    ...CHANNEL_FIELDS[kind].filter((f) => f.options?.[0]).map((f) => [f.name, f.options![0]!]),
  ]);
}

function ConnectForm() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [kind, setKind] = useState<ChannelKind>('telegram');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>(() => initialValues('telegram'));
  const fields = visibleFields(CHANNEL_FIELDS[kind], values);
  const create = useMutation({
    mutationFn: () => {
      const config: Record<string, string | number | boolean> = {};
      const secrets: Record<string, string> = {};
      for (const field of fields) {
        const value = values[field.name] ?? '';
        if (field.type === 'checkbox') {
          if (value === 'true') config[field.name] = true;
          continue;
        }
        if (value === '') continue;
        if (field.secret) secrets[field.name] = value;
        else config[field.name] = field.type === 'number' ? Number(value) : value;
      }
      return createChannel({ kind, name: name || t(`channel.${kind}`), config, secrets });
    },
    onSuccess: () => {
      setName('');
      setValues(initialValues(kind));
      void queries.invalidateQueries({ queryKey: channelKeys.accounts });
    },
  });
  return (
    <form
      className="admin-card stacked-form"
      aria-labelledby="connect-channel-title"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <h3 id="connect-channel-title">{t('channels.connect')}</h3>
      <label className="form-row">
        <span>{t('channels.kind')}</span>
        <select
          value={kind}
          data-testid="channel-kind"
          onChange={(e) => {
            const next = e.target.value as ChannelKind;
            setKind(next);
            setValues(initialValues(next));
          }}
        >
          {CHANNEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`channel.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted steps">{t(`channels.steps.${kind}`)}</p>
      <label className="form-row">
        <span>{t('channels.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t(`channel.${kind}`)} />
      </label>
      {fields.map((field) => (
        <label className="form-row" key={`${kind}-${field.name}`}>
          <span>
            {t(`channels.fields.${field.label ?? field.name}`)}
            {field.optional ? ` (${t('channels.optional')})` : ''}
          </span>
          {field.type === 'checkbox' ? (
            <input
              type="checkbox"
              checked={values[field.name] === 'true'}
              onChange={(e) => setValues({ ...values, [field.name]: String(e.target.checked) })}
            />
          ) : field.type === 'select' ? (
            <select
              name={field.name}
              value={values[field.name] ?? ''}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            >
              {field.options?.map((option) => (
                <option key={option} value={option}>
                  {t(`channels.options.${field.name}.${option}`)}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={field.name}
              type={field.secret ? 'text' : (field.type ?? 'text')}
              autoComplete="off"
              required={!field.optional}
              value={values[field.name] ?? ''}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          )}
        </label>
      ))}
      {create.error && (
        <p className="form-error" role="alert">
          {describeError(create.error, t)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('channels.create')}
        </button>
      </div>
    </form>
  );
}

/** A connected channel whose last test or session failed is not shown as working. */
function badgeClass(account: ChannelAccount): string {
  if (!account.enabled) return 'status-resolved';
  return account.lastError ? 'status-offline' : 'status-assigned';
}
