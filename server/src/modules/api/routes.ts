// Public-API routes that the workspace app does not need: an operator's presence set by an
// integration (a workforce or telephony system).
import { z } from 'zod';
import { Id, OperatorLoad, SetPresenceRequest } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toOperatorLoad, type OperatorService } from '../operators/service.js';
import type { RoutingService } from '../routing/service.js';

export function publicApiRoutes(
  app: HttpApp,
  auth: AuthService,
  deps: { operators: OperatorService; routing: RoutingService },
): void {
  app.put('/api/users/:id/presence', {
    schema: {
      tags: ['routing'],
      summary: "Set an operator's presence (online, away, offline)",
      params: z.object({ id: Id }),
      body: SetPresenceRequest,
      response: { 200: OperatorLoad },
    },
    preHandler: requireStaff(auth, { roles: ['admin', 'supervisor'], scope: 'operators:write' }),
    handler: async (request) => {
      const workspaceId = staffOf(request).workspaceId;
      await deps.operators.get(workspaceId, request.params.id);
      await deps.routing.setPresence(workspaceId, request.params.id, request.body.presence);
      return toOperatorLoad(await deps.operators.get(workspaceId, request.params.id));
    },
  });
}
