// One conversation: its header with actions, its tags, the message log, who is typing, and the composer.
// Its history loads once, then the socket keeps it current (the view follows the conversation).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { newestSeq } from '@frontline/protocol/client';
import { fetchConversation, fetchLatestMessages } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import { contactLabel } from '../i18n/format.js';
import { useConnection, useRealtime, useTypists } from '../realtime/context.js';
import { historyFromLatestPage, type History } from '../realtime/message-history.js';
import type { Session } from '@frontline/protocol';
import { TagBar } from '../inbox/TagBar.js';
import { ChatHeader } from './ChatHeader.js';
import { Composer } from './Composer.js';
import { MessageLog } from './MessageLog.js';

interface Props {
  conversationId: string | null;
  session: Session;
  visitorOpen: boolean;
  onBack(): void;
  onToggleVisitor(): void;
}

export function ChatView({ conversationId, ...rest }: Props) {
  const { t } = useTranslation();
  if (!conversationId) {
    return (
      <main className="chat empty-chat">
        <p className="muted">{t('chat.choose')}</p>
      </main>
    );
  }
  return <OpenConversation conversationId={conversationId} {...rest} />;
}

function OpenConversation({
  conversationId,
  session,
  visitorOpen,
  onBack,
  onToggleVisitor,
}: Props & { conversationId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const realtime = useRealtime();
  const conversation = useQuery({
    queryKey: keys.conversation(conversationId),
    queryFn: () => fetchConversation(conversationId),
    staleTime: Infinity,
  });
  const history = useQuery({
    queryKey: keys.history(conversationId),
    queryFn: async () =>
      historyFromLatestPage(
        await fetchLatestMessages(conversationId),
        queries.getQueryData<History>(keys.history(conversationId)),
      ),
    staleTime: Infinity,
  });

  const loaded = history.isSuccess;
  useEffect(() => {
    if (loaded) realtime.follow(conversationId);
  }, [loaded, realtime, conversationId]);
  useEffect(() => () => realtime.stopTyping(conversationId), [realtime, conversationId]);
  useMarkRead(conversationId, history.data ? newestSeq(history.data.stream) : 0);

  const current = conversation.data;
  const error = conversation.error ?? history.error;
  const unavailable =
    conversation.error instanceof ApiError && ['not_found', 'forbidden'].includes(conversation.error.code);
  return (
    <main className="chat" aria-labelledby="chat-title">
      <ChatHeader
        conversation={current}
        failed={conversation.isError}
        me={session.user.id}
        visitorOpen={visitorOpen}
        onBack={onBack}
        onToggleVisitor={onToggleVisitor}
      />
      {current && <TagBar conversationId={conversationId} />}
      {error && (
        <p className="form-error banner" role="alert">
          {unavailable ? t('chat.unavailableHint') : describeError(error, t)}
        </p>
      )}
      {conversation.isError ? null : history.data ? (
        <MessageLog
          conversationId={conversationId}
          history={history.data}
          visitorName={current ? contactLabel(current.contact, t) : t('chat.visitor')}
          visitorLastReadSeq={current?.visitorLastReadSeq ?? 0}
          channel={current?.channel}
        />
      ) : (
        <div className="log-wrap">
          {history.isPending && <p className="muted center log-loading">{t('loading')}</p>}
        </div>
      )}
      {!conversation.isError && (
        <>
          <TypingLine conversationId={conversationId} />
          <Composer conversationId={conversationId} conversation={current} session={session} />
        </>
      )}
    </main>
  );
}

/** Marks the newest message read while the operator can see it: now, and when the tab returns. */
function useMarkRead(conversationId: string, newest: number): void {
  const realtime = useRealtime();
  const connection = useConnection();
  useEffect(() => {
    if (newest === 0 || connection !== 'online') return;
    const mark = () => {
      if (document.visibilityState === 'visible') realtime.markRead(conversationId, newest);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [realtime, conversationId, newest, connection]);
}

function TypingLine({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const typists = useTypists(conversationId);
  const colleagues = typists.filter((p) => p.type !== 'visitor' && p.name).map((p) => p.name);
  const lines = [
    ...(typists.some((p) => p.type === 'visitor') ? [t('chat.visitorTyping')] : []),
    ...(colleagues.length > 0 ? [t('chat.typingOne', { name: colleagues.join(', ') })] : []),
  ];
  return (
    <p className="typing" aria-live="polite">
      {lines.join(' ')}
    </p>
  );
}
