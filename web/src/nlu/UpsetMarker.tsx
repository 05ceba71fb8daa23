// The "customer upset" marker of a conversation row, from the tab's insights.
import { useTranslation } from 'react-i18next';
import { useInsights } from './insights.js';
import './nlu.css';

export function UpsetMarker({ conversationId, resolved }: { conversationId: string; resolved: boolean }) {
  const { t } = useTranslation();
  const insight = useInsights()[conversationId];
  if (!insight?.upsetAt || resolved) return null;
  // An icon only: the row's bottom line is full; the label is its title and its accessible name.
  return (
    <span className="badge upset-badge" data-testid="upset-marker" title={t('nlu.upset.marker')}>
      <span aria-hidden="true">⚠</span>
      <span className="visually-hidden">{t('nlu.upset.marker')}</span>
    </span>
  );
}
