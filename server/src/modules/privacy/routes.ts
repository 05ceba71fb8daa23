// Export and erasure of a contact's data, and the workspace's retention period.
import { z } from 'zod';
import {
  ContactExport,
  ErasureResult,
  Id,
  RetentionSettings,
  RetentionSettingsInput,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { PrivacyService } from './service.js';

const ById = z.object({ id: Id });

export function privacyRoutes(app: HttpApp, auth: AuthService, service: PrivacyService): void {
  app.get('/api/contacts/:id/export', {
    schema: {
      tags: ['data protection'],
      summary: 'Everything stored about a contact, as JSON (subject access request)',
      params: ById,
      response: { 200: ContactExport },
    },
    config: { audit: true },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'contacts:export' }),
    handler: (request) => service.exportContact(staffOf(request).workspaceId, request.params.id),
  });

  app.post('/api/contacts/:id/erase', {
    schema: {
      tags: ['data protection'],
      summary: "Erase a contact's personal data (messages redacted, analytics kept anonymous)",
      description:
        'Cannot be undone. The contact and every contact merged with it lose name, e-mail, phone, external id, attributes and visit data; their conversations keep their events (types, times, operators) but lose message texts, notes and files.',
      params: ById,
      response: { 200: ErasureResult },
    },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'contacts:erase' }),
    handler: (request) => service.eraseContact(staffOf(request).workspaceId, request.params.id),
  });

  const settings = requireStaff(auth, { roles: ['admin'], scope: 'settings:write' });
  app.get('/api/settings/retention', {
    schema: {
      tags: ['settings'],
      summary: 'How long resolved conversations are kept',
      response: { 200: RetentionSettings },
    },
    preHandler: settings,
    handler: (request) => service.retentionSettings(staffOf(request).workspaceId),
  });
  app.put('/api/settings/retention', {
    schema: {
      tags: ['settings'],
      summary: 'Set how long resolved conversations are kept (null: forever)',
      body: RetentionSettingsInput,
      response: { 200: RetentionSettings },
    },
    preHandler: settings,
    handler: (request) =>
      service.saveRetention(staffOf(request).workspaceId, request.body.resolvedConversationDays),
  });
}
