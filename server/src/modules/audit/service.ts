// The audit log of admin actions. Every successful write to a route that needs an admin or
// supervisor role, and every route marked `config: { audit: true }`, is recorded by one hook with
// who, what (the route's summary), on what (its :id) and the request body with secrets hidden, so
// a new admin route is audited without a line of its own. Jobs record what they did themselves.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditEntry, AuditQuery } from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import { cursorStart, keysetPage } from '../../storage/pagination.js';
import { REPLAYED_HEADER } from '../api/policy.js';
import { STAFF_RULE, type GuardedPreHandler } from '../auth/guards.js';
import type { AuditRepo, AuditRow } from './repo.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Record every successful call of this route in the audit log (reads of personal data). */
    audit?: boolean;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HIDDEN_KEYS = /pass(word)?|secret|token|authorization|^value$/i;
const MAX_DATA_CHARS = 4000;
const Data = z.record(z.string(), z.unknown());

export interface AuditRecord {
  workspaceId: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  method?: string | null;
  route?: string | null;
  targetId?: string | null;
  statusCode?: number | null;
  data?: Record<string, unknown>;
  ip?: string | null;
}

export class AuditService {
  constructor(private readonly repo: AuditRepo) {}

  async record(entry: AuditRecord): Promise<void> {
    const data = JSON.stringify(hideSecrets(entry.data ?? {}));
    await this.repo.insert({
      id: newId(),
      workspace_id: entry.workspaceId,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action.slice(0, 300),
      method: entry.method ?? null,
      route: entry.route ?? null,
      target_id: entry.targetId ?? null,
      status_code: entry.statusCode ?? null,
      data:
        data.length > MAX_DATA_CHARS ? JSON.stringify({ truncated: data.slice(0, MAX_DATA_CHARS) }) : data,
      ip: entry.ip ?? null,
      created_at: Date.now(),
    });
  }

  async list(
    workspaceId: string,
    query: AuditQuery,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const start = cursorStart(query.cursor);
    const rows = await this.repo.list(workspaceId, {
      actorId: query.actorId,
      q: query.q,
      after: start,
      limit: query.limit + 1,
    });
    return keysetPage(rows, query.limit, (r) => ({ time: r.created_at, id: r.id }), toEntry);
  }

  /** The hooks that record admin actions made over HTTP; registered before the routes. */
  register(app: HttpApp): void {
    const adminRoutes = new Set<string>();
    app.addHook('onRoute', (route) => {
      const handlers = [route.preHandler ?? []].flat() as GuardedPreHandler[];
      if (!handlers.some((handler) => handler[STAFF_RULE]?.roles !== undefined)) return;
      for (const method of [route.method].flat()) adminRoutes.add(`${method} ${route.url}`);
    });
    const isAudited = (request: FastifyRequest) =>
      request.routeOptions.config.audit === true ||
      (WRITE_METHODS.has(request.method) && adminRoutes.has(`${request.method} ${request.routeOptions.url}`));
    // Before the answer leaves (onSend), so whoever was told "done" finds the entry.
    app.addHook('onSend', async (request, reply, payload) => {
      // A replayed idempotent answer did nothing new.
      if (reply.statusCode >= 400 || reply.hasHeader(REPLAYED_HEADER) || !isAudited(request)) return payload;
      const principal = request.principal;
      if (!principal || principal.kind === 'visitor') return payload;
      const params = (request.params ?? {}) as Record<string, unknown>;
      await this.record({
        workspaceId: principal.workspaceId,
        actor:
          principal.kind === 'operator'
            ? { type: 'operator', id: principal.userId, name: principal.name }
            : { type: 'api', id: principal.tokenId, name: principal.name },
        action: request.routeOptions.schema?.summary ?? `${request.method} ${request.routeOptions.url}`,
        method: request.method,
        route: request.routeOptions.url ?? null,
        targetId: typeof params.id === 'string' ? params.id : createdId(reply.statusCode, payload),
        statusCode: reply.statusCode,
        data: { params, ...(isObject(request.body) ? { body: request.body } : {}) },
        ip: request.ip,
      }).catch((error: unknown) => request.log.error({ err: error }, 'audit log write failed'));
      return payload;
    });
  }
}

/** What a creation made: the id in its 201 answer. */
function createdId(status: number, payload: unknown): string | null {
  if (status !== 201 || typeof payload !== 'string') return null;
  try {
    const body: unknown = JSON.parse(payload);
    return isObject(body) && typeof body.id === 'string' ? body.id : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hideSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideSecrets);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      HIDDEN_KEYS.test(key) ? '[hidden]' : hideSecrets(inner),
    ]),
  );
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    method: row.method,
    route: row.route,
    targetId: row.target_id,
    statusCode: row.status_code,
    data: parseJsonColumn(Data, row.data, {}),
    ip: row.ip,
    createdAt: row.created_at,
  };
}
