// The open conversation's header: who it is with, its state, and what the operator can do with it.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@frontline/protocol';
import { actOn, type ConversationAction } from '../api/endpoints.js';
import { describeError } from '../i18n/errors.js';
import { contactLabel } from '../i18n/format.js';
import { useRealtime } from '../realtime/context.js';
import { TransferDialog } from '../inbox/TransferDialog.js';
import { BackIcon, PersonIcon } from './icons.js';

interface Props {
  conversation: Conversation | undefined;
  /** The conversation could not be loaded (gone, or not this operator's to see). */
  failed: boolean;
  me: string;
  visitorOpen: boolean;
  onBack(): void;
  onToggleVisitor(): void;
}

export function ChatHeader({ conversation, failed, me, visitorOpen, onBack, onToggleVisitor }: Props) {
  const { t } = useTranslation();
  return (
    <div className="chat-head">
      <button type="button" className="icon-button back" aria-label={t('chat.back')} onClick={onBack}>
        <BackIcon />
      </button>
      <div className="chat-title">
        <h2 id="chat-title">
          {conversation
            ? contactLabel(conversation.contact, t)
            : failed
              ? t('chat.unavailable')
              : t('loading')}
        </h2>
        {conversation && (
          <span className="chat-subtitle">
            <span className={`badge status-${conversation.status}`}>
              {t(`status.${conversation.status}`)}
            </span>
            <span className="muted">{t(`channel.${conversation.channel}`)}</span>
          </span>
        )}
      </div>
      {conversation && <ConversationActions conversation={conversation} me={me} />}
      <button
        type="button"
        className="icon-button visitor-toggle"
        aria-label={t('chat.visitorDetails')}
        aria-expanded={visitorOpen}
        aria-controls="visitor-panel"
        onClick={onToggleVisitor}
      >
        <PersonIcon />
      </button>
    </div>
  );
}

function ConversationActions({ conversation, me }: { conversation: Conversation; me: string }) {
  const { t } = useTranslation();
  const realtime = useRealtime();
  const [transferring, setTransferring] = useState(false);
  const action = useMutation({
    mutationFn: (name: ConversationAction) => actOn(conversation.id, name),
    onSuccess: (updated) => realtime.applyConversation(updated),
  });
  const resolved = conversation.status === 'resolved';
  const offeredToMe = conversation.status === 'offered' && conversation.assigneeId === me;
  const canTake = !resolved && (conversation.assigneeId !== me || offeredToMe);
  return (
    <div className="chat-actions" role="group" aria-label={t('chat.actions')}>
      {canTake && (
        <button
          type="button"
          className="primary"
          data-testid="take"
          data-shortcut="take"
          aria-keyshortcuts="Alt+A"
          disabled={action.isPending}
          onClick={() => action.mutate('take')}
        >
          {offeredToMe ? t('chat.accept') : t('chat.take')}
        </button>
      )}
      {!resolved && (
        <button
          type="button"
          data-testid="transfer"
          data-shortcut="transfer"
          aria-keyshortcuts="Alt+T"
          onClick={() => setTransferring(true)}
        >
          {t('chat.transfer')}
        </button>
      )}
      <button
        type="button"
        data-testid={resolved ? 'reopen' : 'resolve'}
        data-shortcut="resolve-or-reopen"
        aria-keyshortcuts="Alt+E"
        disabled={action.isPending}
        onClick={() => action.mutate(resolved ? 'reopen' : 'resolve')}
      >
        {resolved ? t('chat.reopen') : t('chat.resolve')}
      </button>
      {action.isError && (
        <p className="action-error" role="alert">
          {describeError(action.error, t)}
        </p>
      )}
      {transferring && (
        <TransferDialog conversation={conversation} me={me} onClose={() => setTransferring(false)} />
      )}
    </div>
  );
}
