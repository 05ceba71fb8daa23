// Route guards: establish who is calling and refuse what their role or token scope does not allow.
// Operators authenticate with the session cookie and must echo the CSRF token on every write;
// integrations send `Authorization: Bearer flt_...`; widget visitors send their visitor token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VISITOR_TOKEN_HEADER, type ApiScope, type UserRole } from '@frontline/protocol';
import { AppError, forbidden } from '../../errors.js';
import type { Principal, StaffPrincipal, VisitorPrincipal } from './principal.js';
import { safeEqual } from './secrets.js';
import type { AuthService } from './service.js';

export const SESSION_COOKIE = 'fl_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface StaffRule {
  /** Operator roles allowed; all roles when absent. */
  roles?: readonly UserRole[];
  /** The API-token scope that grants this route; API tokens are refused when absent. */
  scope?: ApiScope;
}

export type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** The rule a route's guard enforces, readable from the route (the OpenAPI description and the audit log use it). */
export const STAFF_RULE = Symbol('staffRule');
export type GuardedPreHandler = PreHandler & { [STAFF_RULE]?: StaffRule };

export function requireStaff(auth: AuthService, rule: StaffRule = {}): GuardedPreHandler {
  const guard: GuardedPreHandler = async (request) => {
    const principal = await authenticateStaff(auth, request);
    if (principal.kind === 'api') {
      if (!rule.scope) throw forbidden('API tokens cannot use this endpoint; log in as an operator');
      if (!principal.scopes.includes(rule.scope))
        throw forbidden(`This API token lacks the scope "${rule.scope}"`);
    } else if (rule.roles && !rule.roles.includes(principal.role)) {
      throw forbidden(`Only ${rule.roles.join(' or ')} may do this`);
    }
    request.principal = principal;
  };
  guard[STAFF_RULE] = rule;
  return guard;
}

export function requireVisitor(auth: AuthService): PreHandler {
  return async (request) => {
    const token = request.headers[VISITOR_TOKEN_HEADER];
    if (typeof token !== 'string' || token === '') {
      throw new AppError('unauthorized', `Send the visitor token in the ${VISITOR_TOKEN_HEADER} header`);
    }
    request.principal = await auth.visitorFromToken(token);
  };
}

async function authenticateStaff(auth: AuthService, request: FastifyRequest): Promise<StaffPrincipal> {
  // The public API's policy hook may have authenticated the token already (rate limits, idempotency).
  if (request.principal?.kind === 'api') return request.principal;
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) {
    const api = await auth.apiFromToken(bearer);
    if (!api) throw new AppError('unauthorized', 'The API token is unknown or revoked');
    return api;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  const operator = cookie ? await auth.operatorFromSessionToken(cookie) : undefined;
  if (!operator) throw new AppError('unauthorized', 'Log in first (the session is missing or has expired)');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, operator.csrfToken)) {
      throw new AppError('csrf_invalid', `Send the session's CSRF token in the ${CSRF_HEADER} header`);
    }
  }
  return operator;
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  const p = request.principal;
  if (!p || p.kind === 'visitor') throw new AppError('unauthorized', 'Log in first');
  return p;
}

export function operatorOf(request: FastifyRequest) {
  const p = request.principal;
  if (!p || p.kind !== 'operator') throw new AppError('unauthorized', 'Log in as an operator first');
  return p;
}

export function visitorOf(request: FastifyRequest): VisitorPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'visitor') throw new AppError('unauthorized', 'Start a widget session first');
  return p;
}
