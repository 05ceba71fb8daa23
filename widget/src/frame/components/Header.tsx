// The top bar: the team the visitor will talk to (avatars and names from the widget settings),
// whether someone is online, the sound switch, and the button that folds the chat back.
import type { ChatState } from '../chat.js';
import { useI18n } from '../i18n.js';
import { CloseIcon, SoundIcon } from './icons.js';

interface Props {
  state: ChatState;
  onClose: (() => void) | null;
  onToggleMute: () => void;
}

export function Header({ state, onClose, onToggleMute }: Props) {
  const { t } = useI18n();
  const team = state.config?.appearance.team ?? [];
  const online = state.config?.operatorsOnline ?? true;
  return (
    <header class="header">
      {team.length > 0 && (
        <div class="team" aria-hidden="true">
          {team
            .slice(0, 3)
            .map((member) =>
              member.avatarUrl ? (
                <img key={member.name} src={member.avatarUrl} alt="" />
              ) : (
                <span key={member.name}>{member.name.slice(0, 1).toUpperCase()}</span>
              ),
            )}
        </div>
      )}
      <div class="title">
        <h1>{state.workspaceName || t('title')}</h1>
        <p>
          {team.length > 0 && `${team.map((m) => m.name).join(', ')} · `}
          {online ? t('online') : t('offlineSubtitle')}
        </p>
      </div>
      <button
        type="button"
        class="icon"
        aria-pressed={state.muted}
        aria-label={state.muted ? t('unmute') : t('mute')}
        title={state.muted ? t('unmute') : t('mute')}
        onClick={onToggleMute}
      >
        <SoundIcon muted={state.muted} />
      </button>
      {onClose && (
        <button type="button" class="icon" aria-label={t('close')} title={t('close')} onClick={onClose}>
          <CloseIcon />
        </button>
      )}
    </header>
  );
}
