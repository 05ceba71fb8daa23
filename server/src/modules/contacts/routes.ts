// HTTP routes of contacts.
import { z } from 'zod';
import { Contact, ContactListQuery, Id, UpdateContactRequest, pageOf } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toContact, type ContactService } from './service.js';

const ById = z.object({ id: Id });
const tags = ['contacts'];

export function contactRoutes(app: HttpApp, auth: AuthService, service: ContactService): void {
  app.get('/api/contacts', {
    schema: {
      tags,
      summary: 'List contacts, newest first; q searches name, e-mail and phone',
      querystring: ContactListQuery,
      response: { 200: pageOf(Contact) },
    },
    preHandler: requireStaff(auth, { scope: 'contacts:read' }),
    handler: (request) => service.list(staffOf(request).workspaceId, request.query),
  });

  app.get('/api/contacts/:id', {
    schema: { tags, summary: 'One contact', params: ById, response: { 200: Contact } },
    preHandler: requireStaff(auth, { scope: 'contacts:read' }),
    handler: async (request) => toContact(await service.get(staffOf(request).workspaceId, request.params.id)),
  });

  app.patch('/api/contacts/:id', {
    schema: {
      tags,
      summary: 'Change a contact',
      params: ById,
      body: UpdateContactRequest,
      response: { 200: Contact },
    },
    preHandler: requireStaff(auth, { scope: 'contacts:write' }),
    handler: async (request) =>
      toContact(await service.update(staffOf(request).workspaceId, request.params.id, request.body)),
  });
}
