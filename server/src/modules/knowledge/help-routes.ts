// The knowledge base as visitors see it, by the workspace's widget key and without signing in:
// the widget's search and article view (/api/help/...) and the public help-centre pages
// (/help/...). Only published articles are reachable; every request counts against the caller's
// address (RATE_LIMIT_HELP_PER_MINUTE), as anyone may call these.
import {
  HelpArticle,
  HelpCategory,
  HelpListQuery,
  HelpSearchQuery,
  Id,
  KnowledgeHit,
  Locale,
} from '@frontline/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../http.js';
import type { RateLimits } from '../../rate-limits.js';
import type { WorkspaceService } from '../workspaces/service.js';
import {
  HELP_CENTRE_CSP,
  renderArticlePage,
  renderHome,
  renderResults,
  type HelpPage,
} from './help-centre.js';
import type { KnowledgeService } from './service.js';

const tags = ['help centre'];
const ByKey = z.object({ key: z.string().min(1).max(100) });
const ByKeyAndId = ByKey.extend({ id: Id });
const PageQuery = z.object({
  q: z.string().trim().max(300).default(''),
  locale: Locale.optional(),
});
const HTML = 'text/html; charset=utf-8';
const PAGE_RESULTS = 20;

export function helpRoutes(
  app: HttpApp,
  deps: { knowledge: KnowledgeService; workspaces: WorkspaceService; rateLimits: RateLimits },
): void {
  const { knowledge, workspaces, rateLimits } = deps;
  const limited = async (request: FastifyRequest) => {
    await rateLimits.consume('help', `ip:${request.ip}`);
  };
  const workspaceOf = (key: string) => workspaces.findByWidgetKey(key);

  app.get('/api/help/:key/search', {
    schema: {
      tags,
      summary: 'Published articles that answer a question, best first',
      description: "The widget's search; locale is the visitor's language (both when omitted).",
      params: ByKey,
      querystring: HelpSearchQuery,
      response: { 200: z.array(KnowledgeHit) },
    },
    preHandler: limited,
    handler: async (request) => {
      const workspace = await workspaceOf(request.params.key);
      const { q, locale, limit } = request.query;
      return knowledge.search(workspace.id, q, locale, limit);
    },
  });

  app.get('/api/help/:key/categories', {
    schema: {
      tags,
      summary: 'Categories of published articles, with their titles',
      params: ByKey,
      querystring: HelpListQuery,
      response: { 200: z.array(HelpCategory) },
    },
    preHandler: limited,
    handler: async (request) => {
      const workspace = await workspaceOf(request.params.key);
      return knowledge.categories(workspace.id, request.query.locale);
    },
  });

  app.get('/api/help/:key/articles/:id', {
    schema: {
      tags,
      summary: 'One published article, its Markdown rendered to safe HTML',
      params: ByKeyAndId,
      response: { 200: HelpArticle },
    },
    preHandler: limited,
    handler: async (request) => {
      const workspace = await workspaceOf(request.params.key);
      return knowledge.publishedArticle(workspace.id, request.params.id);
    },
  });

  app.get('/help/:key', {
    schema: { hide: true, params: ByKey, querystring: PageQuery },
    preHandler: limited,
    handler: async (request, reply) => {
      const workspace = await workspaceOf(request.params.key);
      const page: HelpPage = {
        workspaceName: workspace.name,
        widgetKey: workspace.widget_key,
        locale: request.query.locale ?? (workspace.default_locale === 'en' ? 'en' : 'ru'),
      };
      const { q } = request.query;
      const html = q
        ? renderResults(page, q, await knowledge.search(workspace.id, q, page.locale, PAGE_RESULTS))
        : renderHome(page, await knowledge.categories(workspace.id, page.locale));
      return reply.type(HTML).header('content-security-policy', HELP_CENTRE_CSP).send(html);
    },
  });

  app.get('/help/:key/articles/:id', {
    schema: { hide: true, params: ByKeyAndId },
    preHandler: limited,
    handler: async (request, reply) => {
      const workspace = await workspaceOf(request.params.key);
      const article = await knowledge.publishedArticle(workspace.id, request.params.id);
      const page: HelpPage = {
        workspaceName: workspace.name,
        widgetKey: workspace.widget_key,
        locale: article.locale,
      };
      return reply
        .type(HTML)
        .header('content-security-policy', HELP_CENTRE_CSP)
        .send(renderArticlePage(page, article));
    },
  });
}
