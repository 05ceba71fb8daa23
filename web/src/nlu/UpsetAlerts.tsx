// The upset-customer alert for supervisors and admins (the workspace shows it to them only): when
// a conversation turns negative while the workspace is open, a banner names the customer and opens
// the conversation (with the chime and, in a background tab, a desktop notification, as new
// conversations have).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchConversation } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { contactLabel } from '../i18n/format.js';
import { chime, soundEnabled } from '../inbox/notifications.js';
import { upsetOnes, useInsights } from './insights.js';
import './nlu.css';

export function UpsetAlerts() {
  const { t } = useTranslation();
  const insights = useInsights();
  const since = useRef(Date.now());
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set());
  // Only what turned upset after this page opened is news; the hot list has the rest.
  const fresh = upsetOnes(insights).filter(
    (insight) => (insight.upsetAt ?? 0) >= since.current && !dismissed.has(insight.conversationId),
  );
  const newest = fresh[0];
  const announced = useRef(new Set<string>());
  useEffect(() => {
    if (!newest || announced.current.has(newest.conversationId)) return;
    announced.current.add(newest.conversationId);
    if (soundEnabled()) chime();
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.hidden)
      new Notification(t('nlu.upset.marker'), { tag: `upset:${newest.conversationId}` });
  }, [newest, t]);
  if (!newest) return null;
  return (
    <UpsetBanner
      conversationId={newest.conversationId}
      more={fresh.length - 1}
      onDismiss={() => setDismissed((current) => new Set([...current, newest.conversationId]))}
    />
  );
}

function UpsetBanner({
  conversationId,
  more,
  onDismiss,
}: {
  conversationId: string;
  more: number;
  onDismiss(): void;
}) {
  const { t } = useTranslation();
  const conversation = useQuery({
    queryKey: keys.conversation(conversationId),
    queryFn: () => fetchConversation(conversationId),
    staleTime: Infinity,
  });
  const name = conversation.data ? contactLabel(conversation.data.contact, t) : t('chat.visitor');
  return (
    <div className="upset-alert" role="alert" data-testid="upset-alert">
      <span>
        {t('nlu.upset.alert', { name })}
        {more > 0 && ` (+${more})`}
      </span>
      <Link to={`/?c=${conversationId}`} onClick={onDismiss}>
        {t('nlu.upset.open')}
      </Link>
      <button type="button" className="ghost" onClick={onDismiss}>
        {t('nlu.upset.dismiss')}
      </button>
    </div>
  );
}
