// Shows that the operator is writing a reply.
import { useI18n } from '../i18n.js';

export function TypingLine({ name }: { name: string }) {
  const { t } = useI18n();
  return (
    <p class="typing" data-testid="widget-typing">
      {t('typing', { name: name || t('operator') })}
    </p>
  );
}
