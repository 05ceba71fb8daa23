// Sessions and API tokens; both are looked up by the hash of their secret.
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, Database, SessionsTable } from '../../storage/schema.js';

export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;

export class AuthRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insertSession(row: SessionRow): Promise<unknown> {
    return this.db.insertInto('sessions').values(row).execute();
  }

  findLiveSession(tokenHash: string, now: number) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as sessionId',
        'sessions.workspace_id as workspaceId',
        'sessions.csrf_token as csrfToken',
        'users.id as userId',
        'users.name as name',
        'users.role as role',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  deleteSession(id: string): Promise<unknown> {
    return this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  insertApiToken(row: ApiTokenRow): Promise<unknown> {
    return this.db.insertInto('api_tokens').values(row).execute();
  }

  findLiveApiToken(tokenHash: string): Promise<ApiTokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  touchApiToken(id: string, now: number): Promise<unknown> {
    return this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  listApiTokens(workspaceId: string): Promise<ApiTokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async revokeApiToken(workspaceId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
