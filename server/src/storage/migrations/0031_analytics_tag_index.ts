// Reports filtered by a tag find its conversations through this index.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('analytics_tags_tag')
    .on('analytics_tags')
    .columns(['workspace_id', 'tag'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_tags_tag').execute();
}
