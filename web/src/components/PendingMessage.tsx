// A message the operator sent that the server has not stored yet: "sending", "will retry", or
// refused with the server's reason and the choice to retry (same clientMsgId) or discard.
import { useTranslation } from 'react-i18next';
import { useRealtime } from '../realtime/context.js';
import type { OutgoingMessage } from '../realtime/outbox.js';
import { Attachments } from './Attachments.js';

export function PendingMessage({ message }: { message: OutgoingMessage }) {
  const { t } = useTranslation();
  const realtime = useRealtime();
  const status =
    message.state === 'refused'
      ? t('chat.refused', { error: message.error ?? '' })
      : message.state === 'waiting'
        ? t('chat.waiting')
        : t('chat.sending');
  return (
    <div
      className={`message ours author-operator pending state-${message.state}${message.kind === 'note' ? ' note' : ''}`}
      data-testid="message"
      data-pending={message.state}
    >
      {message.kind === 'note' && (
        <span className="author">
          <span className="note-label">{t('composer.noteLabel')}</span>
        </span>
      )}
      {message.text && <p className="text">{message.text}</p>}
      <Attachments files={message.attachments} />
      <span className="meta" role={message.state === 'refused' ? 'alert' : undefined}>
        {status}
      </span>
      {message.state === 'refused' && (
        <span className="pending-actions">
          <button type="button" className="link" onClick={() => realtime.retry(message.clientMsgId)}>
            {t('chat.retry')}
          </button>
          <button type="button" className="link" onClick={() => realtime.discard(message.clientMsgId)}>
            {t('chat.discard')}
          </button>
        </span>
      )}
    </div>
  );
}
