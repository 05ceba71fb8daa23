// The message log of a conversation, virtualised (react-virtuoso): only the messages on screen are
// in the DOM, so a history of 10,000 messages scrolls as smoothly as one of ten. It stays at the
// newest message while the operator is there, leaves them alone (with a "new messages" button)
// while they read history, and loads older pages when they scroll near the top, keeping what they
// were reading in place (older items are prepended by lowering firstItemIndex).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '@frontline/protocol';
import { fetchMessagesBefore } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import { formatDay, isSameDay } from '../i18n/format.js';
import { usePendingMessages } from '../realtime/context.js';
import { oldestSeq, withOlderPage, type History } from '../realtime/message-history.js';
import type { OutgoingMessage } from '../realtime/outbox.js';
import { useChannelDeliveries } from '../channels/deliveries.js';
import { MessageItem } from './MessageItem.js';
import { PendingMessage } from './PendingMessage.js';

/** Messages of one author closer than this read as one block, with the name shown once. */
const GROUP_MS = 5 * 60_000;
/** Virtuoso counts prepended items down from here; any number far above a history's length works. */
const START_INDEX = 1_000_000_000;

type Row =
  | { kind: 'stored'; message: Message; previous: Message | undefined }
  | { kind: 'pending'; message: OutgoingMessage };

interface Props {
  conversationId: string;
  history: History;
  visitorName: string;
  visitorLastReadSeq: number;
  /** The conversation's channel: messenger and e-mail replies show the provider's delivery state. */
  channel?: string | undefined;
}

/** How many held messages come before `seq` (they are in seq order). */
function countBefore(messages: readonly Message[], seq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((messages[middle]?.seq ?? 0) < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function MessageLog({ conversationId, history, visitorName, visitorLastReadSeq, channel }: Props) {
  const { t, i18n } = useTranslation();
  const deliveries = useChannelDeliveries(conversationId, channel ?? 'widget');
  const pending = usePendingMessages(conversationId);
  const older = useOlderPages(conversationId, history);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const messages = history.stream.messages;
  // The first message shown when the log opened: everything before it was prepended later.
  const anchorSeq = useRef(messages[0]?.seq ?? 1);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(false);
  const seenLast = useRef(messages.at(-1)?.seq ?? 0);

  const rows = useMemo<Row[]>(
    () => [
      ...messages.map((message, i) => ({ kind: 'stored' as const, message, previous: messages[i - 1] })),
      ...pending.map((message) => ({ kind: 'pending' as const, message })),
    ],
    [messages, pending],
  );
  const firstItemIndex = START_INDEX - countBefore(messages, anchorSeq.current);

  const { hasOlder } = history;
  const { load, loading } = older;
  const loadOlder = useCallback(() => {
    if (hasOlder && !loading) load();
  }, [hasOlder, loading, load]);

  // Newer messages while the operator reads history: a button, not a jump.
  const lastSeq = messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (lastSeq > seenLast.current && !atBottom) setUnseen(true);
    seenLast.current = lastSeq;
  }, [lastSeq, atBottom]);
  // The operator's own send always brings them to it.
  const pendingCount = pending.length;
  const sentBefore = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > sentBefore.current)
      virtuoso.current?.scrollToIndex({ index: 'LAST', behavior: 'auto' });
    sentBefore.current = pendingCount;
  }, [pendingCount]);

  const jumpToLatest = () => {
    virtuoso.current?.scrollToIndex({ index: 'LAST', behavior: 'auto' });
    setUnseen(false);
  };

  return (
    <div className="log-wrap">
      <div
        className="log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={t('chat.messages')}
        aria-busy={loading || undefined}
      >
        <Virtuoso
          ref={virtuoso}
          data={rows}
          firstItemIndex={firstItemIndex}
          initialTopMostItemIndex={Math.max(0, rows.length - 1)}
          computeItemKey={(_, row) => (row.kind === 'stored' ? row.message.id : row.message.clientMsgId)}
          startReached={loadOlder}
          followOutput={(bottom) => (bottom ? 'auto' : false)}
          atBottomStateChange={(bottom) => {
            setAtBottom(bottom);
            if (bottom) setUnseen(false);
          }}
          atBottomThreshold={48}
          increaseViewportBy={{ top: 600, bottom: 200 }}
          components={{
            Header: () => (
              <div className="log-start">
                {hasOlder ? (
                  <button type="button" className="link" disabled={loading} onClick={loadOlder}>
                    {loading ? t('chat.loadingOlder') : t('chat.older')}
                  </button>
                ) : (
                  <span className="muted">{t('chat.beginning')}</span>
                )}
                {older.error && (
                  <span className="form-error" role="alert">
                    {describeError(older.error, t)}
                  </span>
                )}
              </div>
            ),
            Footer: () => <div className="log-end" />,
          }}
          itemContent={(_, row) => {
            if (row.kind === 'pending') return <PendingMessage message={row.message} />;
            const { message, previous } = row;
            const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
            return (
              <>
                {newDay && (
                  <p className="day-break">
                    <span>{formatDay(message.createdAt, i18n.language, t)}</span>
                  </p>
                )}
                <MessageItem
                  message={message}
                  continued={!newDay && continues(previous, message)}
                  visitorName={visitorName}
                  readByVisitor={visitorLastReadSeq >= message.seq}
                  channelDelivery={deliveries.get(message.id)}
                />
              </>
            );
          }}
        />
      </div>
      {unseen && (
        <button type="button" className="jump" onClick={jumpToLatest}>
          {t('chat.jumpToLatest')}
        </button>
      )}
    </div>
  );
}

function continues(previous: Message | undefined, message: Message): boolean {
  return (
    previous !== undefined &&
    previous.kind !== 'event' &&
    previous.kind === message.kind &&
    previous.author.type === message.author.type &&
    previous.author.name === message.author.name &&
    message.createdAt - previous.createdAt < GROUP_MS
  );
}

/** Pages backwards from the oldest message held (beforeSeq). */
function useOlderPages(conversationId: string, history: History) {
  const queries = useQueryClient();
  const page = useMutation({
    mutationFn: (beforeSeq: number) => fetchMessagesBefore(conversationId, beforeSeq),
    onSuccess: (older) =>
      queries.setQueryData<History>(
        keys.history(conversationId),
        (held) => held && withOlderPage(held, older),
      ),
  });
  const oldest = oldestSeq(history);
  const { mutate } = page;
  const load = useCallback(() => {
    if (oldest !== null) mutate(oldest);
  }, [oldest, mutate]);
  return { load, loading: page.isPending, error: page.error };
}
