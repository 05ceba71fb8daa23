// "All operators are busy. Your place in the queue: 3. Expected wait: 1–2 min."
import type { QueueNotice } from '@frontline/protocol';
import { useI18n } from '../i18n.js';

export function QueueLine({ notice }: { notice: QueueNotice }) {
  const { t } = useI18n();
  if (!notice.position) return null;
  const wait = notice.waitMinutes;
  const waitText = !wait
    ? ''
    : wait.max <= 1
      ? t('underMinute')
      : t('minutes', { min: wait.min, max: wait.max });
  return (
    <p class="queue" role="status" data-testid="widget-queue">
      {t('queue', { position: notice.position })} {waitText && t('queueWait', { wait: waitText })}
    </p>
  );
}
