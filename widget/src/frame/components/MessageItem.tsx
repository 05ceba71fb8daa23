// One entry of the log: a message (the visitor's own on the right, the operator's or bot's on the
// left, with its files and buttons), a system event in the middle, or a message of the visitor's
// still on its way.
import type { Message, MessageButton } from '@frontline/protocol';
import type { OutgoingMessage } from '../delivery/outbox.js';
import { useI18n, type MessageKey } from '../i18n.js';

/** System events the visitor is told about; the rest (offers, priority changes) are staff business. */
const SHOWN_EVENTS = new Map<string, MessageKey>([
  ['assigned', 'assigned'],
  ['resolved', 'resolved'],
  ['reopened', 'reopened'],
  ['transferred', 'transferred'],
  ['went_offline', 'wentOffline'],
]);

/** Only these open from a button: a javascript: link must never run in the frame. */
const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

export function SystemEventItem({ message }: { message: Message }) {
  const { t } = useI18n();
  const key = message.event && SHOWN_EVENTS.get(message.event.type);
  if (!key) return null;
  const operatorName = message.event?.data.operatorName;
  return (
    <p class="event" data-testid="widget-message" data-seq={message.seq} data-author="system">
      {t(key, { name: typeof operatorName === 'string' ? operatorName : t('operator') })}
    </p>
  );
}

interface MessageItemProps {
  message: Message;
  showAuthor: boolean;
  receipt: 'read' | 'delivered' | null;
  /** The button of this message the visitor chose; undefined while it is unanswered. */
  answered: string | undefined;
  onAnswer: (message: Message, button: MessageButton) => void;
}

export function MessageItem({ message, showAuthor, receipt, answered, onAnswer }: MessageItemProps) {
  const { t, lang } = useI18n();
  const mine = message.author.type === 'visitor';
  const sentAt = new Date(message.createdAt);
  return (
    <div
      class={`message ${mine ? 'mine' : 'theirs'}`}
      data-testid="widget-message"
      data-seq={message.seq}
      data-author={message.author.type}
    >
      {!mine && (
        // A run of messages by one author names them once; screen readers still hear every name.
        <span class={showAuthor ? 'author' : 'visually-hidden'}>
          {message.author.name ?? t(message.author.type === 'bot' ? 'bot' : 'operator')}
        </span>
      )}
      {message.text && <p>{message.text}</p>}
      {message.attachments.map((file) => (
        <a key={file.fileId} href={file.url} target="_blank" rel="noopener noreferrer" class="file">
          {file.mime.startsWith('image/') ? <img src={file.url} alt={file.name} /> : file.name}
        </a>
      ))}
      {message.buttons.length > 0 && (
        <div class="buttons" role="group" aria-label={t('menu')}>
          {message.buttons.map((button) =>
            button.url ? (
              SAFE_LINK.test(button.url) && (
                <a key={button.id} href={button.url} target="_blank" rel="noopener noreferrer">
                  {button.label}
                  <span class="visually-hidden"> {t('opensLink')}</span>
                </a>
              )
            ) : (
              <button
                key={button.id}
                type="button"
                data-testid="widget-button"
                disabled={answered !== undefined}
                aria-pressed={answered === button.id}
                onClick={() => onAnswer(message, button)}
              >
                {button.label}
              </button>
            ),
          )}
        </div>
      )}
      <small>
        <time dateTime={sentAt.toISOString()}>{sentAt.toLocaleTimeString(lang, { timeStyle: 'short' })}</time>
        {receipt && <span data-testid="widget-receipt"> · {t(receipt)}</span>}
      </small>
    </div>
  );
}

/** The greeting or proactive invitation at the top of an empty chat; shown, not stored. */
export function GreetingItem({ author, text }: { author: string; text: string }) {
  return (
    <div class="message theirs greeting" data-testid="widget-greeting">
      <span class="author">{author}</span>
      <p>{text}</p>
    </div>
  );
}

export function OutgoingItem({
  outgoing,
  onRetry,
  onDiscard,
}: {
  outgoing: OutgoingMessage;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
}) {
  const { t } = useI18n();
  const refused = outgoing.state === 'refused';
  return (
    <div
      class={`message mine outgoing${refused ? ' refused' : ''}`}
      data-testid="widget-message"
      data-author="visitor"
      data-state={outgoing.state}
    >
      {outgoing.text && <p>{outgoing.text}</p>}
      {outgoing.files?.map((file) => (
        <span key={file.fileId} class="file">
          {file.name}
        </span>
      ))}
      <small>
        {refused
          ? t('refused', { error: outgoing.error ?? '' })
          : outgoing.error !== null || outgoing.attempts > 1
            ? t('retrying')
            : t('sending')}
      </small>
      {refused && (
        <div class="actions">
          <button type="button" onClick={() => onRetry(outgoing.clientMsgId)}>
            {t('retry')}
          </button>
          <button type="button" onClick={() => onDiscard(outgoing.clientMsgId)}>
            {t('discard')}
          </button>
        </div>
      )}
    </div>
  );
}
