// Channel accounts for admins (secrets are write-only), the delivery state of replies for
// operators, and the public webhook endpoints providers call. Webhook bodies are kept as raw bytes
// (signatures are over the exact bytes) by a content-type parser scoped to those routes.
import { z } from 'zod';
import {
  ChannelAccount,
  ChannelAccountInput,
  ChannelAccountPatch,
  ChannelDelivery,
  ChannelTestResult,
  Id,
  NoContent,
} from '@frontline/protocol';
import type { HttpApp } from '../../../http.js';
import { requireStaff, staffOf } from '../../auth/guards.js';
import type { AuthService } from '../../auth/service.js';
import type { ConversationService } from '../../conversations/service.js';
import type { ChannelService } from './service.js';

const ById = z.object({ id: Id });
const tags = ['channels'];
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export function channelRoutes(
  app: HttpApp,
  auth: AuthService,
  service: ChannelService,
  conversations: ConversationService,
): void {
  const admin = requireStaff(auth, { roles: ['admin'] });
  const staff = requireStaff(auth, { scope: 'conversations:read' });
  const workspaceOf = (request: Parameters<typeof staffOf>[0]) => staffOf(request).workspaceId;

  app.get('/api/channels', {
    schema: {
      tags,
      summary: 'Connected messenger and e-mail channels',
      response: { 200: z.array(ChannelAccount) },
    },
    preHandler: admin,
    handler: (request) => service.list(workspaceOf(request)),
  });

  app.post('/api/channels', {
    schema: {
      tags,
      summary: 'Connect a channel',
      body: ChannelAccountInput,
      response: { 201: ChannelAccount },
    },
    preHandler: admin,
    handler: async (request, reply) =>
      reply.code(201).send(await service.create(workspaceOf(request), request.body)),
  });

  app.patch('/api/channels/:id', {
    schema: {
      tags,
      summary: 'Change a channel (secrets are merged; an empty value removes one)',
      params: ById,
      body: ChannelAccountPatch,
      response: { 200: ChannelAccount },
    },
    preHandler: admin,
    handler: (request) => service.update(workspaceOf(request), request.params.id, request.body),
  });

  app.delete('/api/channels/:id', {
    schema: { tags, summary: 'Disconnect and remove a channel', params: ById, response: { 204: NoContent } },
    preHandler: admin,
    handler: async (request, reply) => {
      await service.remove(workspaceOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/channels/:id/test', {
    schema: {
      tags,
      summary: 'Test the connection (and register the webhook where the provider allows)',
      params: ById,
      response: { 200: ChannelTestResult },
    },
    preHandler: admin,
    handler: (request) => service.test(workspaceOf(request), request.params.id),
  });

  app.get('/api/conversations/:id/channel-deliveries', {
    schema: {
      tags,
      summary: 'Delivery state of the replies sent through a messenger channel',
      params: ById,
      response: { 200: z.array(ChannelDelivery) },
    },
    preHandler: staff,
    handler: async (request) => {
      const principal = staffOf(request);
      await conversations.get(principal, request.params.id);
      return service.deliveries(principal.workspaceId, request.params.id);
    },
  });

  void app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    const Params = z.object({ kind: z.string().max(20), key: z.string().max(100) });
    const handler = async (
      request: {
        method: string;
        headers: Record<string, string | string[] | undefined>;
        query: unknown;
        params: unknown;
        body: unknown;
      },
      reply: { code(n: number): { type(t: string): { send(b: string): unknown } } },
    ) => {
      const { kind, key } = Params.parse(request.params);
      const answer = await service.webhook(kind, key, {
        method: request.method,
        headers: request.headers,
        query: (request.query ?? {}) as Record<string, string | undefined>,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      });
      return reply
        .code(answer.status)
        .type(answer.contentType ?? 'text/plain')
        .send(answer.body);
    };
    hooks.get('/channels/:kind/:key', { schema: { hide: true } }, handler);
    hooks.post('/channels/:kind/:key', { schema: { hide: true } }, handler);
  });
}
