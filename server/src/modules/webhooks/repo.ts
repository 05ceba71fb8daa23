// Webhook endpoints, the delivery outbox and its attempts; every query scoped by workspace_id.
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type {
  Database,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from '../../storage/schema.js';
import type { CursorPosition } from '../../storage/cursor.js';
import { after } from '../../storage/pagination.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;
export type Db = Kysely<Database> | Transaction<Database>;

export interface DeliveryFilter {
  endpointId?: string | undefined;
  status?: string | undefined;
  eventType?: string | undefined;
  after?: CursorPosition | undefined;
  limit: number;
}

export class WebhookRepo {
  constructor(readonly db: Kysely<Database>) {}

  insertEndpoint(row: EndpointRow): Promise<unknown> {
    return this.db.insertInto('webhook_endpoints').values(row).execute();
  }

  findEndpoint(workspaceId: string, id: string, db: Db = this.db): Promise<EndpointRow | undefined> {
    return db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  listEndpoints(workspaceId: string): Promise<EndpointRow[]> {
    return this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The event types the workspace's enabled endpoints chose, all together. */
  async listenedTypes(db: Db, workspaceId: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .select('event_types')
      .where('workspace_id', '=', workspaceId)
      .where('enabled', '=', 1)
      .execute();
    return new Set(rows.flatMap((row) => JSON.parse(row.event_types) as string[]));
  }

  /** Enabled endpoints that chose this event type (event_types is a JSON array of names). */
  async subscribed(db: Db, workspaceId: string, eventType: string): Promise<EndpointRow[]> {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('enabled', '=', 1)
      .where('event_types', 'like', `%"${eventType}"%`)
      .execute();
    // LIKE narrows it down; `_` in a type name is a wildcard to LIKE, so the exact check is here.
    return rows.filter((row) => (JSON.parse(row.event_types) as string[]).includes(eventType));
  }

  async updateEndpoint(
    workspaceId: string,
    id: string,
    patch: Updateable<WebhookEndpointsTable>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_endpoints')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The endpoint goes, and its log with it. */
  async deleteEndpoint(workspaceId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deliveries = trx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('endpoint_id', '=', id);
      await trx
        .deleteFrom('webhook_attempts')
        .where('workspace_id', '=', workspaceId)
        .where('delivery_id', 'in', deliveries)
        .execute();
      await trx
        .deleteFrom('webhook_deliveries')
        .where('workspace_id', '=', workspaceId)
        .where('endpoint_id', '=', id)
        .execute();
      const result = await trx
        .deleteFrom('webhook_endpoints')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  insertDelivery(db: Db, row: DeliveryRow): Promise<unknown> {
    return db.insertInto('webhook_deliveries').values(row).execute();
  }

  findDelivery(workspaceId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async updateDelivery(
    workspaceId: string,
    id: string,
    patch: Updateable<WebhookDeliveriesTable>,
    db: Db = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('webhook_deliveries')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Newest first, keyset-paged on (created_at, id). */
  listDeliveries(workspaceId: string, filter: DeliveryFilter): Promise<DeliveryRow[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.endpointId) query = query.where('endpoint_id', '=', filter.endpointId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
    if (filter.after) query = query.where(after('created_at', filter.after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  insertAttempt(row: AttemptRow): Promise<unknown> {
    return this.db.insertInto('webhook_attempts').values(row).execute();
  }

  listAttempts(workspaceId: string, deliveryId: string): Promise<AttemptRow[]> {
    return this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('delivery_id', '=', deliveryId)
      .orderBy('attempt')
      .orderBy('started_at')
      .execute();
  }

  /** Erasure: the contact's payloads are replaced, and what was not sent yet is not sent. */
  async redactForContacts(db: Db, workspaceId: string, contactIds: string[], redacted: string) {
    if (contactIds.length === 0) return;
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', next_attempt_at: null })
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', 'in', contactIds)
      .where('status', '=', 'pending')
      .execute();
    await db
      .updateTable('webhook_deliveries')
      .set({ payload: redacted })
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', 'in', contactIds)
      .execute();
  }
}
