// The workspace's own settings (admins).
import { UpdateWorkspaceRequest, WorkspaceInfo } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { toWorkspaceInfo, type WorkspaceService } from './service.js';

const tags = ['workspace'];

export function workspaceRoutes(app: HttpApp, auth: AuthService, service: WorkspaceService): void {
  app.get('/api/workspace', {
    schema: { tags, summary: 'Workspace settings', response: { 200: WorkspaceInfo } },
    preHandler: requireStaff(auth),
    handler: async (request) => toWorkspaceInfo(await service.get(operatorOf(request).workspaceId)),
  });

  app.patch('/api/workspace', {
    schema: {
      tags,
      summary: 'Change workspace settings, such as the sites allowed to embed the widget',
      body: UpdateWorkspaceRequest,
      response: { 200: WorkspaceInfo },
    },
    preHandler: requireStaff(auth, { roles: ['admin'] }),
    handler: async (request) =>
      toWorkspaceInfo(await service.update(operatorOf(request).workspaceId, request.body)),
  });
}
