// Outgoing webhooks through a true outbox. emit() runs inside the transaction of the change that
// caused the event and writes one delivery row plus one durable job per subscribed endpoint, so an
// event is delivered if and only if its change committed. The job POSTs the signed event; failures
// retry with exponential back-off until the attempts run out, then the delivery is dead (visible in
// the log, redeliverable by hand). Every attempt is logged. Design: docs/webhooks.md.
import type {
  DeliveryStatus,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookEventType,
} from '@frontline/protocol';
import {
  WebhookEndpointInput as EndpointInputSchema,
  WebhookEvent as EventSchema,
} from '@frontline/protocol';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import type { JobRepo, JobRow } from '../../jobs/repo.js';
import type { JobKindOptions } from '../../jobs/runner.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import { cursorStart, keysetPage } from '../../storage/pagination.js';
import type { OutboundHttp } from '../../outbound-http.js';
import { SecretUnreadableError, type SecretBox } from '../../secrets.js';
import type { WorkspaceCache, WorkspaceCaches } from '../../workspace-cache.js';
import { postWebhook, type AttemptOutcome } from './sender.js';
import { SIGNATURE_HEADER, newWebhookSecret, secretHint, signatureHeader } from './signing.js';
import type { Db, DeliveryRow, EndpointRow, WebhookRepo } from './repo.js';

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver';
/** A rotated secret still signs (as a second v1) this long, so receivers can switch without a gap. */
const PREVIOUS_SECRET_GRACE_MS = 24 * 3600_000;
const MAX_BACKOFF_MS = 6 * 3600_000;
const DeliveryJobPayload = z.object({ deliveryId: z.string() });
const EventTypes = z.array(z.string());
/** What admins see when SECRET_KEY changed since the secret was saved: rotating makes a readable one. */
const UNREADABLE_SECRET_HINT = 'unreadable with this SECRET_KEY; rotate the secret';

export interface WebhookOptions {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  /** Signing secrets are stored sealed (purpose `webhooks`). */
  secrets: SecretBox;
  http: OutboundHttp;
  caches: WorkspaceCaches;
}

type EventData = Record<string, unknown>;
/** An event's content and the person it is about (so erasing the person redacts it here too). */
export interface EventSource {
  data: EventData;
  contactId?: string | null;
}

export class WebhookService {
  /** Event types some enabled endpoint listens to: most events have no listener, and then cost nothing. */
  private readonly listened: WorkspaceCache<ReadonlySet<string>>;

  constructor(
    private readonly repo: WebhookRepo,
    private readonly jobs: JobRepo,
    private readonly options: WebhookOptions,
  ) {
    this.listened = options.caches.create('webhooks.listened', (workspaceId, db) =>
      repo.listenedTypes(db ?? repo.db, workspaceId),
    );
  }

  // ---- emitting (other modules call this inside their transaction) ----

  /**
   * Records `type` for every endpoint of the workspace that subscribed to it, in `db`'s
   * transaction: the one call other modules make to emit a webhook. The source is built only when
   * someone listens.
   */
  async emit(
    db: Db,
    workspaceId: string,
    type: WebhookEventType,
    source: () => Promise<EventSource> | EventSource,
  ): Promise<void> {
    if (!(await this.listened.get(workspaceId, db)).has(type)) return;
    const endpoints = await this.repo.subscribed(db, workspaceId, type);
    if (endpoints.length === 0) return;
    const { data, contactId } = await source();
    const event = await this.envelope(workspaceId, type, data);
    for (const endpoint of endpoints) await this.enqueue(db, endpoint, event, contactId ?? null);
  }

  private async envelope(workspaceId: string, type: WebhookEvent['type'], data: EventData) {
    return { id: newId(), type, createdAt: Date.now(), workspaceId, data } satisfies WebhookEvent;
  }

  private async enqueue(db: Db, endpoint: EndpointRow, event: WebhookEvent, contactId: string | null) {
    const id = newId();
    await this.repo.insertDelivery(db, {
      id,
      workspace_id: endpoint.workspace_id,
      endpoint_id: endpoint.id,
      event_id: event.id,
      event_type: event.type,
      contact_id: contactId,
      payload: JSON.stringify(event),
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      last_error: null,
      last_attempt_at: null,
      next_attempt_at: event.createdAt,
      delivered_at: null,
      created_at: event.createdAt,
    });
    await this.jobs.enqueue(
      {
        id,
        workspaceId: endpoint.workspace_id,
        kind: WEBHOOK_DELIVERY_JOB,
        payload: { deliveryId: id },
        runAt: 0,
      },
      db,
    );
    return id;
  }

  // ---- delivering (the durable job) ----

  jobOptions(): JobKindOptions {
    return {
      maxAttempts: this.options.maxAttempts,
      backoffMs: (attempts) => this.backoffMs(attempts),
      onDead: async (payload, job, error) => {
        const { deliveryId } = DeliveryJobPayload.parse(payload);
        await this.repo.updateDelivery(job.workspace_id, deliveryId, {
          status: 'dead' satisfies DeliveryStatus,
          next_attempt_at: null,
          last_error: error.slice(0, 2000),
        });
      },
    };
  }

  /** Doubling from the base after each failed attempt, capped at six hours. */
  backoffMs(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, this.options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Job handler: one attempt. Throws on failure so the job runner retries (or declares it dead). */
  async deliver(payload: Record<string, unknown>, job: JobRow): Promise<void> {
    const { deliveryId } = DeliveryJobPayload.parse(payload);
    const delivery = await this.repo.findDelivery(job.workspace_id, deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    const endpoint = await this.repo.findEndpoint(job.workspace_id, delivery.endpoint_id);
    if (!endpoint?.enabled) {
      await this.repo.updateDelivery(job.workspace_id, deliveryId, {
        status: 'cancelled',
        next_attempt_at: null,
        last_error: 'The endpoint was disabled before this event could be delivered',
      });
      return;
    }
    const now = Date.now();
    const attempt = delivery.attempts + 1;
    const timestamp = Math.floor(now / 1000);
    const signed = this.signedHeader(endpoint, now, timestamp, delivery.payload);
    const outcome =
      typeof signed === 'string'
        ? await postWebhook(
            this.options.http,
            endpoint.url,
            {
              [SIGNATURE_HEADER]: signed,
              'frontline-event-id': delivery.event_id,
              'frontline-event-type': delivery.event_type,
              'frontline-delivery-id': delivery.id,
              'frontline-attempt': String(attempt),
            },
            delivery.payload,
            this.options.timeoutMs,
          )
        : signed;
    await this.repo.insertAttempt({
      id: newId(),
      workspace_id: job.workspace_id,
      delivery_id: delivery.id,
      attempt,
      started_at: now,
      duration_ms: outcome.durationMs,
      status_code: outcome.statusCode,
      error: outcome.error,
    });
    const willRetry = !outcome.ok && job.attempts < this.options.maxAttempts;
    await this.repo.updateDelivery(job.workspace_id, delivery.id, {
      attempts: attempt,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      last_attempt_at: now,
      ...(outcome.ok ? { status: 'delivered', delivered_at: Date.now(), next_attempt_at: null } : {}),
      // The runner computes the same delay from the job's attempts; this is what the log shows.
      ...(willRetry ? { next_attempt_at: Date.now() + this.backoffMs(job.attempts) } : {}),
    });
    if (!outcome.ok) throw new Error(outcome.error ?? 'The webhook was not accepted');
  }

  // ---- endpoints (admins) ----

  async listEndpoints(workspaceId: string): Promise<WebhookEndpoint[]> {
    return (await this.repo.listEndpoints(workspaceId)).map((row) => this.toEndpoint(row));
  }

  async endpoint(workspaceId: string, id: string): Promise<WebhookEndpoint> {
    return this.toEndpoint(await this.getEndpoint(workspaceId, id));
  }

  private async getEndpoint(workspaceId: string, id: string): Promise<EndpointRow> {
    const row = await this.repo.findEndpoint(workspaceId, id);
    if (!row) throw notFound('Webhook endpoint');
    return row;
  }

  /** The one answer that carries the new secret (see also rotateSecret). */
  async createEndpoint(workspaceId: string, input: WebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const parsed = EndpointInputSchema.parse(input);
    const now = Date.now();
    const secret = newWebhookSecret();
    const row: EndpointRow = {
      id: newId(),
      workspace_id: workspaceId,
      url: parsed.url,
      description: parsed.description,
      event_types: JSON.stringify([...new Set(parsed.eventTypes)]),
      secret: this.options.secrets.seal(secret),
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: parsed.enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertEndpoint(row);
    this.listened.changed(workspaceId);
    return { ...this.toEndpoint(row), secret };
  }

  async updateEndpoint(
    workspaceId: string,
    id: string,
    patch: WebhookEndpointPatch,
  ): Promise<WebhookEndpoint> {
    await this.getEndpoint(workspaceId, id);
    await this.repo.updateEndpoint(workspaceId, id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eventTypes !== undefined
        ? { event_types: JSON.stringify([...new Set(patch.eventTypes)]) }
        : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updated_at: Date.now(),
    });
    this.listened.changed(workspaceId);
    return this.toEndpoint(await this.getEndpoint(workspaceId, id));
  }

  async deleteEndpoint(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteEndpoint(workspaceId, id))) throw notFound('Webhook endpoint');
    this.listened.changed(workspaceId);
  }

  /** A new secret, shown in this answer only; the old one keeps signing alongside for a day. */
  async rotateSecret(workspaceId: string, id: string): Promise<WebhookEndpointWithSecret> {
    const endpoint = await this.getEndpoint(workspaceId, id);
    const now = Date.now();
    const secret = newWebhookSecret();
    await this.repo.updateEndpoint(workspaceId, id, {
      secret: this.options.secrets.seal(secret),
      // Moves over still sealed; one this SECRET_KEY cannot open would only fail every signing.
      previous_secret: this.opened(endpoint.secret) === undefined ? null : endpoint.secret,
      previous_secret_expires_at: now + PREVIOUS_SECRET_GRACE_MS,
      updated_at: now,
    });
    return { ...this.toEndpoint(await this.getEndpoint(workspaceId, id)), secret };
  }

  /** A `webhook.test` event to this endpoint only, through the same outbox as real events. */
  async sendTest(workspaceId: string, id: string): Promise<WebhookDelivery> {
    const endpoint = await this.getEndpoint(workspaceId, id);
    const event = await this.envelope(workspaceId, 'webhook.test', {
      message: 'A test event from Frontline: the endpoint is reachable and the signature verifies',
    });
    const deliveryId = await this.repo.db
      .transaction()
      .execute((trx) => this.enqueue(trx, endpoint, event, null));
    return this.delivery(workspaceId, deliveryId);
  }

  // ---- the delivery log ----

  async deliveries(
    workspaceId: string,
    query: WebhookDeliveryQuery,
  ): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    const start = cursorStart(query.cursor);
    const rows = await this.repo.listDeliveries(workspaceId, {
      endpointId: query.endpointId,
      status: query.status,
      eventType: query.eventType,
      after: start,
      limit: query.limit + 1,
    });
    return keysetPage(rows, query.limit, (r) => ({ time: r.created_at, id: r.id }), toDelivery);
  }

  async delivery(workspaceId: string, id: string): Promise<WebhookDelivery> {
    return toDelivery(await this.findDelivery(workspaceId, id));
  }

  async deliveryDetail(workspaceId: string, id: string): Promise<WebhookDeliveryDetail> {
    const row = await this.findDelivery(workspaceId, id);
    const attempts = await this.repo.listAttempts(workspaceId, id);
    return {
      ...toDelivery(row),
      payload: parseJsonColumn(EventSchema, row.payload, {
        id: row.event_id,
        type: 'webhook.test',
        createdAt: row.created_at,
        workspaceId,
        data: { redacted: true },
      }),
      attemptLog: attempts.map((a) => ({
        attempt: a.attempt,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        error: a.error,
      })),
    };
  }

  /** Sends the event again now (after a fix at the receiver), whatever its state, with fresh attempts. */
  async redeliver(workspaceId: string, id: string): Promise<WebhookDelivery> {
    const row = await this.findDelivery(workspaceId, id);
    if (row.status === 'cancelled')
      throw new AppError('conflict', 'This delivery was cancelled (endpoint disabled or contact erased)');
    const now = Date.now();
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.updateDelivery(
        workspaceId,
        id,
        { status: 'pending', next_attempt_at: now, delivered_at: null },
        trx,
      );
      if (await this.jobs.runNow(workspaceId, id, now, trx)) return;
      try {
        await this.jobs.enqueue(
          { id, workspaceId, kind: WEBHOOK_DELIVERY_JOB, payload: { deliveryId: id }, runAt: now },
          trx,
        );
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new AppError('conflict', 'This event is being delivered right now; look again in a moment');
      }
    });
    return this.delivery(workspaceId, id);
  }

  /** Erasure of a contact: what is stored of their events here is redacted, pending ones cancelled. */
  redactForContacts(db: Db, workspaceId: string, contactIds: string[]): Promise<void> {
    return this.repo.redactForContacts(db, workspaceId, contactIds, JSON.stringify({ redacted: true }));
  }

  /**
   * The signature header, by the current secret and the previous one during its grace day; or, when
   * the stored secrets cannot be opened, the failed attempt that says so in the log.
   */
  private signedHeader(endpoint: EndpointRow, now: number, timestamp: number, payload: string) {
    const previous =
      endpoint.previous_secret && (endpoint.previous_secret_expires_at ?? 0) > now
        ? [endpoint.previous_secret]
        : [];
    try {
      const secrets = [endpoint.secret, ...previous].map((sealed) => this.options.secrets.open(sealed));
      return signatureHeader(secrets, timestamp, payload);
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      return { ok: false, statusCode: null, error: error.message, durationMs: 0 } satisfies AttemptOutcome;
    }
  }

  /** The stored secret, or undefined when this SECRET_KEY cannot open it. */
  private opened(sealed: string): string | undefined {
    try {
      return this.options.secrets.open(sealed);
    } catch (error) {
      if (error instanceof SecretUnreadableError) return undefined;
      throw error;
    }
  }

  private toEndpoint(row: EndpointRow): WebhookEndpoint {
    const secret = this.opened(row.secret);
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      eventTypes: parseJsonColumn(EventTypes, row.event_types, []) as WebhookEventType[],
      enabled: row.enabled === 1,
      secretHint: secret === undefined ? UNREADABLE_SECRET_HINT : secretHint(secret),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async findDelivery(workspaceId: string, id: string): Promise<DeliveryRow> {
    const row = await this.repo.findDelivery(workspaceId, id);
    if (!row) throw notFound('Webhook delivery');
    return row;
  }
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}
