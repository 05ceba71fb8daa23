// The Channels admin page: connected messenger and e-mail channels (status, the webhook URL to
// paste at the provider, test connection, edit settings, connect/disconnect, remove) and a form to
// connect a new one with the provider's steps. Secrets are write-only: the page shows which are
// set, never them, and editing replaces only the secrets typed anew.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNEL_KINDS,
  type ChannelAccount,
  type ChannelKind,
  type ChannelTestResult,
} from '@frontline/protocol';
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
import {
  CHANNEL_FIELDS,
  randomToken,
  settingsOf,
  valuesOf,
  visibleFields,
  type ChannelField,
} from './fields.js';
import { ErrorLine } from '../components/FormParts.js';

export function ChannelsAdmin() {
  const { t } = useTranslation();
  const accounts = useQuery({ queryKey: channelKeys.accounts, queryFn: fetchChannels });
  return (
    <div className="channels-admin">
      <p className="muted">{t('channels.intro')}</p>
      <ErrorLine error={accounts.error} />
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
  const [editing, setEditing] = useState(false);
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
      <ErrorLine error={error} />
      {editing && <EditForm account={account} onDone={() => setEditing(false)} />}
      <div className="form-actions">
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? t('channels.testing') : t('channels.test')}
        </button>
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          {t('channels.edit')}
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
      const { config, secrets } = settingsOf(fields, values);
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
      <FieldInputs kind={kind} fields={fields} values={values} onChange={setValues} />
      <ErrorLine error={create.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('channels.create')}
        </button>
      </div>
    </form>
  );
}

/** Changes a connected channel: its name and settings, and the secrets typed anew (blank keeps the stored one). */
function EditForm({ account, onDone }: { account: ChannelAccount; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [name, setName] = useState(account.name);
  const [values, setValues] = useState(() => valuesOf(CHANNEL_FIELDS[account.kind], account.config));
  const fields = visibleFields(CHANNEL_FIELDS[account.kind], values);
  const save = useMutation({
    mutationFn: () => updateChannel(account.id, { name, ...settingsOf(fields, values) }),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: channelKeys.accounts });
      onDone();
    },
  });
  return (
    <form
      className="stacked-form channel-edit"
      aria-label={t('channels.editTitle', { name: account.name })}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <label className="form-row">
        <span>{t('channels.name')}</span>
        <input value={name} required onChange={(e) => setName(e.target.value)} />
      </label>
      <FieldInputs
        kind={account.kind}
        fields={fields}
        values={values}
        onChange={setValues}
        secretsSet={account.secretsSet}
      />
      <ErrorLine error={save.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('channels.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('channels.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * The inputs of a channel's fields. Secrets are password fields; one already stored (`secretsSet`)
 * may stay blank, which keeps it.
 */
function FieldInputs({
  kind,
  fields,
  values,
  onChange,
  secretsSet = [],
}: {
  kind: ChannelKind;
  fields: ChannelField[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  secretsSet?: string[];
}) {
  const { t } = useTranslation();
  const set = (name: string, value: string) => onChange({ ...values, [name]: value });
  return fields.map((field) => {
    const stored = field.secret && secretsSet.includes(field.name);
    return (
      <label className="form-row" key={`${kind}-${field.name}`}>
        <span>
          {t(`channels.fields.${field.label ?? field.name}`)}
          {field.optional ? ` (${t('channels.optional')})` : ''}
        </span>
        {field.type === 'checkbox' ? (
          <input
            type="checkbox"
            checked={values[field.name] === 'true'}
            onChange={(e) => set(field.name, String(e.target.checked))}
          />
        ) : field.type === 'select' ? (
          <select
            name={field.name}
            value={values[field.name] ?? ''}
            onChange={(e) => set(field.name, e.target.value)}
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
            // A generated secret is shown so the admin can paste it at the provider; typed ones are hidden.
            type={field.secret ? (field.generate && !stored ? 'text' : 'password') : (field.type ?? 'text')}
            autoComplete={field.secret ? 'new-password' : 'off'}
            required={!field.optional && !stored}
            placeholder={stored ? t('channels.secretKept') : undefined}
            value={values[field.name] ?? ''}
            onChange={(e) => set(field.name, e.target.value)}
          />
        )}
      </label>
    );
  });
}

/** A connected channel whose last test or session failed is not shown as working. */
function badgeClass(account: ChannelAccount): string {
  if (!account.enabled) return 'status-resolved';
  return account.lastError ? 'status-offline' : 'status-assigned';
}
