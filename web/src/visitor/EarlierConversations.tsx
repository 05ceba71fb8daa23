// This person's other conversations, on every channel, newest first; choosing one opens it.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@frontline/protocol';
import { fetchContactConversations } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { formatWhen } from '../i18n/format.js';

interface Props {
  contactId: string;
  currentId: string;
  onSelect(conversation: Conversation): void;
}

export function EarlierConversations({ contactId, currentId, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const earlier = useQuery({
    queryKey: keys.contactConversations(contactId),
    queryFn: () => fetchContactConversations(contactId),
  });
  const others = earlier.data?.items.filter((c) => c.id !== currentId) ?? [];
  return (
    <section aria-labelledby="visitor-history">
      <h3 id="visitor-history">{t('visitor.history')}</h3>
      {earlier.isSuccess && others.length === 0 && <p className="muted">{t('visitor.noHistory')}</p>}
      <ul className="plain-list history" data-testid="earlier-conversations">
        {others.map((c) => (
          <li key={c.id}>
            <button type="button" className="link history-item" onClick={() => onSelect(c)}>
              <span>
                {t(`channel.${c.channel}`)} · {formatWhen(c.lastMessageAt ?? c.createdAt, i18n.language)} ·{' '}
                {t(`status.${c.status}`)}
              </span>
              <span className="muted">{c.lastMessagePreview ?? ''}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
