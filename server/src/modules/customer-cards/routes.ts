// The customer card of a contact (operators, API tokens) and the lookup's settings (admins).
import { z } from 'zod';
import { CustomerCard, CustomerCardSettings, CustomerCardSettingsInput, Id } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { CustomerCardService } from './service.js';

export function customerCardRoutes(app: HttpApp, auth: AuthService, service: CustomerCardService) {
  app.get('/api/contacts/:id/card', {
    schema: {
      tags: ['contacts'],
      summary: "The contact's card from the CRM (pending while it is fetched: ask again)",
      params: z.object({ id: Id }),
      response: { 200: CustomerCard },
    },
    preHandler: requireStaff(auth, { scope: 'contacts:read' }),
    handler: (request) => service.card(staffOf(request).workspaceId, request.params.id),
  });

  app.post('/api/contacts/:id/card/refresh', {
    schema: {
      tags: ['contacts'],
      summary: 'Fetch the card again now',
      params: z.object({ id: Id }),
      response: { 202: CustomerCard },
    },
    preHandler: requireStaff(auth, { scope: 'contacts:read' }),
    handler: async (request, reply) => {
      const workspaceId = staffOf(request).workspaceId;
      const card = await service.card(workspaceId, request.params.id);
      if (card.status !== 'disabled' && card.status !== 'not_identified')
        await service.refresh(workspaceId, request.params.id);
      return reply.code(202).send(await service.card(workspaceId, request.params.id));
    },
  });

  app.get('/api/settings/customer-card', {
    schema: {
      tags: ['settings'],
      summary: 'The CRM lookup behind customer cards (secret header values are not shown)',
      response: { 200: CustomerCardSettings },
    },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'settings:write' }),
    handler: (request) => service.settings(staffOf(request).workspaceId),
  });

  app.put('/api/settings/customer-card', {
    schema: {
      tags: ['settings'],
      summary: 'Set up the CRM lookup behind customer cards',
      body: CustomerCardSettingsInput,
      response: { 200: CustomerCardSettings },
    },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'settings:write' }),
    handler: (request) => service.saveSettings(staffOf(request).workspaceId, request.body),
  });
}
