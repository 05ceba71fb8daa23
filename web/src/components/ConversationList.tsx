// The inbox column: the queues with their live counters, filters (channel, tag), a search across
// conversations and contacts, and the conversations of the chosen queue in a virtualised list
// (pages by the server's cursor load as the operator scrolls; the socket keeps loaded pages live).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso } from 'react-virtuoso';
import type { Channel, Conversation, InboxQueue } from '@frontline/protocol';
import { fetchConversations } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { ContactResults } from '../inbox/ContactResults.js';
import { ListFilters } from '../inbox/ListFilters.js';
import { QueueNav } from '../inbox/QueueNav.js';
import { useRealtime } from '../realtime/context.js';
import type { ListFilter } from '../realtime/conversation-lists.js';
import { ConversationRow } from './ConversationRow.js';
import { useDebouncedValue, useNow } from './hooks.js';
import { ErrorLine } from './FormParts.js';

/** Long enough to let a word be typed, short enough to feel immediate. */
const SEARCH_DELAY_MS = 300;
const CLOCK_TICK_MS = 60_000;
const QUEUE_KEY = 'frontline.queue';

interface Props {
  me: string;
  selected: string | null;
  onSelect(conversation: Conversation): void;
}

const savedQueue = (): InboxQueue => {
  const saved = localStorage.getItem(QUEUE_KEY);
  return saved === 'awaiting' ||
    saved === 'offline' ||
    saved === 'common' ||
    saved === 'other' ||
    saved === 'recent'
    ? saved
    : 'mine';
};

export function ConversationList({ me, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const realtime = useRealtime();
  const [queue, setQueue] = useState<InboxQueue>(savedQueue);
  const [search, setSearch] = useState('');
  const [channel, setChannel] = useState<Channel | ''>('');
  const [tag, setTag] = useState('');
  const q = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  // Words search every conversation; the queues are for working through the day.
  const filter: ListFilter = { scope: q ? 'search' : queue, q, channel, tag };
  const now = useNow(CLOCK_TICK_MS);
  const list = useInfiniteQuery({
    queryKey: keys.list(filter),
    queryFn: ({ pageParam }) => fetchConversations(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The socket keeps loaded lists current; a reconnect invalidates them.
    staleTime: Infinity,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  useEffect(() => realtime.noteListed(items), [realtime, items]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const chooseQueue = (next: InboxQueue) => {
    setQueue(next);
    setSearch('');
    localStorage.setItem(QUEUE_KEY, next);
  };

  return (
    <nav className="list" aria-label={t('list.title')}>
      <QueueNav queue={filter.scope === 'search' ? null : queue} onQueue={chooseQueue} />
      <div className="search">
        <input
          type="search"
          data-shortcut="search"
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <ListFilters channel={channel} tag={tag} onChannel={setChannel} onTag={setTag} />
      </div>
      {q && <ContactResults q={q} onSelect={onSelect} />}
      <div className="rows" id="conversation-rows" aria-busy={list.isFetching || undefined}>
        {q && <h3 className="rows-heading">{t('list.conversationsFound')}</h3>}
        <ErrorLine error={list.error} />
        {list.isPending && <p className="muted center">{t('loading')}</p>}
        {list.isSuccess && items.length === 0 && (
          <p className="muted center">{q ? t('list.emptySearch') : t(`queues.empty.${queue}`)}</p>
        )}
        {items.length > 0 && (
          <Rows items={items} me={me} selected={selected} now={now} onSelect={onSelect} onEnd={loadMore} />
        )}
        {isFetchingNextPage && <p className="muted center">{t('loading')}</p>}
      </div>
    </nav>
  );
}

interface RowsProps {
  items: Conversation[];
  me: string;
  selected: string | null;
  now: number;
  onSelect(conversation: Conversation): void;
  onEnd(): void;
}

function Rows({ items, me, selected, now, onSelect, onEnd }: RowsProps) {
  const { t } = useTranslation();
  // Arrow keys move between rows: the virtual list keeps the neighbours rendered.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const rows = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-testid="conversation-row"]')];
    const index = rows.indexOf(document.activeElement as HTMLElement);
    const next = rows[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  };
  return (
    <div className="rows-list" onKeyDown={onKeyDown}>
      <Virtuoso
        data={items}
        computeItemKey={(_, conversation) => conversation.id}
        endReached={onEnd}
        increaseViewportBy={400}
        aria-label={t('list.title')}
        itemContent={(_, conversation) => (
          <ConversationRow
            conversation={conversation}
            mine={conversation.assigneeId === me}
            active={conversation.id === selected}
            now={now}
            onSelect={onSelect}
          />
        )}
      />
    </div>
  );
}
