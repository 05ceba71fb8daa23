// Reading the audit log (admins, or API tokens with audit:read).
import { AuditEntry, AuditQuery, pageOf } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { AuditService } from './service.js';

export function auditRoutes(app: HttpApp, auth: AuthService, service: AuditService): void {
  app.get('/api/audit-log', {
    schema: {
      tags: ['audit'],
      summary: 'Admin actions, newest first',
      querystring: AuditQuery,
      response: { 200: pageOf(AuditEntry) },
    },
    preHandler: requireStaff(auth, { roles: ['admin'], scope: 'audit:read' }),
    handler: (request) => service.list(staffOf(request).workspaceId, request.query),
  });
}
