// One row of the list: who, when, the last message, state, channel, how long the visitor has waited
// for a reply, and whether something is unread.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@frontline/protocol';
import { ChannelIcon } from '../channels/ChannelIcon.js';
import { contactLabel, formatWhen } from '../i18n/format.js';
import { isUnread, lastActivity } from '../realtime/conversation-lists.js';
import { UpsetMarker } from '../nlu/UpsetMarker.js';

interface Props {
  conversation: Conversation;
  mine: boolean;
  active: boolean;
  now: number;
  onSelect(conversation: Conversation): void;
}

export const ConversationRow = memo(function ConversationRow({
  conversation,
  mine,
  active,
  now,
  onSelect,
}: Props) {
  const { t, i18n } = useTranslation();
  const unread = isUnread(conversation);
  const when = lastActivity(conversation);
  const waiting = conversation.waitingSince !== null && conversation.status !== 'resolved';
  return (
    <div className="row-wrap">
      <button
        type="button"
        data-testid="conversation-row"
        data-conversation-id={conversation.id}
        data-unread={unread || undefined}
        className={`row${active ? ' active' : ''}${unread ? ' unread' : ''}`}
        aria-current={active ? 'true' : undefined}
        onClick={() => onSelect(conversation)}
      >
        <span className="row-top">
          <span className="row-name">{contactLabel(conversation.contact, t)}</span>
          <time dateTime={new Date(when).toISOString()}>{formatWhen(when, i18n.language, now)}</time>
        </span>
        <span className="row-preview">{conversation.lastMessagePreview ?? '\u00a0'}</span>
        <span className="row-bottom">
          <span className={`badge status-${conversation.status}`}>{t(`status.${conversation.status}`)}</span>
          <span className="channel-tag" data-channel={conversation.channel}>
            <ChannelIcon channel={conversation.channel} label="" />
            {t(`channel.${conversation.channel}`)}
          </span>
          <UpsetMarker conversationId={conversation.id} resolved={conversation.status === 'resolved'} />
          {waiting && conversation.waitingSince !== null && (
            <span className="waiting" title={t('list.waitingHint')}>
              {t('list.waiting', {
                minutes: Math.max(0, Math.floor((now - conversation.waitingSince) / 60_000)),
              })}
            </span>
          )}
          {mine && conversation.status !== 'resolved' && (
            <span className="badge mine-badge">{t('list.mine')}</span>
          )}
          {unread && (
            <span className="unread-dot">
              <span className="visually-hidden">{t('list.unread')}</span>
            </span>
          )}
        </span>
      </button>
    </div>
  );
});
