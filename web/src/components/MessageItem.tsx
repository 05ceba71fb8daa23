// One stored message: the visitor's on the left, the team's (operators, bot) on the right, internal
// notes marked as such, system events as a centred line. What a messenger brings besides text (a
// button press, a place, a contact card) and the buttons offered are shown too: without them such
// a message would be an empty bubble or a bare label.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type {
  ChannelDelivery,
  Message,
  SharedContact,
  SharedLocation,
  SystemEvent,
} from '@frontline/protocol';
import { ChannelDeliveryMark } from '../channels/deliveries.js';
import { formatTime } from '../i18n/format.js';
import { Attachments } from './Attachments.js';

interface Props {
  message: Message;
  /** Same author as the message before, shortly after: the name is not repeated. */
  continued: boolean;
  visitorName: string;
  readByVisitor: boolean;
  /** Replies through a messenger or e-mail channel: the provider's delivery state. */
  channelDelivery?: ChannelDelivery | undefined;
}

export const MessageItem = memo(function MessageItem({
  message,
  continued,
  visitorName,
  readByVisitor,
  channelDelivery,
}: Props) {
  const { t, i18n } = useTranslation();
  const time = (
    <time dateTime={new Date(message.createdAt).toISOString()}>
      {formatTime(message.createdAt, i18n.language)}
    </time>
  );
  if (message.kind === 'event') {
    return (
      <p className="event" data-testid="message" data-seq={message.seq} data-event={message.event?.type}>
        {describeEvent(message.event, t)} · {time}
      </p>
    );
  }
  const author = message.author;
  const side = author.type === 'visitor' ? 'theirs' : 'ours';
  const name =
    author.type === 'visitor'
      ? visitorName
      : author.type === 'bot'
        ? (author.name ?? t('chat.bot'))
        : author.name;
  const classes = [
    'message',
    side,
    `author-${author.type}`,
    message.kind === 'note' ? 'note' : '',
    continued ? 'continued' : '',
  ];
  return (
    <div className={classes.join(' ')} data-testid="message" data-seq={message.seq} data-kind={message.kind}>
      {!continued && (
        <span className="author">
          {message.kind === 'note' && <span className="note-label">{t('composer.noteLabel')}</span>}
          {name}
        </span>
      )}
      {message.replyTo && (
        <span className="button-reply" data-testid="button-reply">
          {t('chat.buttonReply')}
        </span>
      )}
      {message.text && <p className="text">{message.text}</p>}
      {message.location && <LocationCard location={message.location} label={t('chat.location')} />}
      {message.sharedContact && (
        <ContactCard contact={message.sharedContact} label={t('chat.sharedContact')} />
      )}
      <Attachments files={message.attachments} />
      {message.buttons.length > 0 && (
        <ul className="message-buttons" data-testid="message-buttons" aria-label={t('chat.buttons')}>
          {message.buttons.map((button) => (
            <li key={button.id}>
              {button.url ? (
                <a href={button.url} target="_blank" rel="noreferrer">
                  {button.label}
                </a>
              ) : (
                button.label
              )}
            </li>
          ))}
        </ul>
      )}
      <span className="meta">
        {time}
        {channelDelivery && <ChannelDeliveryMark delivery={channelDelivery} />}
        {!channelDelivery && author.type === 'operator' && message.kind === 'text' && (
          <span
            className={`delivery ${readByVisitor ? 'read' : 'delivered'}`}
            data-testid="delivery"
            data-state={readByVisitor ? 'read' : 'delivered'}
          >
            <span aria-hidden="true">{readByVisitor ? ' ✓✓ ' : ' ✓ '}</span>
            {readByVisitor ? t('chat.readByVisitor') : t('chat.delivered')}
          </span>
        )}
      </span>
    </div>
  );
});

function LocationCard({ location, label }: { location: SharedLocation; label: string }) {
  const { latitude, longitude } = location;
  const map = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
  return (
    <p className="shared" data-testid="shared-location">
      <span className="shared-label">{label}</span>
      <a href={map} target="_blank" rel="noreferrer">
        {[location.name, location.address].filter(Boolean).join(', ') || `${latitude}, ${longitude}`}
      </a>
    </p>
  );
}

function ContactCard({ contact, label }: { contact: SharedContact; label: string }) {
  return (
    <p className="shared" data-testid="shared-contact">
      <span className="shared-label">{label}</span>
      {[contact.name, contact.phone, contact.email].filter(Boolean).join(' · ')}
    </p>
  );
}

/**
 * The line a system event shows. Events of other areas (the widget's page trail and closing,
 * ratings, offline requests) are described here too, by the names the areas agreed on.
 */
export function describeEvent(event: SystemEvent | null, t: TFunction): string {
  const data = event?.data ?? {};
  const text = (key: string) => {
    const value = data[key];
    return typeof value === 'string' ? value : '';
  };
  switch (event?.type) {
    case 'assigned':
      return text('by') && text('by') !== text('operatorName')
        ? t('events.assignedBy', { name: text('operatorName'), by: text('by') })
        : t('events.assigned', { name: text('operatorName') });
    case 'unassigned':
      return t('events.unassigned');
    case 'resolved':
      if (text('reason') === 'idle') return t('events.resolvedIdle');
      return text('by') ? t('events.resolvedBy', { by: text('by') }) : t('events.resolved');
    case 'reopened':
      return t('events.reopened');
    case 'transferred':
      return text('operatorName')
        ? t('events.handedOver', { name: text('operatorName') })
        : t('events.transferred', { reason: text('reason') });
    case 'escalated':
      return t('events.escalated', { reason: text('reason') });
    case 'page_viewed':
      return t('events.pageViewed', { page: text('title') || text('url') });
    case 'visitor_left':
      return t('events.visitorLeft');
    case 'rated':
      return text('rating') === 'good' ? t('events.ratedGood') : t('events.ratedBad');
    case 'went_offline':
      return text('reason') === 'after_hours' ? t('events.wentOfflineAfterHours') : t('events.wentOffline');
    default:
      return t('events.other');
  }
}
