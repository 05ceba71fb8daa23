// HTTP routes of the knowledge base: every operator reads and searches it, admins write it.
import { z } from 'zod';
import {
  Id,
  NoContent,
  KnowledgeArticle,
  KnowledgeArticleInput,
  KnowledgeArticlePatch,
  KnowledgeFeedbackCount,
  KnowledgeHit,
  KnowledgeListQuery,
  KnowledgeSearchQuery,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { KnowledgeService } from './service.js';

const tags = ['knowledge base'];
const ById = z.object({ id: Id });

export function knowledgeRoutes(app: HttpApp, auth: AuthService, service: KnowledgeService): void {
  const admin = requireStaff(auth, { roles: ['admin'], scope: 'knowledge:write' });
  const staff = requireStaff(auth, { scope: 'knowledge:read' });

  app.get('/api/knowledge/articles', {
    schema: {
      tags,
      summary: 'Articles, by category and title; drafts included',
      querystring: KnowledgeListQuery,
      response: { 200: z.array(KnowledgeArticle) },
    },
    preHandler: staff,
    handler: (request) => service.list(staffOf(request).workspaceId, request.query),
  });

  app.get('/api/knowledge/search', {
    schema: {
      tags,
      summary: 'Published articles that answer a question, best first',
      querystring: KnowledgeSearchQuery,
      response: { 200: z.array(KnowledgeHit) },
    },
    preHandler: staff,
    handler: (request) =>
      service.search(
        staffOf(request).workspaceId,
        request.query.q,
        request.query.locale,
        request.query.limit,
      ),
  });

  app.get('/api/knowledge/feedback', {
    schema: {
      tags,
      summary: 'How visitors judged the articles the assistant answered with ("did this help?")',
      response: { 200: z.array(KnowledgeFeedbackCount) },
    },
    preHandler: staff,
    handler: (request) => service.feedbackCounts(staffOf(request).workspaceId),
  });

  app.get('/api/knowledge/articles/:id', {
    schema: { tags, summary: 'One article', params: ById, response: { 200: KnowledgeArticle } },
    preHandler: staff,
    handler: (request) => service.get(staffOf(request).workspaceId, request.params.id),
  });

  app.post('/api/knowledge/articles', {
    schema: {
      tags,
      summary: 'Write an article in Markdown (admins)',
      body: KnowledgeArticleInput,
      response: { 201: KnowledgeArticle },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      const me = staffOf(request);
      const author = me.kind === 'operator' ? me.userId : null;
      return reply.code(201).send(await service.create(me.workspaceId, author, request.body));
    },
  });

  app.patch('/api/knowledge/articles/:id', {
    schema: {
      tags,
      summary: 'Change an article (admins)',
      params: ById,
      body: KnowledgeArticlePatch,
      response: { 200: KnowledgeArticle },
    },
    preHandler: admin,
    handler: (request) => service.update(staffOf(request).workspaceId, request.params.id, request.body),
  });

  app.delete('/api/knowledge/articles/:id', {
    schema: { tags, summary: 'Delete an article (admins)', params: ById, response: { 204: NoContent } },
    preHandler: admin,
    handler: async (request, reply) => {
      await service.delete(staffOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
