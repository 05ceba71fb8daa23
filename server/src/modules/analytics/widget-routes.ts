// HTTP routes of the live-monitoring widgets: supervisors and admins read and compose them.
import { z } from 'zod';
import { Id, MonitorWidget, NoContent, WidgetInput, WidgetTables } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { AnalyticsService } from './service.js';

const tags = ['analytics'];
const ById = z.object({ id: Id });

export function widgetRoutes(app: HttpApp, auth: AuthService, service: AnalyticsService): void {
  const read = requireStaff(auth, { roles: ['admin', 'supervisor'], scope: 'reports:read' });
  const compose = requireStaff(auth, { roles: ['admin', 'supervisor'] });
  const workspaceOf = (request: Parameters<typeof staffOf>[0]) => staffOf(request).workspaceId;

  app.get('/api/analytics/widgets', {
    schema: {
      tags,
      summary: 'The live-monitoring widgets, each as a table of group → value with each cell’s state',
      response: { 200: WidgetTables },
    },
    preHandler: read,
    handler: (request) => service.widgets(workspaceOf(request)),
  });

  app.post('/api/analytics/widgets', {
    schema: {
      tags,
      summary: 'Add a widget: metric, grouping, window and warning/alert thresholds (supervisors, admins)',
      body: WidgetInput,
      response: { 201: MonitorWidget },
    },
    preHandler: compose,
    handler: async (request, reply) =>
      reply.code(201).send(await service.addWidget(workspaceOf(request), request.body)),
  });

  app.put('/api/analytics/widgets/:id', {
    schema: {
      tags,
      summary: 'Change a widget (supervisors, admins)',
      params: ById,
      body: WidgetInput,
      response: { 200: MonitorWidget },
    },
    preHandler: compose,
    handler: (request) => service.updateWidget(workspaceOf(request), request.params.id, request.body),
  });

  app.delete('/api/analytics/widgets/:id', {
    schema: {
      tags,
      summary: 'Remove a widget (supervisors, admins)',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: compose,
    handler: async (request, reply) => {
      await service.removeWidget(workspaceOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
