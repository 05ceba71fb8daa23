// HTTP routes of bot flows: admins and supervisors edit drafts, validate, publish and try them in
// the simulator; operators read them (to see which bot holds a conversation).
import { z } from 'zod';
import {
  BotFlow,
  BotFlowInput,
  BotFlowList,
  BotFlowStats,
  BotSecret,
  BotSecretInput,
  BotSecretList,
  BotSecretName,
  FlowGraph,
  FlowSimulationRequest,
  FlowSimulationResult,
  FlowValidation,
  Id,
  NoContent,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { BotService } from './service.js';

const tags = ['bots'];
const ById = z.object({ id: Id });

export function botRoutes(app: HttpApp, auth: AuthService, service: BotService): void {
  const read = requireStaff(auth);
  const manage = requireStaff(auth, { roles: ['admin', 'supervisor'] });

  app.get('/api/bot-flows', {
    schema: { tags, summary: 'Bot flows of the workspace', response: { 200: BotFlowList } },
    preHandler: read,
    handler: async (request) => ({ items: await service.list(staffOf(request).workspaceId) }),
  });
  app.get('/api/bot-flows/:id', {
    schema: { tags, summary: 'A bot flow with its draft graph', params: ById, response: { 200: BotFlow } },
    preHandler: read,
    handler: (request) => service.get(staffOf(request).workspaceId, request.params.id),
  });
  app.get('/api/bot-flows/:id/stats', {
    schema: {
      tags,
      summary:
        "A flow's figures: runs, containment, hand-offs by reason, take-overs, visits and drop-off per node",
      params: ById,
      response: { 200: BotFlowStats },
    },
    preHandler: read,
    handler: (request) => service.stats(staffOf(request).workspaceId, request.params.id),
  });
  app.post('/api/bot-flows', {
    schema: {
      tags,
      summary: 'Create a flow (a draft until published)',
      body: BotFlowInput,
      response: { 201: BotFlow },
    },
    preHandler: manage,
    handler: async (request, reply) =>
      reply.code(201).send(await service.create(staffOf(request).workspaceId, request.body)),
  });
  app.put('/api/bot-flows/:id', {
    schema: {
      tags,
      summary: "Save a flow's draft",
      params: ById,
      body: BotFlowInput,
      response: { 200: BotFlow },
    },
    preHandler: manage,
    handler: (request) => service.update(staffOf(request).workspaceId, request.params.id, request.body),
  });
  app.delete('/api/bot-flows/:id', {
    schema: {
      tags,
      summary: 'Delete a flow (refused while conversations are under way in it)',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: manage,
    handler: async (request, reply) => {
      await service.remove(staffOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
  app.post('/api/bot-flows/validate', {
    schema: {
      tags,
      summary:
        'Check a graph: edges to nowhere, unreachable nodes, unknown variables and intents, loops that never wait',
      body: z.object({ graph: FlowGraph }),
      response: { 200: FlowValidation },
    },
    preHandler: manage,
    handler: async (request) => {
      const problems = await service.validate(staffOf(request).workspaceId, request.body.graph);
      return { ok: problems.length === 0, problems };
    },
  });
  app.post('/api/bot-flows/:id/publish', {
    schema: {
      tags,
      summary: 'Publish the draft as the next version',
      params: ById,
      response: { 200: BotFlow },
    },
    preHandler: manage,
    handler: (request) => service.publish(staffOf(request), request.params.id),
  });
  app.post('/api/bot-flows/:id/simulate', {
    schema: {
      tags,
      summary: 'Run the draft with the given visitor inputs (no conversation is touched)',
      params: ById,
      body: FlowSimulationRequest,
      response: { 200: FlowSimulationResult },
    },
    preHandler: manage,
    handler: (request) => service.simulate(staffOf(request).workspaceId, request.params.id, request.body),
  });

  // Secrets are written by admins only: they open doors into other systems.
  const admin = requireStaff(auth, { roles: ['admin'] });
  const ByName = z.object({ name: BotSecretName });
  app.get('/api/bot-secrets', {
    schema: {
      tags,
      summary: "Names of the workspace's bot secrets (values are never returned)",
      response: { 200: BotSecretList },
    },
    preHandler: admin,
    handler: async (request) => ({ items: await service.listSecrets(staffOf(request).workspaceId) }),
  });
  app.put('/api/bot-secrets/:name', {
    schema: {
      tags,
      summary: 'Add or replace a bot secret, used in HTTP actions as {{secrets.NAME}}',
      params: ByName,
      body: BotSecretInput,
      response: { 200: BotSecret },
    },
    preHandler: admin,
    handler: (request) =>
      service.putSecret(staffOf(request).workspaceId, request.params.name, request.body.value),
  });
  app.delete('/api/bot-secrets/:name', {
    schema: { tags, summary: 'Delete a bot secret', params: ByName, response: { 204: NoContent } },
    preHandler: admin,
    handler: async (request, reply) => {
      await service.deleteSecret(staffOf(request).workspaceId, request.params.name);
      return reply.code(204).send(null);
    },
  });
}
