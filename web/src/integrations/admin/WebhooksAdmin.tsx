// Webhook endpoints (add, enable, choose events, secret, test, remove) and the delivery log with
// each attempt and manual redelivery.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type DeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@frontline/protocol';
import { formatWhen } from '../../i18n/format.js';
import {
  createWebhook,
  deleteWebhook,
  fetchDeliveries,
  fetchDelivery,
  fetchWebhooks,
  integrationKeys,
  redeliver,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from '../api.js';
import { ErrorLine } from '../../components/FormParts.js';

export function WebhooksAdmin() {
  const { t } = useTranslation();
  const endpoints = useQuery({ queryKey: integrationKeys.webhooks, queryFn: fetchWebhooks });
  return (
    <>
      <p className="muted">{t('integrations.webhooks.intro')}</p>
      <ErrorLine error={endpoints.error} />
      {endpoints.data?.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} />
      ))}
      <NewEndpoint />
      <DeliveryLog endpoints={endpoints.data ?? []} />
    </>
  );
}

function EventTypePicker(props: { value: WebhookEventType[]; onChange(value: WebhookEventType[]): void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="event-types">
      <legend>{t('integrations.webhooks.events')}</legend>
      {WEBHOOK_EVENT_TYPES.map((type) => (
        <label key={type}>
          <input
            type="checkbox"
            checked={props.value.includes(type)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, type] : props.value.filter((v) => v !== type),
              )
            }
          />
          <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

function NewEndpoint() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<WebhookEventType[]>(['conversation.created', 'message.created']);
  const create = useMutation({
    mutationFn: () => createWebhook({ url, description, eventTypes: types }),
    onSuccess: () => {
      setUrl('');
      setDescription('');
      void queries.invalidateQueries({ queryKey: integrationKeys.webhooks });
    },
  });
  return (
    <form
      className="admin-card stacked-form"
      aria-labelledby="new-webhook-title"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <h3 id="new-webhook-title">{t('integrations.webhooks.add')}</h3>
      <label className="form-row">
        <span>{t('integrations.webhooks.url')}</span>
        <input
          type="url"
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://"
        />
      </label>
      <label className="form-row">
        <span>{t('integrations.webhooks.description')}</span>
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <EventTypePicker value={types} onChange={setTypes} />
      <ErrorLine error={create.error} />
      {create.data && <NewSecret secret={create.data.secret} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending || types.length === 0}>
          {t('integrations.webhooks.create')}
        </button>
      </div>
    </form>
  );
}

/** A secret the server sends once (creation, rotation): shown until the page is left. */
function NewSecret({ secret }: { secret: string }) {
  const { t } = useTranslation();
  return (
    <p className="secret-row" role="status" data-testid="webhook-new-secret">
      <span>{t('integrations.webhooks.secretOnce')} </span>
      <code>{secret}</code>
    </p>
  );
}

function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [types, setTypes] = useState(endpoint.eventTypes);
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: integrationKeys.webhooks });
    void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  };
  const update = useMutation({
    mutationFn: (patch: Parameters<typeof updateWebhook>[1]) => updateWebhook(endpoint.id, patch),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const rotate = useMutation({ mutationFn: () => rotateWebhookSecret(endpoint.id), onSuccess: refresh });
  const test = useMutation({ mutationFn: () => testWebhook(endpoint.id), onSuccess: refresh });
  const remove = useMutation({ mutationFn: () => deleteWebhook(endpoint.id), onSuccess: refresh });
  const error = update.error ?? rotate.error ?? test.error ?? remove.error;
  return (
    <article className="admin-card" data-testid="webhook-endpoint">
      <div className="admin-card-head">
        <strong className="endpoint-url">{endpoint.url}</strong>
        <span className={`badge ${endpoint.enabled ? 'ok' : ''}`}>
          {endpoint.enabled ? t('integrations.webhooks.enabled') : t('integrations.webhooks.disabled')}
        </span>
      </div>
      {endpoint.description && <p className="muted">{endpoint.description}</p>}
      {editing ? (
        <>
          <EventTypePicker value={types} onChange={setTypes} />
          <div className="form-actions">
            <button type="button" className="primary" onClick={() => update.mutate({ eventTypes: types })}>
              {t('integrations.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('integrations.cancel')}
            </button>
          </div>
        </>
      ) : (
        <p className="event-list">
          {endpoint.eventTypes.map((type) => (
            <code key={type}>{type}</code>
          ))}
        </p>
      )}
      <p className="secret-row">
        <span className="muted">{t('integrations.webhooks.secret')}: </span>
        <code>{endpoint.secretHint}</code>
      </p>
      {rotate.data && <NewSecret secret={rotate.data.secret} />}
      <div className="form-actions">
        <button type="button" onClick={() => setEditing(true)} disabled={editing}>
          {t('integrations.webhooks.chooseEvents')}
        </button>
        <button type="button" onClick={() => update.mutate({ enabled: !endpoint.enabled })}>
          {endpoint.enabled ? t('integrations.webhooks.disable') : t('integrations.webhooks.enable')}
        </button>
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {t('integrations.webhooks.test')}
        </button>
        <button
          type="button"
          onClick={() => window.confirm(t('integrations.webhooks.confirmRotate')) && rotate.mutate()}
        >
          {t('integrations.webhooks.rotate')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => window.confirm(t('integrations.webhooks.confirmDelete')) && remove.mutate()}
        >
          {t('integrations.remove')}
        </button>
      </div>
      <ErrorLine error={error} />
    </article>
  );
}

function DeliveryLog({ endpoints }: { endpoints: WebhookEndpoint[] }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const [endpointId, setEndpointId] = useState<string | null>(null);
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const filter = { endpointId, status };
  const log = useInfiniteQuery({
    queryKey: integrationKeys.deliveries(filter),
    queryFn: ({ pageParam }) => fetchDeliveries(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: 5_000,
  });
  const again = useMutation({
    mutationFn: redeliver,
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] }),
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const urlOf = (id: string) => endpoints.find((e) => e.id === id)?.url ?? id;
  return (
    <section aria-labelledby="delivery-log-title" className="delivery-log">
      <h3 id="delivery-log-title">{t('integrations.webhooks.log')}</h3>
      <div className="filters">
        <label>
          <span className="visually-hidden">{t('integrations.webhooks.endpoint')}</span>
          <select value={endpointId ?? ''} onChange={(e) => setEndpointId(e.target.value || null)}>
            <option value="">{t('integrations.webhooks.allEndpoints')}</option>
            {endpoints.map((e) => (
              <option key={e.id} value={e.id}>
                {e.url}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="visually-hidden">{t('integrations.webhooks.status')}</span>
          <select
            value={status ?? ''}
            onChange={(e) => setStatus((e.target.value || null) as DeliveryStatus | null)}
          >
            <option value="">{t('integrations.webhooks.allStatuses')}</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`integrations.webhooks.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorLine error={log.error ?? again.error} />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('integrations.webhooks.when')}</th>
            <th scope="col">{t('integrations.webhooks.event')}</th>
            <th scope="col">{t('integrations.webhooks.endpoint')}</th>
            <th scope="col">{t('integrations.webhooks.status')}</th>
            <th scope="col">{t('integrations.webhooks.attempts')}</th>
            <th scope="col">{t('integrations.webhooks.lastAnswer')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('integrations.webhooks.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery">
              <td>{formatWhen(d.createdAt, i18n.language)}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                  aria-expanded={open === d.id}
                >
                  <code>{d.eventType}</code>
                </button>
                {open === d.id && <DeliveryDetail id={d.id} />}
              </td>
              <td className="endpoint-url">{urlOf(d.endpointId)}</td>
              <td>
                <span className={`badge delivery-${d.status}`}>
                  {t(`integrations.webhooks.statuses.${d.status}`)}
                </span>
                {d.status === 'pending' && d.nextAttemptAt !== null && d.attempts > 0 && (
                  <div className="muted">
                    {t('integrations.webhooks.nextAttempt', {
                      time: formatWhen(d.nextAttemptAt, i18n.language),
                    })}
                  </div>
                )}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.lastStatusCode ?? '—'}
                {d.lastError && d.status !== 'delivered' && <div className="muted small">{d.lastError}</div>}
              </td>
              <td>
                {d.status !== 'cancelled' && (
                  <button type="button" onClick={() => again.mutate(d.id)} disabled={again.isPending}>
                    {t('integrations.webhooks.redeliver')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !log.isPending && (
        <p className="muted">{t('integrations.webhooks.noDeliveries')}</p>
      )}
      {log.hasNextPage && (
        <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {t('integrations.more')}
        </button>
      )}
    </section>
  );
}

function DeliveryDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: integrationKeys.delivery(id), queryFn: () => fetchDelivery(id) });
  if (!detail.data) return null;
  return (
    <div className="delivery-detail">
      <ol>
        {detail.data.attemptLog.map((a) => (
          <li key={a.attempt}>
            {t('integrations.webhooks.attempt', {
              n: a.attempt,
              time: new Date(a.startedAt).toLocaleTimeString(i18n.language),
              ms: a.durationMs,
            })}{' '}
            — {a.statusCode ?? a.error}
          </li>
        ))}
      </ol>
      <pre>{JSON.stringify(detail.data.payload, null, 2)}</pre>
    </div>
  );
}
