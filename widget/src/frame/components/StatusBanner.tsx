// One line on what stands between the visitor and the conversation: loading, a lost or refused
// connection, or the server's words on what failed.
import type { ChatState } from '../chat.js';
import { useI18n } from '../i18n.js';

export function StatusBanner({ state, onReload }: { state: ChatState; onReload: () => void }) {
  const { t } = useI18n();
  if (state.phase === 'loading') {
    return (
      <p class="banner" role="status">
        {t('loading')}
      </p>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div class="banner error" role="alert">
        <p>{t('loadError', { message: state.notice ?? t('networkError') })}</p>
        <button type="button" onClick={onReload}>
          {t('tryAgain')}
        </button>
      </div>
    );
  }
  if (state.connection === 'refused') {
    return (
      <p class="banner error" role="alert">
        {t('unavailable', { message: state.notice ?? t('networkError') })}
      </p>
    );
  }
  if (state.connection === 'lost') {
    return (
      <p class="banner" role="status" data-testid="widget-connection-lost">
        {t('reconnecting')}
      </p>
    );
  }
  if (state.notice) {
    return (
      <p class="banner error" role="alert">
        {state.notice}
      </p>
    );
  }
  return null;
}
