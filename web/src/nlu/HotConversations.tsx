// The supervisors' live list of conversations whose customer turned upset.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useInsights, upsetOnes } from './insights.js';
import './nlu.css';

export function HotConversations() {
  const { t, i18n } = useTranslation();
  const hot = upsetOnes(useInsights());
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent' });
  return (
    <section aria-labelledby="hot-title" data-testid="hot-conversations">
      <h3 id="hot-title">
        {t('nlu.upset.hot')} ({hot.length})
      </h3>
      <p className="muted">{hot.length === 0 ? t('nlu.upset.hotEmpty') : t('nlu.upset.hotHint')}</p>
      <ol className="queue-list">
        {hot.map((insight) => (
          <li key={insight.conversationId} data-testid="hot-item">
            <span className="badge upset-badge">{t('nlu.upset.marker')}</span>
            <span className="muted">
              {t('nlu.upset.negative', { value: percent.format(insight.negative) })}
            </span>
            {insight.intent && <span className="channel-tag">{insight.intent}</span>}
            <Link to={`/?c=${insight.conversationId}`}>{t('nlu.upset.open')}</Link>
          </li>
        ))}
      </ol>
    </section>
  );
}
