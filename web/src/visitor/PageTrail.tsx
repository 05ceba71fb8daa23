// The pages of the visitor's current visit, newest first, as the widget reports them: where the
// visitor is now and how they got there.
import { useTranslation } from 'react-i18next';
import type { Contact } from '@frontline/protocol';
import { formatTime } from '../i18n/format.js';

const SAFE_LINK = /^https?:/i;

export function PageTrail({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation();
  const pages = [...(contact.metadata.pageTrail ?? [])].reverse();
  if (pages.length === 0) return null;
  return (
    <section aria-labelledby="visitor-pages">
      <h3 id="visitor-pages">{t('visitor.pageTrail')}</h3>
      <ol className="plain-list">
        {pages.map((page) => (
          <li key={`${page.at}-${page.url}`}>
            <time dateTime={new Date(page.at).toISOString()}>{formatTime(page.at, i18n.language)}</time>{' '}
            {SAFE_LINK.test(page.url) ? (
              <a href={page.url} target="_blank" rel="noopener noreferrer" title={page.url}>
                {page.title || page.url}
              </a>
            ) : (
              page.title || page.url
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
