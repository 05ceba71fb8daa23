// HTTP routes of canned responses: every operator lists and searches them, admins keep them.
import { z } from 'zod';
import {
  CannedResponse,
  CannedResponseInput,
  CannedResponsePatch,
  CannedResponseQuery,
  Id,
  NoContent,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { CannedResponseService } from './service.js';

const tags = ['canned responses'];
const ById = z.object({ id: Id });

export function cannedResponseRoutes(app: HttpApp, auth: AuthService, service: CannedResponseService): void {
  const admin = requireStaff(auth, { roles: ['admin'] });

  app.get('/api/canned-responses', {
    schema: {
      tags,
      summary: 'Canned responses, shortcuts starting with q first; q searches shortcut, title and text',
      querystring: CannedResponseQuery,
      response: { 200: z.array(CannedResponse) },
    },
    preHandler: requireStaff(auth),
    handler: (request) => service.list(operatorOf(request).workspaceId, request.query),
  });

  app.post('/api/canned-responses', {
    schema: {
      tags,
      summary: 'Create a canned response (admins)',
      body: CannedResponseInput,
      response: { 201: CannedResponse },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      const me = operatorOf(request);
      return reply.code(201).send(await service.create(me.workspaceId, me.userId, request.body));
    },
  });

  app.patch('/api/canned-responses/:id', {
    schema: {
      tags,
      summary: 'Change a canned response (admins)',
      params: ById,
      body: CannedResponsePatch,
      response: { 200: CannedResponse },
    },
    preHandler: admin,
    handler: (request) => service.update(operatorOf(request).workspaceId, request.params.id, request.body),
  });

  app.delete('/api/canned-responses/:id', {
    schema: {
      tags,
      summary: 'Delete a canned response (admins)',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      await service.delete(operatorOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
