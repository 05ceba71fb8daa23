// Socket handshakes. Operators: the session cookie, from a page of this server's own origin
// (cross-site pages cannot ride an operator's cookie). Visitors: their token, from the widget
// frame, embedded in a site the workspace allows.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import { AppError } from '../../errors.js';
import type { WorkspaceService } from '../workspaces/service.js';
import { isOriginAllowed } from '../workspaces/service.js';
import { SESSION_COOKIE } from './guards.js';
import type { OperatorPrincipal, VisitorPrincipal } from './principal.js';
import type { AuthService } from './service.js';

type Middleware = (socket: Socket, next: (error?: Error) => void) => void;

export interface SocketAuthOptions {
  publicUrl: string;
  parseCookie: (header: string) => Record<string, string | undefined>;
}

export function operatorHandshake(auth: AuthService, options: SocketAuthOptions): Middleware {
  return (socket, next) => {
    void (async () => {
      const request = socket.request;
      if (!isSameOrigin(request, options.publicUrl)) {
        throw new AppError(
          'origin_not_allowed',
          'Operator connections must come from the Frontline workspace page',
        );
      }
      const token = options.parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
      const principal = token ? await auth.operatorFromSessionToken(token) : undefined;
      if (!principal)
        throw new AppError('unauthorized', 'Log in first (the session is missing or has expired)');
      setPrincipal(socket, principal);
    })().then(
      () => next(),
      (error: unknown) => next(handshakeError(error)),
    );
  };
}

export function visitorHandshake(
  auth: AuthService,
  workspaces: WorkspaceService,
  options: SocketAuthOptions,
): Middleware {
  return (socket, next) => {
    void (async () => {
      const { visitorToken, hostOrigin } = socket.handshake.auth as Record<string, unknown>;
      if (typeof visitorToken !== 'string')
        throw new AppError('unauthorized', 'Send auth.visitorToken from a widget session');
      const principal = await auth.visitorFromToken(visitorToken);
      const workspace = await workspaces.get(principal.workspaceId);
      const origin = socket.request.headers.origin;
      const embeddingOrigin = typeof hostOrigin === 'string' ? hostOrigin : origin;
      if (origin && !isSameOrigin(socket.request, options.publicUrl) && !isOriginAllowed(workspace, origin)) {
        throw new AppError(
          'origin_not_allowed',
          `Origin ${origin} may not connect to this workspace's widget`,
        );
      }
      if (embeddingOrigin && !isOriginAllowed(workspace, embeddingOrigin)) {
        throw new AppError(
          'origin_not_allowed',
          `The widget is not allowed on ${embeddingOrigin}; add it in the admin`,
        );
      }
      setPrincipal(socket, principal);
    })().then(
      () => next(),
      (error: unknown) => next(handshakeError(error)),
    );
  };
}

export function principalOf<P extends OperatorPrincipal | VisitorPrincipal>(socket: Socket): P {
  return (socket.data as { principal: P }).principal;
}

function setPrincipal(socket: Socket, principal: OperatorPrincipal | VisitorPrincipal): void {
  (socket.data as { principal: typeof principal }).principal = principal;
}

/** Non-browser clients send no Origin; browsers always do on cross-origin WebSocket and XHR. */
function isSameOrigin(request: IncomingMessage, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (origin === new URL(publicUrl).origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Socket.IO passes `message` and `data` of a handshake error to the client's connect_error. */
function handshakeError(error: unknown): Error {
  const appError =
    error instanceof AppError ? error : new AppError('internal', 'The connection could not be set up');
  return Object.assign(new Error(appError.code), { data: appError.toBody() });
}
