// HTTP routes of the team page: who is on the team (admins and supervisors), inviting and changing
// people (admins).
import { z } from 'zod';
import { Id, InviteRequest, InvitedMember, TeamMember, TeamMemberPatch } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { TeamService } from './service.js';

const tags = ['team'];

export function teamRoutes(app: HttpApp, auth: AuthService, service: TeamService): void {
  const admin = requireStaff(auth, { roles: ['admin'] });

  app.get('/api/team', {
    schema: {
      tags,
      summary: 'People of the workspace with role, capacity, presence and departments',
      response: { 200: z.array(TeamMember) },
    },
    preHandler: requireStaff(auth, { roles: ['admin', 'supervisor'] }),
    handler: (request) => service.list(operatorOf(request).workspaceId),
  });

  app.post('/api/team', {
    schema: {
      tags,
      summary: 'Invite a person: the answer carries their first password, shown once (admins)',
      body: InviteRequest,
      response: { 201: InvitedMember },
    },
    preHandler: admin,
    handler: async (request, reply) =>
      reply.code(201).send(await service.invite(operatorOf(request), request.body)),
  });

  app.patch('/api/team/:id', {
    schema: {
      tags,
      summary: "Change a person's name, role, capacity, departments, or disable the account (admins)",
      params: z.object({ id: Id }),
      body: TeamMemberPatch,
      response: { 200: TeamMember },
    },
    preHandler: admin,
    handler: (request) => service.update(operatorOf(request), request.params.id, request.body),
  });
}
