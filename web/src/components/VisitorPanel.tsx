// What is known about the visitor of the open conversation, as a column of small sections: the
// contact (editable), the visit, the pages open now, custom attributes, and earlier conversations
// on every channel. A new section (a CRM customer card) is one more line in <VisitorDetails>.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, Conversation } from '@frontline/protocol';
import { fetchContact, fetchConversation } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { ContactFields } from '../visitor/ContactFields.js';
import { CustomAttributes } from '../visitor/CustomAttributes.js';
import { EarlierConversations } from '../visitor/EarlierConversations.js';
import { PageTrail } from '../visitor/PageTrail.js';
import { VisitDetails } from '../visitor/VisitDetails.js';
import { ContactIntegrations } from './ContactIntegrations.js';
import { CloseIcon } from './icons.js';
import { ErrorLine } from './FormParts.js';

interface Props {
  conversationId: string | null;
  /** Opened as a drawer (narrower windows); wide windows always show the panel. */
  open: boolean;
  onClose(): void;
  onSelect(conversation: Conversation): void;
}

export function VisitorPanel({ conversationId, open, onClose, onSelect }: Props) {
  const { t } = useTranslation();
  const closeButton = useRef<HTMLButtonElement>(null);
  // As a drawer it takes the focus when opened, so Escape and the keyboard work inside it.
  useEffect(() => {
    const button = closeButton.current;
    if (open && button && button.offsetParent !== null) button.focus();
  }, [open]);
  const conversation = useQuery({
    queryKey: keys.conversation(conversationId ?? ''),
    queryFn: () => fetchConversation(conversationId ?? ''),
    enabled: conversationId !== null,
    staleTime: Infinity,
  });
  const contactId = conversation.data?.contact.id;
  const contact = useQuery({
    queryKey: keys.contact(contactId ?? ''),
    queryFn: () => fetchContact(contactId ?? ''),
    enabled: contactId !== undefined,
  });
  if (!conversationId) return <aside id="visitor-panel" className="visitor" aria-hidden="true" />;
  return (
    <aside
      id="visitor-panel"
      className="visitor"
      aria-labelledby="visitor-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) onClose();
      }}
    >
      <div className="visitor-head">
        <h2 id="visitor-title">{t('visitor.title')}</h2>
        <button
          ref={closeButton}
          type="button"
          className="icon-button visitor-close"
          aria-label={t('visitor.close')}
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </div>
      <ErrorLine error={contact.error} />
      {contact.data && conversation.data && (
        <VisitorDetails contact={contact.data} conversation={conversation.data} onSelect={onSelect} />
      )}
      {contact.data && <ContactIntegrations contact={contact.data} />}
    </aside>
  );
}

interface DetailsProps {
  contact: Contact;
  conversation: Conversation;
  onSelect(conversation: Conversation): void;
}

function VisitorDetails({ contact, conversation, onSelect }: DetailsProps) {
  return (
    <>
      <ContactFields key={contact.id} contact={contact} />
      <VisitDetails contact={contact} conversation={conversation} />
      <PageTrail contact={contact} />
      <CustomAttributes contact={contact} />
      <EarlierConversations contactId={contact.id} currentId={conversation.id} onSelect={onSelect} />
    </>
  );
}
