// Stored answers to writes made with an Idempotency-Key, one row per (API token, key).
import type { Kysely, Selectable } from 'kysely';
import type { Database, IdempotencyKeysTable } from '../../storage/schema.js';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export class IdempotencyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the claim; throws a unique violation when the token already used this key. */
  insert(row: IdempotencyRow): Promise<unknown> {
    return this.db.insertInto('idempotency_keys').values(row).execute();
  }

  find(tokenId: string, key: string): Promise<IdempotencyRow | undefined> {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  /** Takes over a claim whose request died mid-way (its lock ran out without an answer). */
  async retake(tokenId: string, key: string, now: number, lockedUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set({ locked_until: lockedUntil })
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .where('response_status', 'is', null)
      .where('locked_until', '<', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  saveResponse(tokenId: string, key: string, status: number, body: string): Promise<unknown> {
    return this.db
      .updateTable('idempotency_keys')
      .set({ response_status: status, response_body: body })
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .execute();
  }

  delete(tokenId: string, key: string): Promise<unknown> {
    return this.db
      .deleteFrom('idempotency_keys')
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .execute();
  }

  deleteExpired(now: number): Promise<unknown> {
    return this.db.deleteFrom('idempotency_keys').where('expires_at', '<', now).execute();
  }
}
