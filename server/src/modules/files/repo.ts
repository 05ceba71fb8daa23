// File records; the bytes are in the FileStore under storage_key.
import type { Kysely, Selectable } from 'kysely';
import type { Database, FilesTable } from '../../storage/schema.js';

export type FileRow = Selectable<FilesTable>;

export class FileRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: FileRow): Promise<unknown> {
    return this.db.insertInto('files').values(row).execute();
  }

  findById(workspaceId: string, id: string): Promise<FileRow | undefined> {
    return this.db
      .selectFrom('files')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByIdAnyWorkspace(id: string): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByIds(workspaceId: string, ids: string[]): Promise<FileRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('files')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
  }

  deleteByIds(workspaceId: string, ids: string[]): Promise<unknown> {
    if (ids.length === 0) return Promise.resolve();
    return this.db
      .deleteFrom('files')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
  }
}
