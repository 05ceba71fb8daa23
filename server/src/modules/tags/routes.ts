// HTTP routes of tags: a conversation's tags, tagging and untagging, and the tags in use.
import { z } from 'zod';
import { ConversationTags, Id, TagName, TagRequest, TagUsage } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { TagService } from './service.js';

const tags = ['tags'];
const ById = z.object({ id: Id });

export function tagRoutes(app: HttpApp, auth: AuthService, service: TagService): void {
  const read = requireStaff(auth, { scope: 'conversations:read' });
  const write = requireStaff(auth, { scope: 'conversations:write' });

  app.get('/api/tags', {
    schema: {
      tags,
      summary: 'Tags in use in the workspace, most used first',
      querystring: z.object({ prefix: z.string().max(50).optional() }),
      response: { 200: z.array(TagUsage) },
    },
    preHandler: read,
    handler: (request) => service.usage(staffOf(request).workspaceId, request.query.prefix),
  });

  app.get('/api/conversations/:id/tags', {
    schema: { tags, summary: "A conversation's tags", params: ById, response: { 200: ConversationTags } },
    preHandler: read,
    handler: (request) => service.list(staffOf(request), request.params.id),
  });

  app.post('/api/conversations/:id/tags', {
    schema: {
      tags,
      summary: 'Tag a conversation (lowercased; tagging twice changes nothing)',
      params: ById,
      body: TagRequest,
      response: { 200: ConversationTags },
    },
    preHandler: write,
    handler: (request) => service.add(staffOf(request), request.params.id, request.body.tag),
  });

  app.delete('/api/conversations/:id/tags/:tag', {
    schema: {
      tags,
      summary: 'Remove a tag from a conversation',
      params: z.object({ id: Id, tag: TagName }),
      response: { 200: ConversationTags },
    },
    preHandler: write,
    handler: (request) => service.remove(staffOf(request), request.params.id, request.params.tag),
  });
}
