// Below the visitor details: the CRM card, the contact's typed attributes, merging with another
// contact of the same person, and (admins) export and erasure of the person's data.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, ContactAttributeDefinition, Session } from '@frontline/protocol';
import { keys } from '../api/keys.js';
import {
  eraseContact,
  exportContact,
  fetchAttributes,
  integrationKeys,
  mergeContacts,
  saveAttributes,
  searchContacts,
} from '../integrations/api.js';
import '../integrations/integrations.css';
import { CustomerCard } from './CustomerCard.js';
import { ErrorLine } from './FormParts.js';

export function ContactIntegrations({ contact }: { contact: Contact }) {
  const queries = useQueryClient();
  const session = queries.getQueryData<Session | null>(keys.session);
  return (
    <>
      <CustomerCard contactId={contact.id} />
      <ContactAttributes contact={contact} />
      <MergeContact contact={contact} />
      {session?.user.role === 'admin' && <ContactData contact={contact} />}
    </>
  );
}

type Draft = Record<string, string>;

function ContactAttributes({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const definitions = useQuery({
    queryKey: integrationKeys.attributes,
    queryFn: fetchAttributes,
    staleTime: 60_000,
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useMutation({
    mutationFn: (values: Contact['attributes']) => saveAttributes(contact.id, values),
    onSuccess: (saved) => {
      queries.setQueryData(keys.contact(contact.id), saved);
      setDraft(null);
    },
  });
  const defined = definitions.data ?? [];
  if (defined.length === 0) return null;
  const shown = (d: ContactAttributeDefinition) => {
    const value = contact.attributes[d.key];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'boolean') return value ? t('integrations.yes') : t('integrations.no');
    return String(value);
  };
  return (
    <section aria-labelledby="contact-attributes-title">
      <div className="customer-card-head">
        <h3 id="contact-attributes-title">{t('integrations.attributes.title')}</h3>
        {!draft && (
          <button type="button" className="link" onClick={() => setDraft(draftOf(defined, contact))}>
            {t('integrations.edit')}
          </button>
        )}
      </div>
      {draft ? (
        <form
          className="stacked-form"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(valuesOf(defined, draft));
          }}
        >
          {defined.map((d) => (
            <AttributeInput
              key={d.id}
              definition={d}
              value={draft[d.key] ?? ''}
              onChange={(value) => setDraft({ ...draft, [d.key]: value })}
            />
          ))}
          <ErrorLine error={save.error} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('integrations.save')}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              {t('integrations.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <dl>
          {defined.map((d) => (
            <div className="field" key={d.id}>
              <dt>{d.label}</dt>
              {shown(d) ? <dd>{shown(d)}</dd> : <dd className="muted">{t('visitor.unknown')}</dd>}
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function AttributeInput(props: {
  definition: ContactAttributeDefinition;
  value: string;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { definition, value, onChange } = props;
  return (
    <label htmlFor={id} className="form-row">
      <span>{definition.label}</span>
      {definition.type === 'select' || definition.type === 'boolean' ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {(definition.type === 'boolean' ? ['true', 'false'] : definition.options).map((option) => (
            <option key={option} value={option}>
              {definition.type === 'boolean'
                ? t(option === 'true' ? 'integrations.yes' : 'integrations.no')
                : option}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={definition.type === 'number' ? 'number' : definition.type === 'date' ? 'date' : 'text'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </label>
  );
}

function draftOf(definitions: ContactAttributeDefinition[], contact: Contact): Draft {
  return Object.fromEntries(
    definitions.map((d) => {
      const value = contact.attributes[d.key];
      return [d.key, value === null || value === undefined ? '' : String(value)];
    }),
  );
}

/** Empty fields remove the attribute; others are sent in their type. */
function valuesOf(definitions: ContactAttributeDefinition[], draft: Draft): Contact['attributes'] {
  return Object.fromEntries(
    definitions.map((d) => {
      const text = draft[d.key] ?? '';
      if (text === '') return [d.key, null];
      if (d.type === 'number') return [d.key, Number(text)];
      if (d.type === 'boolean') return [d.key, text === 'true'];
      return [d.key, text];
    }),
  );
}

function MergeContact({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: integrationKeys.contactSearch(q),
    queryFn: () => searchContacts(q),
    enabled: open && q.trim().length >= 2,
  });
  const merge = useMutation({
    mutationFn: (sourceId: string) => mergeContacts(contact.id, sourceId),
    onSuccess: (merged) => {
      queries.setQueryData(keys.contact(contact.id), merged);
      void queries.invalidateQueries({ queryKey: keys.lists });
      setOpen(false);
      setQ('');
    },
  });
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== contact.id);
  return (
    <section aria-labelledby="merge-title">
      <h3 id="merge-title">{t('integrations.merge.title')}</h3>
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('integrations.merge.start')}
        </button>
      ) : (
        <div className="stacked-form">
          <label className="form-row">
            <span>{t('integrations.merge.search')}</span>
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
          </label>
          <p className="muted">{t('integrations.merge.hint')}</p>
          <ul className="merge-candidates">
            {candidates.map((c) => (
              <li key={c.id}>
                <span>{[c.name, c.email, c.phone].filter(Boolean).join(' · ') || c.id.slice(-8)}</span>
                <button
                  type="button"
                  disabled={merge.isPending}
                  onClick={() => {
                    if (window.confirm(t('integrations.merge.confirm'))) merge.mutate(c.id);
                  }}
                >
                  {t('integrations.merge.action')}
                </button>
              </li>
            ))}
            {found.data && candidates.length === 0 && (
              <li className="muted">{t('integrations.merge.none')}</li>
            )}
          </ul>
          <ErrorLine error={merge.error} />
          <button type="button" className="link" onClick={() => setOpen(false)}>
            {t('integrations.cancel')}
          </button>
        </div>
      )}
    </section>
  );
}

function ContactData({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const download = useMutation({
    mutationFn: () => exportContact(contact.id),
    onSuccess: (data) => {
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `contact-${contact.id}.json`;
      link.click();
      URL.revokeObjectURL(url);
    },
  });
  const erase = useMutation({
    mutationFn: () => eraseContact(contact.id),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: keys.contact(contact.id) });
      void queries.invalidateQueries({ queryKey: ['history'] });
      void queries.invalidateQueries({ queryKey: keys.lists });
    },
  });
  if (contact.erasedAt !== null) return <p className="muted">{t('integrations.data.erased')}</p>;
  return (
    <section aria-labelledby="contact-data-title">
      <h3 id="contact-data-title">{t('integrations.data.title')}</h3>
      <div className="form-actions">
        <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
          {t('integrations.data.export')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={erase.isPending}
          onClick={() => {
            if (window.confirm(t('integrations.data.confirmErase'))) erase.mutate();
          }}
        >
          {t('integrations.data.erase')}
        </button>
      </div>
      <ErrorLine error={download.error ?? erase.error} />
    </section>
  );
}
