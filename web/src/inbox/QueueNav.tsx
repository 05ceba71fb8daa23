// The queues of the inbox with their counters (Webim's screen): awaiting reply, mine, offline
// requests, the common queue, other departments, recent. Counters are the server's, refreshed as
// conversations change.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InboxQueue } from '@frontline/protocol';
import { fetchInboxCounts } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { QUEUES } from '../realtime/conversation-lists.js';

interface Props {
  /** Null while a search shows results from every queue. */
  queue: InboxQueue | null;
  onQueue(queue: InboxQueue): void;
}

export function QueueNav({ queue, onQueue }: Props) {
  const { t } = useTranslation();
  const counts = useQuery({ queryKey: keys.counts, queryFn: fetchInboxCounts, staleTime: Infinity });
  return (
    <ul className="queues" aria-label={t('queues.title')}>
      {QUEUES.map((name) => {
        const count = counts.data?.[name];
        const urgent = (name === 'awaiting' || name === 'common' || name === 'offline') && (count ?? 0) > 0;
        return (
          <li key={name}>
            <button
              type="button"
              data-testid={`queue-${name}`}
              aria-current={queue === name ? 'true' : undefined}
              className={`queue${queue === name ? ' on' : ''}`}
              title={t(`queues.hint.${name}`)}
              onClick={() => onQueue(name)}
            >
              <span className="queue-name">{t(`queues.${name}`)}</span>
              <span className={`count${urgent ? ' urgent' : ''}`} data-testid={`count-${name}`}>
                {count ?? '·'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
