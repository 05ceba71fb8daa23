// Creating contacts, identifying them by trusted identifiers, and merging two into one.
import { z } from 'zod';
import {
  Contact,
  CreateContactRequest,
  Id,
  IdentifyContactRequest,
  IdentifyContactResponse,
  MergeContactsRequest,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toContact, type ContactService } from '../contacts/service.js';
import type { IdentityService } from './service.js';

const tags = ['contacts'];

export function identityRoutes(
  app: HttpApp,
  auth: AuthService,
  service: IdentityService,
  contacts: ContactService,
): void {
  const write = requireStaff(auth, { scope: 'contacts:write' });

  app.post('/api/contacts', {
    schema: {
      tags,
      summary: 'Create a contact (its e-mail and phone count as unverified)',
      body: CreateContactRequest,
      response: { 201: Contact },
    },
    preHandler: write,
    handler: async (request, reply) =>
      reply.code(201).send(toContact(await contacts.create(staffOf(request).workspaceId, request.body))),
  });

  app.post('/api/contacts/identify', {
    schema: {
      tags,
      summary: 'Identify a contact by verified identifiers; contacts of the same person merge',
      description:
        'Give contactId to identify that contact, or leave it out to find (or make) the contact with these identifiers. E-mail and phone given here count as verified: any contact with the same verified e-mail or phone, or the same externalId, is merged into the oldest one with all its conversations. The answer is the surviving contact.',
      body: IdentifyContactRequest,
      response: { 200: IdentifyContactResponse },
    },
    preHandler: write,
    handler: (request) => service.identify(staffOf(request), request.body),
  });

  app.post('/api/contacts/:id/merge', {
    schema: {
      tags,
      summary: 'Merge another contact of the same person into this one, with all its history',
      params: z.object({ id: Id }),
      body: MergeContactsRequest,
      response: { 200: Contact },
    },
    preHandler: write,
    handler: (request) => service.merge(staffOf(request), request.params.id, request.body.sourceContactId),
  });
}
