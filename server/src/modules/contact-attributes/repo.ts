// Admin-defined contact attributes, per workspace.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ContactAttributeDefinitionsTable, Database } from '../../storage/schema.js';

export type DefinitionRow = Selectable<ContactAttributeDefinitionsTable>;

export class ContactAttributeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  list(workspaceId: string): Promise<DefinitionRow[]> {
    return this.db
      .selectFrom('contact_attribute_definitions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  find(workspaceId: string, id: string): Promise<DefinitionRow | undefined> {
    return this.db
      .selectFrom('contact_attribute_definitions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insert(row: DefinitionRow): Promise<unknown> {
    return this.db.insertInto('contact_attribute_definitions').values(row).execute();
  }

  update(workspaceId: string, id: string, patch: Updateable<ContactAttributeDefinitionsTable>) {
    return this.db
      .updateTable('contact_attribute_definitions')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('contact_attribute_definitions')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
