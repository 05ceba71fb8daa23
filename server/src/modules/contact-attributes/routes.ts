// Contact attribute definitions: everyone reads them (the visitor panel shows labels and types);
// admins define them.
import { z } from 'zod';
import {
  ContactAttributeDefinition,
  ContactAttributeInput,
  ContactAttributePatch,
  Id,
  NoContent,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { ContactAttributeService } from './service.js';

const ById = z.object({ id: Id });
const tags = ['contacts'];

export function contactAttributeRoutes(app: HttpApp, auth: AuthService, service: ContactAttributeService) {
  const manage = requireStaff(auth, { roles: ['admin'], scope: 'settings:write' });
  app.get('/api/contact-attributes', {
    schema: {
      tags,
      summary: 'Typed contact attributes the admins defined',
      response: { 200: z.array(ContactAttributeDefinition) },
    },
    preHandler: requireStaff(auth, { scope: 'contacts:read' }),
    handler: (request) => service.list(staffOf(request).workspaceId),
  });
  app.post('/api/contact-attributes', {
    schema: {
      tags,
      summary: 'Define a contact attribute',
      body: ContactAttributeInput,
      response: { 201: ContactAttributeDefinition },
    },
    preHandler: manage,
    handler: async (request, reply) =>
      reply.code(201).send(await service.create(staffOf(request).workspaceId, request.body)),
  });
  app.patch('/api/contact-attributes/:id', {
    schema: {
      tags,
      summary: "Change an attribute's label or choices",
      params: ById,
      body: ContactAttributePatch,
      response: { 200: ContactAttributeDefinition },
    },
    preHandler: manage,
    handler: (request) => service.update(staffOf(request).workspaceId, request.params.id, request.body),
  });
  app.delete('/api/contact-attributes/:id', {
    schema: {
      tags,
      summary: 'Remove an attribute definition (stored values stay, untyped)',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: manage,
    handler: async (request, reply) => {
      await service.delete(staffOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
