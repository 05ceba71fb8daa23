// Webhook endpoints and their delivery log (admins, or API tokens with webhooks:* scopes).
import { z } from 'zod';
import {
  Id,
  NoContent,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
  pageOf,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { WebhookService } from './service.js';

const ById = z.object({ id: Id });
const tags = ['webhooks'];

export function webhookRoutes(app: HttpApp, auth: AuthService, service: WebhookService): void {
  const read = requireStaff(auth, { roles: ['admin'], scope: 'webhooks:read' });
  const write = requireStaff(auth, { roles: ['admin'], scope: 'webhooks:write' });
  const workspaceOf = (request: Parameters<typeof staffOf>[0]) => staffOf(request).workspaceId;

  app.get('/api/webhooks', {
    schema: { tags, summary: 'Webhook endpoints', response: { 200: z.array(WebhookEndpoint) } },
    preHandler: read,
    handler: (request) => service.listEndpoints(workspaceOf(request)),
  });

  app.post('/api/webhooks', {
    schema: {
      tags,
      summary: 'Add a webhook endpoint',
      description:
        'The answer carries the signing secret the receiver verifies with; it is shown only here (and on rotation).',
      body: WebhookEndpointInput,
      response: { 201: WebhookEndpointWithSecret },
    },
    preHandler: write,
    handler: async (request, reply) =>
      reply.code(201).send(await service.createEndpoint(workspaceOf(request), request.body)),
  });

  app.get('/api/webhooks/:id', {
    schema: { tags, summary: 'One webhook endpoint', params: ById, response: { 200: WebhookEndpoint } },
    preHandler: read,
    handler: (request) => service.endpoint(workspaceOf(request), request.params.id),
  });

  app.patch('/api/webhooks/:id', {
    schema: {
      tags,
      summary: 'Change a webhook endpoint',
      params: ById,
      body: WebhookEndpointPatch,
      response: { 200: WebhookEndpoint },
    },
    preHandler: write,
    handler: (request) => service.updateEndpoint(workspaceOf(request), request.params.id, request.body),
  });

  app.delete('/api/webhooks/:id', {
    schema: {
      tags,
      summary: 'Remove a webhook endpoint and its delivery log',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: write,
    handler: async (request, reply) => {
      await service.deleteEndpoint(workspaceOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/webhooks/:id/rotate-secret', {
    schema: {
      tags,
      summary: "Replace the endpoint's signing secret (the old one also signs for 24 h)",
      description: 'The answer carries the new secret; it is not shown again.',
      params: ById,
      response: { 200: WebhookEndpointWithSecret },
    },
    preHandler: write,
    handler: (request) => service.rotateSecret(workspaceOf(request), request.params.id),
  });

  app.post('/api/webhooks/:id/test', {
    schema: {
      tags,
      summary: 'Send a webhook.test event to the endpoint',
      params: ById,
      response: { 202: WebhookDelivery },
    },
    preHandler: write,
    handler: async (request, reply) =>
      reply.code(202).send(await service.sendTest(workspaceOf(request), request.params.id)),
  });

  app.get('/api/webhook-deliveries', {
    schema: {
      tags,
      summary: 'The delivery log, newest first',
      querystring: WebhookDeliveryQuery,
      response: { 200: pageOf(WebhookDelivery) },
    },
    preHandler: read,
    handler: (request) => service.deliveries(workspaceOf(request), request.query),
  });

  app.get('/api/webhook-deliveries/:id', {
    schema: {
      tags,
      summary: 'One delivery with its payload and every attempt',
      params: ById,
      response: { 200: WebhookDeliveryDetail },
    },
    preHandler: read,
    handler: (request) => service.deliveryDetail(workspaceOf(request), request.params.id),
  });

  app.post('/api/webhook-deliveries/:id/redeliver', {
    schema: {
      tags,
      summary: 'Send the event again now, with fresh attempts',
      params: ById,
      response: { 202: WebhookDelivery },
    },
    preHandler: write,
    handler: async (request, reply) =>
      reply.code(202).send(await service.redeliver(workspaceOf(request), request.params.id)),
  });
}
