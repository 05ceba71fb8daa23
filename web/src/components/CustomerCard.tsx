// The CRM's card about the contact in the visitor panel: fields, links and lists (active bookings,
// orders) from the admin-configured lookup. It loads beside the chat, never in its way: while the
// lookup runs the panel says so and asks again every second.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CardField, CustomerCardContent } from '@frontline/protocol';
import { formatWhen } from '../i18n/format.js';
import { fetchCard, integrationKeys, refreshCard } from '../integrations/api.js';
import { ErrorLine } from './FormParts.js';

const PENDING_POLL_MS = 1000;
const SAFE_LINK = /^https?:\/\//i;

export function CustomerCard({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const card = useQuery({
    queryKey: integrationKeys.card(contactId),
    queryFn: () => fetchCard(contactId),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? PENDING_POLL_MS : false),
  });
  const refresh = useMutation({
    mutationFn: () => refreshCard(contactId),
    onSuccess: (fresh) => queries.setQueryData(integrationKeys.card(contactId), fresh),
  });
  const data = card.data;
  if (!data || data.status === 'disabled') return null;
  return (
    <section aria-labelledby="customer-card-title" className="customer-card" data-testid="customer-card">
      <div className="customer-card-head">
        <h3 id="customer-card-title">{t('integrations.card.title')}</h3>
        {data.status !== 'not_identified' && (
          <button
            type="button"
            className="link"
            onClick={() => refresh.mutate()}
            disabled={refresh.isPending || data.status === 'pending'}
          >
            {t('integrations.card.refresh')}
          </button>
        )}
      </div>
      {data.status === 'pending' && (
        <p className="muted" role="status">
          {t('integrations.card.loading')}
        </p>
      )}
      {data.status === 'not_identified' && <p className="muted">{t('integrations.card.notIdentified')}</p>}
      {data.status === 'not_found' && <p className="muted">{t('integrations.card.notFound')}</p>}
      {data.status === 'error' && (
        <p className="form-error" role="alert">
          {t('integrations.card.failed', { error: data.error ?? '' })}
        </p>
      )}
      <ErrorLine error={card.error ?? refresh.error} />
      {data.card && <CardContent content={data.card} />}
      {data.card && data.fetchedAt !== null && (
        <p className="muted customer-card-time">
          {t('integrations.card.fetched', { time: formatWhen(data.fetchedAt, i18n.language) })}
        </p>
      )}
    </section>
  );
}

function CardContent({ content }: { content: CustomerCardContent }) {
  return (
    <div className="customer-card-body">
      {content.title && (
        <p className="customer-card-name">
          <MaybeLink href={content.url}>{content.title}</MaybeLink>
        </p>
      )}
      {content.subtitle && <p className="muted">{content.subtitle}</p>}
      {content.fields.length > 0 && <Fields fields={content.fields} />}
      {content.links.length > 0 && (
        <ul className="customer-card-links">
          {content.links.map((link) => (
            <li key={link.url + link.label}>
              <MaybeLink href={link.url}>{link.label}</MaybeLink>
            </li>
          ))}
        </ul>
      )}
      {content.lists.map((list) => (
        <div key={list.title} className="customer-card-list">
          <h4>{list.title}</h4>
          <ul>
            {list.items.map((item, index) => (
              <li key={`${item.title}-${index}`} data-testid="customer-card-item">
                <MaybeLink href={item.url}>{item.title}</MaybeLink>
                {item.subtitle && <span className="muted"> · {item.subtitle}</span>}
                {item.fields.length > 0 && <Fields fields={item.fields} />}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function Fields({ fields }: { fields: CardField[] }) {
  const { t } = useTranslation();
  const shown = (value: CardField['value']) =>
    value === true ? t('integrations.yes') : value === false ? t('integrations.no') : String(value ?? '—');
  return (
    <dl className="customer-card-fields">
      {fields.map((field) => (
        <div key={field.label} className="field">
          <dt>{field.label}</dt>
          <dd>
            <MaybeLink href={field.url}>{shown(field.value)}</MaybeLink>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Only web links open; anything else the CRM sends is shown as text. */
function MaybeLink({ href, children }: { href: string | undefined; children: React.ReactNode }) {
  if (!href || !SAFE_LINK.test(href)) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
