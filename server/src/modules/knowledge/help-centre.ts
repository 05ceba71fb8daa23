// The public help centre's pages, rendered on the server as plain HTML: a search box (a GET form,
// so it works without scripts), the categories with their articles, and one article per URL.
// Every text from the database is escaped; article bodies come from markdown.ts (safe by design).
import type { HelpArticle, HelpCategory, KnowledgeHit, Locale } from '@frontline/protocol';
import { escapeHtml } from './markdown.js';

const TEXTS = {
  ru: {
    title: 'Справочный центр',
    search: 'Поиск по статьям',
    searchButton: 'Найти',
    results: 'Результаты поиска',
    nothing: 'Ничего не нашлось. Попробуйте другие слова или напишите нам в чат.',
    empty: 'Статей пока нет.',
    general: 'Общее',
    back: 'Все статьи',
    updated: 'Обновлено',
    language: 'Язык',
  },
  en: {
    title: 'Help centre',
    search: 'Search articles',
    searchButton: 'Search',
    results: 'Search results',
    nothing: 'Nothing found. Try other words or write to us in the chat.',
    empty: 'No articles yet.',
    general: 'General',
    back: 'All articles',
    updated: 'Updated',
    language: 'Language',
  },
} satisfies Record<Locale, Record<string, string>>;

/** Inline styles only: the page's Content-Security-Policy allows no scripts and no other origin. */
export const HELP_CENTRE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors *";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
header{background:#1f6feb;color:#fff;padding:24px 16px}header a{color:#fff}
main{max-width:760px;margin:0 auto;padding:16px}h1{margin:0 0 12px;font-size:1.6em}
form{display:flex;gap:8px}input[type=search]{flex:1;padding:10px;font:inherit;border:1px solid #cbd2d9;border-radius:6px}
button{padding:10px 16px;font:inherit;border:0;border-radius:6px;background:#0b4fa8;color:#fff;cursor:pointer}
section{background:#fff;border-radius:8px;padding:16px;margin:16px 0}ul{padding-left:20px}
.snippet{color:#52606d;margin:4px 0 12px}nav.lang{margin-top:8px;font-size:.9em}nav.lang a{margin-right:8px}
article img{max-width:100%}article pre{overflow:auto;background:#f0f4f8;padding:8px}`;

export interface HelpPage {
  workspaceName: string;
  widgetKey: string;
  locale: Locale;
}

const home = (page: HelpPage, locale: Locale = page.locale) =>
  `/help/${encodeURIComponent(page.widgetKey)}?locale=${locale}`;
const articleUrl = (page: HelpPage, id: string) =>
  `/help/${encodeURIComponent(page.widgetKey)}/articles/${encodeURIComponent(id)}`;

function layout(page: HelpPage, title: string, query: string, content: string): string {
  const t = TEXTS[page.locale];
  const languages = (['ru', 'en'] as const)
    .map((l) =>
      l === page.locale
        ? `<strong>${l.toUpperCase()}</strong>`
        : `<a href="${home(page, l)}" hreflang="${l}">${l.toUpperCase()}</a>`,
    )
    .join(' ');
  return `<!doctype html>
<html lang="${page.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><main>
<h1><a href="${home(page)}">${escapeHtml(page.workspaceName)} · ${t.title}</a></h1>
<form role="search" method="get" action="/help/${encodeURIComponent(page.widgetKey)}">
<input type="hidden" name="locale" value="${page.locale}">
<label for="q" style="position:absolute;left:-9999px">${t.search}</label>
<input id="q" type="search" name="q" maxlength="300" value="${escapeHtml(query)}" placeholder="${t.search}">
<button type="submit">${t.searchButton}</button></form>
<nav class="lang" aria-label="${t.language}">${languages}</nav>
</main></header><main>${content}</main></body></html>`;
}

export function renderHome(page: HelpPage, categories: HelpCategory[]): string {
  const t = TEXTS[page.locale];
  const content =
    categories.length === 0
      ? `<section><p>${t.empty}</p></section>`
      : categories
          .map(
            (category) =>
              `<section><h2>${escapeHtml(category.name || t.general)}</h2><ul>${category.articles
                .map((a) => `<li><a href="${articleUrl(page, a.id)}">${escapeHtml(a.title)}</a></li>`)
                .join('')}</ul></section>`,
          )
          .join('');
  return layout(page, `${page.workspaceName} · ${t.title}`, '', content);
}

export function renderResults(page: HelpPage, query: string, hits: KnowledgeHit[]): string {
  const t = TEXTS[page.locale];
  const list =
    hits.length === 0
      ? `<p>${t.nothing}</p>`
      : `<ul>${hits
          .map(
            (hit) =>
              `<li><a href="${articleUrl(page, hit.id)}">${escapeHtml(hit.title)}</a><p class="snippet">${escapeHtml(hit.snippet)}</p></li>`,
          )
          .join('')}</ul>`;
  const content = `<section aria-labelledby="results"><h2 id="results">${t.results}</h2>${list}<p><a href="${home(page)}">${t.back}</a></p></section>`;
  return layout(page, `${query} · ${t.title}`, query, content);
}

export function renderArticlePage(page: HelpPage, article: HelpArticle): string {
  const t = TEXTS[page.locale];
  const updated = new Date(article.updatedAt).toISOString().slice(0, 10);
  const content = `<section><p><a href="${home(page)}">← ${t.back}</a>${
    article.category ? ` · ${escapeHtml(article.category)}` : ''
  }</p><article><h2>${escapeHtml(article.title)}</h2>${article.html}<p class="snippet">${t.updated}: ${updated}</p></article></section>`;
  return layout(page, `${article.title} · ${t.title}`, '', content);
}
