// Login, logout, the current session, and integration tokens.
import { z } from 'zod';
import {
  ApiToken,
  CreateApiTokenRequest,
  CreatedApiToken,
  Id,
  LoginRequest,
  NoContent,
  Session,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import type { OperatorService } from '../operators/service.js';
import { toUser } from '../operators/service.js';
import type { WorkspaceService } from '../workspaces/service.js';
import { toWorkspaceInfo } from '../workspaces/service.js';
import { SESSION_COOKIE, operatorOf, requireStaff } from './guards.js';
import type { OperatorPrincipal } from './principal.js';
import type { AuthService } from './service.js';

const tags = ['auth'];

export function authRoutes(
  app: HttpApp,
  auth: AuthService,
  operators: OperatorService,
  workspaces: WorkspaceService,
  options: { secureCookies: boolean; sessionTtlMs: number },
): void {
  const sessionOf = async (
    operator: Pick<OperatorPrincipal, 'workspaceId' | 'userId' | 'csrfToken'>,
  ): Promise<Session> => ({
    user: toUser(await operators.get(operator.workspaceId, operator.userId)),
    workspace: toWorkspaceInfo(await workspaces.get(operator.workspaceId)),
    csrfToken: operator.csrfToken,
  });

  app.post('/api/auth/login', {
    schema: {
      tags,
      summary: 'Log in; sets the session cookie and returns the CSRF token',
      body: LoginRequest,
      response: { 200: Session },
    },
    handler: async (request, reply) => {
      const { token, user, csrfToken } = await auth.login(
        request.body.email,
        request.body.password,
        request.ip,
      );
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/',
        maxAge: Math.floor(options.sessionTtlMs / 1000),
      });
      return sessionOf({ workspaceId: user.workspace_id, userId: user.id, csrfToken });
    },
  });

  app.get('/api/auth/session', {
    schema: { tags, summary: 'The current session (401 when logged out)', response: { 200: Session } },
    preHandler: requireStaff(auth),
    handler: (request) => sessionOf(operatorOf(request)),
  });

  app.post('/api/auth/logout', {
    schema: { tags, summary: 'Log out', response: { 204: NoContent } },
    preHandler: requireStaff(auth),
    handler: async (request, reply) => {
      await auth.logout(operatorOf(request).sessionId);
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send(null);
    },
  });

  const admin = requireStaff(auth, { roles: ['admin'] });
  app.get('/api/tokens', {
    schema: { tags, summary: 'API tokens of the workspace (admins)', response: { 200: z.array(ApiToken) } },
    preHandler: admin,
    handler: (request) => auth.listApiTokens(operatorOf(request).workspaceId),
  });
  app.post('/api/tokens', {
    schema: {
      tags,
      summary: 'Create an API token; its secret is shown only in this answer',
      body: CreateApiTokenRequest,
      response: { 201: CreatedApiToken },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      const operator = operatorOf(request);
      return reply
        .code(201)
        .send(await auth.createApiToken(operator.workspaceId, operator.userId, request.body));
    },
  });
  app.delete('/api/tokens/:id', {
    schema: {
      tags,
      summary: 'Revoke an API token',
      params: z.object({ id: Id }),
      response: { 204: NoContent },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      await auth.revokeApiToken(operatorOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
