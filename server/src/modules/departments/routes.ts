// Departments: everyone reads them; admins and supervisors set them up.
import { z } from 'zod';
import { Department, DepartmentInput, DepartmentPatch, Id } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { DepartmentService } from './service.js';

const tags = ['departments'];

export function departmentRoutes(app: HttpApp, auth: AuthService, service: DepartmentService): void {
  const manage = requireStaff(auth, { roles: ['admin', 'supervisor'], scope: 'departments:write' });
  app.get('/api/departments', {
    schema: { tags, summary: 'Departments (queues and lines)', response: { 200: z.array(Department) } },
    preHandler: requireStaff(auth, { scope: 'conversations:read' }),
    handler: (request) => service.list(staffOf(request).workspaceId),
  });
  app.post('/api/departments', {
    schema: { tags, summary: 'Create a department', body: DepartmentInput, response: { 201: Department } },
    preHandler: manage,
    handler: async (request, reply) =>
      reply.code(201).send(await service.create(staffOf(request).workspaceId, request.body)),
  });
  app.patch('/api/departments/:id', {
    schema: {
      tags,
      summary: 'Change a department',
      params: z.object({ id: Id }),
      body: DepartmentPatch,
      response: { 200: Department },
    },
    preHandler: manage,
    handler: (request) => service.update(staffOf(request).workspaceId, request.params.id, request.body),
  });
}
