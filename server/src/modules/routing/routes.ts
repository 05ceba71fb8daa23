// Presence (operators set their own), capacity (supervisors), and the supervisor's live view of
// operators' load and the waiting line.
import { z } from 'zod';
import {
  Conversation,
  Id,
  OperatorLoad,
  QueueLoad,
  RoutingSettings,
  SetCapacityRequest,
  SetPresenceRequest,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toConversation, type ConversationService } from '../conversations/service.js';
import { toOperatorLoad, type OperatorService } from '../operators/service.js';
import type { RoutingService } from './service.js';
import type { RoutingSettingsRepo } from './settings.js';

const tags = ['routing'];
/** Enough for 400 operators at their usual load; the view is for people, not an export. */
const OVERVIEW_HELD_LIMIT = 2000;

export function routingRoutes(
  app: HttpApp,
  auth: AuthService,
  deps: {
    routing: RoutingService;
    operators: OperatorService;
    conversations: ConversationService;
    routingSettings: RoutingSettingsRepo;
  },
): void {
  const superviseOrToken = (scope: 'operators:read' | 'operators:write') =>
    requireStaff(auth, { roles: ['admin', 'supervisor'], scope });

  app.get('/api/me/presence', {
    schema: { tags, summary: 'My presence, capacity and current load', response: { 200: OperatorLoad } },
    preHandler: requireStaff(auth),
    handler: async (request) => {
      const me = operatorOf(request);
      return toOperatorLoad(await deps.operators.get(me.workspaceId, me.userId));
    },
  });

  app.put('/api/me/presence', {
    schema: {
      tags,
      summary: 'Go online, away or offline (routing offers conversations only to online operators)',
      body: SetPresenceRequest,
      response: { 200: OperatorLoad },
    },
    preHandler: requireStaff(auth),
    handler: async (request) => {
      const me = operatorOf(request);
      await deps.routing.setPresence(me.workspaceId, me.userId, request.body.presence);
      return toOperatorLoad(await deps.operators.get(me.workspaceId, me.userId));
    },
  });

  app.put('/api/users/:id/capacity', {
    schema: {
      tags,
      summary: 'How many conversations the operator handles at once',
      params: z.object({ id: Id }),
      body: SetCapacityRequest,
      response: { 200: OperatorLoad },
    },
    preHandler: superviseOrToken('operators:write'),
    handler: async (request) => {
      const workspaceId = staffOf(request).workspaceId;
      const row = await deps.operators.setCapacity(workspaceId, request.params.id, request.body.capacity);
      deps.routing.trigger(workspaceId);
      return toOperatorLoad(row);
    },
  });

  app.get('/api/routing/overview', {
    schema: {
      tags,
      summary:
        "Every queue (waiting, oldest wait, online operators and free slots), operators' presence and load, the waiting line in order, and the conversations operators hold",
      response: {
        200: z.object({
          operators: z.array(OperatorLoad),
          queues: z.array(QueueLoad),
          queue: z.array(Conversation),
          held: z.array(Conversation),
        }),
      },
    },
    preHandler: superviseOrToken('operators:read'),
    handler: async (request) => {
      const workspaceId = staffOf(request).workspaceId;
      const [operators, queue, held] = await Promise.all([
        deps.operators.list(workspaceId),
        deps.conversations.queued(workspaceId),
        deps.conversations.held(workspaceId, OVERVIEW_HELD_LIMIT),
      ]);
      return {
        operators: operators.map(toOperatorLoad),
        queues: await deps.routing.queueLoads(workspaceId, queue),
        queue: queue.map(toConversation),
        held: held.map(toConversation),
      };
    },
  });

  app.get('/api/routing/settings', {
    schema: {
      tags,
      summary: 'Auto-close of idle conversations and the window in which a visitor reopens one',
      response: { 200: RoutingSettings },
    },
    preHandler: superviseOrToken('operators:read'),
    handler: async (request) => deps.routingSettings.get(staffOf(request).workspaceId),
  });

  app.put('/api/routing/settings', {
    schema: {
      tags,
      summary:
        'Set auto-close (idleCloseMinutes, 0 never; a department may override it) and reopenWindowMinutes',
      body: RoutingSettings,
      response: { 200: RoutingSettings },
    },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'operators:write' }),
    handler: async (request) =>
      deps.routingSettings.put(staffOf(request).workspaceId, request.body, Date.now()),
  });
}
