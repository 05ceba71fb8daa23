// The workspace's help articles inside the widget: a search box over the published articles in the
// visitor's language, the categories while nothing is searched, and one article at a time with a
// way back to the list and to the chat. Article HTML comes rendered and made safe by the server.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HelpArticle, HelpCategory, KnowledgeHit } from '@frontline/protocol';
import { fetchHelpArticle, fetchHelpCategories, searchHelp, serverMessageOf } from '../api.js';
import { useI18n } from '../i18n.js';

interface Props {
  widgetKey: string;
  onAskChat: () => void;
}

type Listing = { kind: 'categories'; categories: HelpCategory[] } | { kind: 'hits'; hits: KnowledgeHit[] };

export function HelpPanel({ widgetKey, onAskChat }: Props) {
  const { lang, t } = useI18n();
  const [query, setQuery] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [article, setArticle] = useState<HelpArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = (work: Promise<void>) => {
    setError(null);
    work.catch((failure: unknown) =>
      setError(t('helpError', { message: serverMessageOf(failure) ?? t('networkError') })),
    );
  };
  useEffect(() => {
    load(
      fetchHelpCategories(widgetKey, lang).then((categories) =>
        setListing({ kind: 'categories', categories }),
      ),
    );
  }, [widgetKey, lang]);
  useEffect(() => {
    if (article) heading.current?.focus();
  }, [article]);

  const open = (id: string) => load(fetchHelpArticle(widgetKey, id).then(setArticle));
  const back = () => {
    setArticle(null);
    requestAnimationFrame(() => search.current?.focus());
  };

  if (article)
    return (
      <div class="help" data-testid="widget-help-article">
        <button type="button" class="link" onClick={back}>
          ← {t('helpBack')}
        </button>
        <h2 ref={heading} tabIndex={-1}>
          {article.title}
        </h2>
        <div class="article" dangerouslySetInnerHTML={{ __html: article.html }} />
        <button type="button" class="primary" onClick={onAskChat}>
          {t('helpAskChat')}
        </button>
      </div>
    );

  return (
    <div class="help">
      <form
        role="search"
        class="help-search"
        onSubmit={(event) => {
          event.preventDefault();
          const q = query.trim();
          if (!q) return;
          load(searchHelp(widgetKey, q, lang).then((hits) => setListing({ kind: 'hits', hits })));
        }}
      >
        <label class="visually-hidden" for="help-q">
          {t('helpSearch')}
        </label>
        <input
          id="help-q"
          ref={search}
          type="search"
          maxLength={300}
          value={query}
          placeholder={t('helpSearch')}
          data-testid="widget-help-search"
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit">{t('helpSearchButton')}</button>
      </form>
      {error && (
        <p class="banner" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite">
        {listing === null && !error && <p class="notice">{t('helpLoading')}</p>}
        {listing?.kind === 'hits' &&
          (listing.hits.length === 0 ? (
            <p class="notice">{t('helpNothing')}</p>
          ) : (
            <ul class="help-list">
              {listing.hits.map((hit) => (
                <li key={hit.id}>
                  <button type="button" data-testid="widget-help-result" onClick={() => open(hit.id)}>
                    <strong>{hit.title}</strong>
                    <span>{hit.snippet}</span>
                  </button>
                </li>
              ))}
            </ul>
          ))}
        {listing?.kind === 'categories' &&
          (listing.categories.length === 0 ? (
            <p class="notice">{t('helpEmpty')}</p>
          ) : (
            listing.categories.map((category) => (
              <section key={category.name}>
                <h3>{category.name || t('helpGeneral')}</h3>
                <ul class="help-list">
                  {category.articles.map((entry) => (
                    <li key={entry.id}>
                      <button type="button" data-testid="widget-help-result" onClick={() => open(entry.id)}>
                        <strong>{entry.title}</strong>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))
          ))}
      </div>
      <a
        class="link"
        href={`/help/${encodeURIComponent(widgetKey)}?locale=${lang}`}
        target="_blank"
        rel="noopener noreferrer"
      >
        {t('helpCentre')}
      </a>
    </div>
  );
}
