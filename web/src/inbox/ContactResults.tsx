// Contacts matching the search: choosing one opens their latest conversation, whatever its state.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Contact, Conversation } from '@frontline/protocol';
import { fetchContactConversations, searchContacts } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { contactLabel } from '../i18n/format.js';

interface Props {
  q: string;
  onSelect(conversation: Conversation): void;
}

export function ContactResults({ q, onSelect }: Props) {
  const { t } = useTranslation();
  const contacts = useQuery({ queryKey: keys.contactSearch(q), queryFn: () => searchContacts(q) });
  const items = contacts.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="contact-results" aria-labelledby="contacts-found">
      <h3 id="contacts-found" className="rows-heading">
        {t('list.contactsFound')}
      </h3>
      <ul>
        {items.map((contact) => (
          <ContactResult key={contact.id} contact={contact} onSelect={onSelect} />
        ))}
      </ul>
    </section>
  );
}

function ContactResult({ contact, onSelect }: { contact: Contact; onSelect(c: Conversation): void }) {
  const { t } = useTranslation();
  const open = async () => {
    const latest = (await fetchContactConversations(contact.id)).items[0];
    if (latest) onSelect(latest);
  };
  return (
    <li>
      <button type="button" className="contact-result" onClick={() => void open()}>
        <span className="row-name">{contactLabel(contact, t)}</span>
        <span className="muted">{[contact.email, contact.phone].filter(Boolean).join(' · ')}</span>
      </button>
    </li>
  );
}
