// The public API's policy, applied to every route without the route doing anything: requests with
// an API token are rate-limited per token (X-RateLimit-* headers, 429 with Retry-After), and writes
// carrying an Idempotency-Key are executed once per token and key: a repeat gets the stored answer.
// See docs/api.md ("Idempotency", "Rate limits").
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { HttpApp } from '../../http.js';
import type { RateLimits } from '../../rate-limits.js';
import { isUniqueViolation } from '../../storage/errors.js';
import type { AuthService } from '../auth/service.js';
import type { IdempotencyRepo } from './idempotency-repo.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long a claimed key waits for its request's answer before another try may take it over. */
const CLAIM_LOCK_MS = 60_000;
const CLEANUP_INTERVAL_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: { tokenId: string; key: string };
  }
}

export interface ApiPolicyOptions {
  idempotencyTtlMs: number;
}

export function registerApiPolicy(
  app: HttpApp,
  deps: { auth: AuthService; rateLimits: RateLimits; idempotency: IdempotencyRepo },
  options: ApiPolicyOptions,
): void {
  let lastCleanup = 0;

  app.addHook('preHandler', async (request, reply) => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return;
    const principal = await deps.auth.apiFromToken(bearer);
    if (!principal) throw new AppError('unauthorized', 'The API token is unknown or revoked');
    request.principal = principal;
    const budget = await deps.rateLimits.consume('api', principal.tokenId).catch((error: unknown) => {
      if (error instanceof AppError) reply.header('x-ratelimit-remaining', 0);
      throw error;
    });
    reply
      .header('x-ratelimit-limit', budget.limit)
      .header('x-ratelimit-remaining', budget.remaining)
      .header('x-ratelimit-reset', budget.resetSeconds);

    const key = request.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || !WRITE_METHODS.has(request.method)) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError(
        'validation_failed',
        'Idempotency-Key holds 1 to 255 visible ASCII characters (a UUID is a good choice)',
        'headers.idempotency-key',
      );
    }
    const now = Date.now();
    if (now - lastCleanup > CLEANUP_INTERVAL_MS) {
      lastCleanup = now;
      await deps.idempotency.deleteExpired(now);
    }
    const claim = { tokenId: principal.tokenId, key };
    const hash = requestHash(request);
    if (await claimKey(deps.idempotency, principal.workspaceId, claim, hash, now, options)) {
      request.idempotencyClaim = claim;
      return;
    }
    return replayStored(deps.idempotency, claim, hash, now, reply, request);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    // A server failure is not an answer: the key is released so the client's retry runs again.
    if (reply.statusCode >= 500) await deps.idempotency.delete(claim.tokenId, claim.key);
    else await deps.idempotency.saveResponse(claim.tokenId, claim.key, reply.statusCode, bodyText(payload));
    return payload;
  });
}

async function claimKey(
  repo: IdempotencyRepo,
  workspaceId: string,
  claim: { tokenId: string; key: string },
  hash: string,
  now: number,
  options: ApiPolicyOptions,
): Promise<boolean> {
  const row = {
    token_id: claim.tokenId,
    key: claim.key,
    workspace_id: workspaceId,
    request_hash: hash,
    response_status: null,
    response_body: null,
    locked_until: now + CLAIM_LOCK_MS,
    created_at: now,
    expires_at: now + options.idempotencyTtlMs,
  };
  try {
    await repo.insert(row);
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const stored = await repo.find(claim.tokenId, claim.key);
  if (stored && stored.expires_at < now) {
    await repo.delete(claim.tokenId, claim.key);
    return claimKey(repo, workspaceId, claim, hash, now, options);
  }
  return false;
}

async function replayStored(
  repo: IdempotencyRepo,
  claim: { tokenId: string; key: string },
  hash: string,
  now: number,
  reply: FastifyReply,
  request: FastifyRequest,
): Promise<FastifyReply | undefined> {
  const stored = await repo.find(claim.tokenId, claim.key);
  if (!stored)
    throw new AppError('conflict', 'This Idempotency-Key was just released; send the request again');
  if (stored.request_hash !== hash) {
    throw new AppError(
      'conflict',
      'This Idempotency-Key was used for a different request; use a new key for new content',
      'headers.idempotency-key',
    );
  }
  if (stored.response_status === null) {
    if (await repo.retake(claim.tokenId, claim.key, now, now + CLAIM_LOCK_MS)) {
      request.idempotencyClaim = claim;
      return undefined;
    }
    throw new AppError(
      'conflict',
      'A request with this Idempotency-Key is still being processed; retry in a moment',
      'headers.idempotency-key',
      1,
    );
  }
  reply.code(stored.response_status).header(REPLAYED_HEADER, 'true');
  if (!stored.response_body) return reply.send();
  return reply.type('application/json; charset=utf-8').send(stored.response_body);
}

/** Same key, same request: method, path with query, and the parsed body. */
function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

function bodyText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return '';
}
