// The conversation: stored messages in seq order, then what is still on its way. Stays at the
// bottom as messages arrive (unless the visitor scrolled up to read), and keeps its place when
// earlier history is added on top.
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { Message, MessageButton } from '@frontline/protocol';
import type { ChatState } from '../chat.js';
import { latestReceipt } from '../delivery/read-state.js';
import { useI18n } from '../i18n.js';
import { GreetingItem, MessageItem, OutgoingItem, SystemEventItem } from './MessageItem.js';

interface Props {
  state: ChatState;
  /** The chat became visible: a hidden frame has no layout, so it is scrolled to the end now. */
  open: boolean;
  onLoadOlder: () => void;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
  onAnswer: (message: Message, button: MessageButton) => void;
}

/** Within this distance of the end the visitor is "at the bottom" and follows new messages. */
const FOLLOW_SLACK_PX = 80;
/** Scrolled this close to the top, the next page of history is fetched. */
const LOAD_OLDER_AT_PX = 40;

export function MessageLog({ state, open, onLoadOlder, onRetry, onDiscard, onAnswer }: Props) {
  const { t, lang } = useI18n();
  const log = useRef<HTMLDivElement>(null);
  const place = useRef({ fromBottom: 0, firstSeq: 0 });
  const { messages } = state.stream;
  const firstSeq = messages[0]?.seq ?? 0;

  useLayoutEffect(() => {
    const element = log.current;
    if (!element) return;
    const previous = place.current;
    const prepended = previous.firstSeq !== 0 && firstSeq < previous.firstSeq;
    if (prepended) element.scrollTop = element.scrollHeight - element.clientHeight - previous.fromBottom;
    else if (previous.fromBottom <= FOLLOW_SLACK_PX) element.scrollTop = element.scrollHeight;
    place.current = { fromBottom: distanceFromBottom(element), firstSeq };
    // The typing and queue lines take room from the log: keep its end in view when they appear.
  }, [messages, state.outbox, state.operatorTyping, state.queue, firstSeq]);

  useLayoutEffect(() => {
    const element = log.current;
    if (!open || !element) return;
    element.scrollTop = element.scrollHeight;
    place.current.fromBottom = 0;
  }, [open]);

  const receipt = latestReceipt(messages, state.conversation?.operatorLastReadSeq ?? 0);
  const empty = messages.length === 0 && state.outbox.length === 0;
  const answers = useMemo(() => answeredButtons(messages, state.outbox), [messages, state.outbox]);
  const config = state.config;
  const greeter = config?.appearance.team[0]?.name ?? state.workspaceName;
  const invitation =
    state.invitation && (state.invitation.text[lang] || state.invitation.text.ru || state.invitation.text.en);
  const greeting =
    invitation ||
    (config &&
      (config.appearance.greeting[lang] || config.appearance.greeting.ru || config.appearance.greeting.en));
  return (
    <div
      class="log"
      role="log"
      aria-live="polite"
      aria-label={t('messages')}
      tabIndex={0}
      ref={log}
      onScroll={(event) => {
        const element = event.currentTarget;
        place.current.fromBottom = distanceFromBottom(element);
        if (element.scrollTop < LOAD_OLDER_AT_PX && state.hasOlder) onLoadOlder();
      }}
    >
      {state.hasOlder && (
        <button type="button" class="older" disabled={state.loadingOlder} onClick={onLoadOlder}>
          {t('olderMessages')}
        </button>
      )}
      {empty &&
        state.phase === 'ready' &&
        (greeting ? <GreetingItem author={greeter} text={greeting} /> : <p class="empty">{t('empty')}</p>)}
      {messages.map((message, index) =>
        message.kind === 'event' ? (
          <SystemEventItem key={message.id} message={message} />
        ) : (
          <MessageItem
            key={message.id}
            message={message}
            showAuthor={!continuesRun(messages[index - 1], message)}
            receipt={receipt?.seq === message.seq ? (receipt.read ? 'read' : 'delivered') : null}
            answered={answers.get(message.id)}
            onAnswer={onAnswer}
          />
        ),
      )}
      {invitation && !empty && <GreetingItem author={greeter} text={invitation} />}
      {state.outbox.map((outgoing) => (
        <OutgoingItem
          key={outgoing.clientMsgId}
          outgoing={outgoing}
          onRetry={onRetry}
          onDiscard={onDiscard}
        />
      ))}
    </div>
  );
}

/** Which button of which message the visitor chose, stored or still on its way. */
function answeredButtons(messages: readonly Message[], outbox: ChatState['outbox']): Map<string, string> {
  const answers = new Map<string, string>();
  for (const { replyTo } of [...messages, ...outbox])
    if (replyTo) answers.set(replyTo.messageId, replyTo.buttonId);
  return answers;
}

/** A message right after another by the same author needs no name above it. */
function continuesRun(previous: Message | undefined, message: Message): boolean {
  return (
    previous?.kind === 'text' &&
    previous.author.type === message.author.type &&
    previous.author.name === message.author.name
  );
}

function distanceFromBottom(element: HTMLElement): number {
  return element.scrollHeight - element.clientHeight - element.scrollTop;
}
