// The audit log's rows, per workspace, newest first.
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../../storage/schema.js';
import type { CursorPosition } from '../../storage/cursor.js';
import { after } from '../../storage/pagination.js';
import { contains } from '../../storage/search.js';

export type AuditRow = Selectable<AuditLogTable>;

export class AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: AuditRow): Promise<unknown> {
    return this.db.insertInto('audit_log').values(row).execute();
  }

  list(
    workspaceId: string,
    filter: {
      actorId?: string | undefined;
      q?: string | undefined;
      after?: CursorPosition | undefined;
      limit: number;
    },
  ): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.q) {
      const q = filter.q;
      query = query.where((eb) =>
        eb.or([
          contains(eb.fn<string>('lower', ['action']), q),
          contains(eb.fn<string>('lower', ['route']), q),
        ]),
      );
    }
    if (filter.after) query = query.where(after('created_at', filter.after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }
}
