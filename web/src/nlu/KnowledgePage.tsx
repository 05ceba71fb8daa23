// The knowledge base (admins write, supervisors read): Markdown articles with a category and a
// language, published or kept as drafts, how visitors judged the bot's answers with each ("did
// this help?"), the public help centre's address, and a search box that finds what the bot would answer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  KnowledgeArticle,
  KnowledgeArticleInput,
  KnowledgeFeedbackCount,
  KnowledgeHit,
  Locale,
} from '@frontline/protocol';
import type { AdminPageProps } from '../admin/pages.js';
import { Checkbox } from '../admin/SettingsInputs.js';
import { AnswerDraftSettingsForm } from './AnswerDraftSettings.js';
import { AdminTable, ErrorLine, FormFooter, LocaleSelect, RowActions } from '../components/FormParts.js';
import {
  createArticle,
  deleteArticle,
  fetchArticles,
  fetchKnowledgeFeedback,
  nluKeys,
  searchArticles,
  updateArticle,
} from './api.js';
import './nlu.css';

export function KnowledgePage({ session }: AdminPageProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const isAdmin = session.user.role === 'admin';
  const articles = useQuery({ queryKey: nluKeys.articles, queryFn: fetchArticles });
  const feedback = useQuery({ queryKey: nluKeys.feedback, queryFn: fetchKnowledgeFeedback });
  const judged = new Map(feedback.data?.map((count) => [count.articleId, count]));
  const helpCentre = `${location.origin}/help/${encodeURIComponent(session.workspace.widgetKey)}`;
  const [editing, setEditing] = useState<KnowledgeArticle | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: deleteArticle,
    onSuccess: () => void queries.invalidateQueries({ queryKey: nluKeys.articles }),
  });
  return (
    <section aria-labelledby="knowledge-title" className="nlu-page">
      <div className="section-head">
        <h1 id="knowledge-title">{t('nlu.knowledge.title')}</h1>
        {isAdmin && (
          <button
            type="button"
            className="primary"
            data-testid="add-article"
            onClick={() => setEditing('new')}
          >
            {t('nlu.knowledge.add')}
          </button>
        )}
      </div>
      <p className="muted">{t('nlu.knowledge.hint')}</p>
      <p className="muted">
        {t('nlu.knowledge.helpCentre')}{' '}
        <a href={helpCentre} target="_blank" rel="noreferrer" data-testid="help-centre-link">
          {helpCentre}
        </a>
      </p>
      {editing && (
        <ArticleForm
          key={editing === 'new' ? 'new' : editing.id}
          article={editing === 'new' ? null : editing}
          defaultLocale={session.user.locale}
          onDone={() => setEditing(null)}
        />
      )}
      <ErrorLine error={articles.error ?? remove.error} />
      {articles.data?.length === 0 && <p className="muted">{t('nlu.knowledge.empty')}</p>}
      <AdminTable
        columns={[
          t('nlu.knowledge.titleField'),
          t('nlu.knowledge.category'),
          t('nlu.knowledge.locale'),
          t('nlu.knowledge.feedback'),
        ]}
      >
        {articles.data?.map((article) => (
          <tr key={article.id} data-testid="article-row">
            <td>
              {article.title}{' '}
              {!article.published && <span className="badge">{t('nlu.knowledge.draft')}</span>}
            </td>
            <td>{article.category}</td>
            <td>{t(`languages.${article.locale}`)}</td>
            <td data-testid="article-feedback">
              <FeedbackCounts count={judged.get(article.id)} />
            </td>
            <td>
              {isAdmin && (
                <RowActions onEdit={() => setEditing(article)} onDelete={() => remove.mutate(article.id)} />
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      <Search />
      {isAdmin && <AnswerDraftSettingsForm />}
    </section>
  );
}

function FeedbackCounts({ count }: { count: KnowledgeFeedbackCount | undefined }) {
  const { t } = useTranslation();
  if (!count) return <span className="muted">{t('nlu.knowledge.notAnswered')}</span>;
  return (
    <span title={t('nlu.knowledge.answered', { count: count.answered })}>
      {t('nlu.knowledge.judged', { helpful: count.helpful, notHelpful: count.notHelpful })}
    </span>
  );
}

function ArticleForm({
  article,
  defaultLocale,
  onDone,
}: {
  article: KnowledgeArticle | null;
  defaultLocale: Locale;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [input, setInput] = useState<Required<KnowledgeArticleInput>>(() => ({
    locale: article?.locale ?? defaultLocale,
    category: article?.category ?? '',
    title: article?.title ?? '',
    body: article?.body ?? '',
    published: article?.published ?? true,
  }));
  const change = (patch: Partial<KnowledgeArticleInput>) => setInput((current) => ({ ...current, ...patch }));
  const save = useMutation({
    mutationFn: () => (article ? updateArticle(article.id, input) : createArticle(input)),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: nluKeys.articles });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('nlu.knowledge.form')}>
      <label className="stack-field">
        <span>{t('nlu.knowledge.titleField')}</span>
        <input
          required
          name="title"
          maxLength={200}
          value={input.title}
          onChange={(e) => change({ title: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('nlu.knowledge.category')}</span>
        <input
          name="category"
          maxLength={80}
          value={input.category}
          onChange={(e) => change({ category: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('nlu.knowledge.body')}</span>
        <textarea
          required
          name="body"
          rows={10}
          spellCheck
          lang={input.locale}
          maxLength={50_000}
          value={input.body}
          onChange={(e) => change({ body: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('nlu.knowledge.locale')}</span>
        <LocaleSelect
          label={t('nlu.knowledge.locale')}
          value={input.locale}
          onChange={(locale) => change({ locale: locale || 'ru' })}
        />
      </label>
      <Checkbox
        label={t('nlu.knowledge.published')}
        checked={input.published}
        onChange={(published) => change({ published })}
      />
      <FormFooter error={save.error} pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

function Search() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [locale, setLocale] = useState<Locale | ''>('');
  const [asked, setAsked] = useState<{ q: string; locale: Locale | '' } | null>(null);
  const hits = useQuery({
    queryKey: nluKeys.search(asked?.q ?? '', asked?.locale ?? ''),
    queryFn: () => searchArticles(asked?.q ?? '', asked?.locale ?? ''),
    enabled: asked !== null,
  });
  return (
    <form
      className="admin-form"
      role="search"
      aria-label={t('nlu.knowledge.search')}
      onSubmit={(event) => {
        event.preventDefault();
        setAsked({ q: text, locale });
      }}
    >
      <h2>{t('nlu.knowledge.search')}</h2>
      <div className="nlu-search-row">
        <input
          required
          name="q"
          aria-label={t('nlu.knowledge.search')}
          maxLength={300}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <LocaleSelect
          label={t('nlu.knowledge.locale')}
          value={locale}
          onChange={setLocale}
          anyLabel={t('nlu.knowledge.all')}
        />
        <button type="submit">{t('nlu.knowledge.searchButton')}</button>
      </div>
      <ErrorLine error={hits.error} />
      {hits.data?.length === 0 && <p className="muted">{t('nlu.knowledge.noHits')}</p>}
      <ol className="knowledge-hits">
        {hits.data?.map((hit: KnowledgeHit) => (
          <li key={hit.id} data-testid="knowledge-hit">
            <strong>{hit.title}</strong> <span className="muted">{hit.category}</span>
            <p>{hit.snippet}</p>
          </li>
        ))}
      </ol>
    </form>
  );
}
