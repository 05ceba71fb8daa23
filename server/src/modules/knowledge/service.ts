// The knowledge base: Markdown articles with categories, in Russian and English. Search is the
// package's retrieval (MiniSearch BM25 with an n-gram re-rank), over published articles, with the
// index kept per workspace until an article changes.
import { KnowledgeRetriever } from '@frontline/nlu';
import type {
  HelpArticle,
  HelpCategory,
  KnowledgeArticle,
  KnowledgeArticleInput,
  KnowledgeArticlePatch,
  KnowledgeFeedbackCount,
  KnowledgeHit,
  Locale,
} from '@frontline/protocol';
import {
  KnowledgeArticleInput as InputSchema,
  KnowledgeArticlePatch as PatchSchema,
} from '@frontline/protocol';
import { notFound } from '../../errors.js';
import { validInput } from '../intents/validate.js';
import { newId } from '../../storage/ids.js';
import { renderArticle } from './markdown.js';
import type { ArticleRow, KnowledgeRepo } from './repo.js';

const SNIPPET_CHARS = 280;

interface CachedIndex {
  stamp: string;
  articles: Map<string, ArticleRow>;
  retrievers: Map<string, KnowledgeRetriever>;
}

export class KnowledgeService {
  private readonly indexes = new Map<string, CachedIndex>();

  constructor(private readonly repo: KnowledgeRepo) {}

  async list(
    workspaceId: string,
    filter: { locale?: Locale | undefined; category?: string | undefined },
  ): Promise<KnowledgeArticle[]> {
    return (await this.repo.list(workspaceId, filter)).map(toArticle);
  }

  async get(workspaceId: string, id: string): Promise<KnowledgeArticle> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Article');
    return toArticle(row);
  }

  async create(
    workspaceId: string,
    authorId: string | null,
    input: KnowledgeArticleInput,
  ): Promise<KnowledgeArticle> {
    const parsed = validInput(InputSchema, input);
    const now = Date.now();
    const row: ArticleRow = {
      id: newId(),
      workspace_id: workspaceId,
      locale: parsed.locale,
      category: parsed.category,
      title: parsed.title,
      body: parsed.body,
      published: parsed.published ? 1 : 0,
      created_by: authorId,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(row);
    return toArticle(row);
  }

  async update(workspaceId: string, id: string, patch: KnowledgeArticlePatch): Promise<KnowledgeArticle> {
    const current = await this.get(workspaceId, id);
    const merged = validInput(InputSchema, { ...current, ...validInput(PatchSchema, patch) });
    // Two saves in one millisecond must still change the search index's stamp.
    const now = Math.max(Date.now(), current.updatedAt + 1);
    await this.repo.update(workspaceId, id, {
      ...merged,
      published: merged.published ? 1 : 0,
      updated_at: now,
    });
    return this.get(workspaceId, id);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(workspaceId, id))) throw notFound('Article');
  }

  /** Published articles that answer the query, best first; in one language when given. */
  async search(
    workspaceId: string,
    query: string,
    locale: Locale | undefined,
    limit: number,
  ): Promise<KnowledgeHit[]> {
    const index = await this.index(workspaceId);
    const retriever = this.retriever(index, locale);
    return retriever.search(query, limit).flatMap((match) => {
      const row = index.articles.get(match.id);
      return row ? [toHit(row, match.score)] : [];
    });
  }

  /**
   * The one article to answer with, or null when none is close enough: its n-gram similarity to
   * the question must pass `minSimilarity` (BM25 alone is relative, so it cannot say "confident").
   */
  async bestAnswer(
    workspaceId: string,
    query: string,
    locale: Locale,
    minSimilarity: number,
  ): Promise<(KnowledgeHit & { body: string }) | null> {
    const index = await this.index(workspaceId);
    const best = this.retriever(index, locale).search(query, 1)[0];
    const row = best ? index.articles.get(best.id) : undefined;
    if (!best || !row || best.similarity < minSimilarity) return null;
    return { ...toHit(row, best.score), body: row.body };
  }

  /** A published article rendered for visitors; a draft is as absent as a missing one. */
  async publishedArticle(workspaceId: string, id: string): Promise<HelpArticle> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row || row.published !== 1) throw notFound('Article');
    return { ...headOf(row), html: renderArticle(row.body), updatedAt: row.updated_at };
  }

  /** The published articles' categories with their titles; uncategorised ones under "". */
  async categories(workspaceId: string, locale: Locale | undefined): Promise<HelpCategory[]> {
    const rows = await this.repo.list(workspaceId, { locale, publishedOnly: true });
    const byName = new Map<string, HelpCategory>();
    for (const row of rows) {
      let category = byName.get(row.category);
      if (!category) {
        category = { name: row.category, articles: [] };
        byName.set(row.category, category);
      }
      category.articles.push({ id: row.id, title: row.title });
    }
    return [...byName.values()];
  }

  /** Remembers that `messageId` answered with `articleId`, for its "did this help?" buttons. */
  recordAnswer(workspaceId: string, conversationId: string, messageId: string, articleId: string) {
    return this.repo.insertAnswer({
      message_id: messageId,
      workspace_id: workspaceId,
      conversation_id: conversationId,
      article_id: articleId,
      helpful: null,
      judged_at: null,
      created_at: Date.now(),
    });
  }

  /** The visitor's press on an answer's buttons; false for an unknown answer or a second press. */
  judgeAnswer(workspaceId: string, conversationId: string, messageId: string, helpful: boolean) {
    return this.repo.judgeAnswer(workspaceId, conversationId, messageId, helpful, Date.now());
  }

  async feedbackCounts(workspaceId: string): Promise<KnowledgeFeedbackCount[]> {
    return (await this.repo.feedbackCounts(workspaceId)).map((row) => ({
      articleId: row.article_id,
      answered: Number(row.answered),
      helpful: Number(row.helpful),
      notHelpful: Number(row.not_helpful),
    }));
  }

  private async index(workspaceId: string): Promise<CachedIndex> {
    const stamp = await this.repo.stamp(workspaceId);
    const cached = this.indexes.get(workspaceId);
    if (cached?.stamp === stamp) return cached;
    const rows = await this.repo.list(workspaceId, { publishedOnly: true });
    const fresh: CachedIndex = {
      stamp,
      articles: new Map(rows.map((r) => [r.id, r])),
      retrievers: new Map(),
    };
    this.indexes.set(workspaceId, fresh);
    return fresh;
  }

  private retriever(index: CachedIndex, locale: Locale | undefined): KnowledgeRetriever {
    const key = locale ?? '*';
    let retriever = index.retrievers.get(key);
    if (!retriever) {
      const documents = [...index.articles.values()]
        .filter((row) => !locale || row.locale === locale)
        .map((row) => ({ id: row.id, title: row.title, body: plainText(row.body) }));
      retriever = new KnowledgeRetriever(documents);
      index.retrievers.set(key, retriever);
    }
    return retriever;
  }
}

/** Markdown reduced to its words: headings, emphasis, links' targets and code fences dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function snippetOf(markdown: string, chars = SNIPPET_CHARS): string {
  const text = plainText(markdown);
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > chars / 2 ? lastSpace : chars)}…`;
}

/** What every view of an article starts with. */
function headOf(row: ArticleRow): Pick<KnowledgeArticle, 'id' | 'locale' | 'category' | 'title'> {
  return { id: row.id, locale: row.locale as Locale, category: row.category, title: row.title };
}

function toHit(row: ArticleRow, score: number): KnowledgeHit {
  return { ...headOf(row), snippet: snippetOf(row.body), score };
}

function toArticle(row: ArticleRow): KnowledgeArticle {
  return {
    ...headOf(row),
    body: row.body,
    published: row.published === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
