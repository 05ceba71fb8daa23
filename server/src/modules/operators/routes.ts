// Operator accounts: the team list, adding people (admins), and one's own profile.
import { z } from 'zod';
import { CreateUserRequest, UpdateMeRequest, User } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toUser, type OperatorService } from './service.js';

const tags = ['operators'];

export function operatorRoutes(app: HttpApp, auth: AuthService, service: OperatorService): void {
  app.get('/api/users', {
    schema: { tags, summary: 'People of the workspace', response: { 200: z.array(User) } },
    preHandler: requireStaff(auth, { scope: 'operators:read' }),
    handler: async (request) => (await service.list(staffOf(request).workspaceId)).map(toUser),
  });

  app.post('/api/users', {
    schema: {
      tags,
      summary: 'Add an operator, supervisor or admin (admins)',
      body: CreateUserRequest,
      response: { 201: User },
    },
    preHandler: requireStaff(auth, { roles: ['admin'] }),
    handler: async (request, reply) =>
      reply.code(201).send(toUser(await service.create(operatorOf(request).workspaceId, request.body))),
  });

  app.patch('/api/me', {
    schema: {
      tags,
      summary: 'Change my name or interface language',
      body: UpdateMeRequest,
      response: { 200: User },
    },
    preHandler: requireStaff(auth),
    handler: async (request) => {
      const me = operatorOf(request);
      return toUser(await service.updateMe(me.workspaceId, me.userId, request.body));
    },
  });
}
