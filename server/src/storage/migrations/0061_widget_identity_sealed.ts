// The widget's identity secret (host sites sign their users' ids with it) was stored as generated;
// this seals it with SECRET_KEY like every other secret. Kysely records the migration as done, so
// each value is sealed once. It needs SECRET_KEY, so it is built from the migration context.
import type { Kysely, Migration } from 'kysely';
import { SecretBox } from '../../secrets.js';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function widgetIdentitySealed(context: { secretKey: string }): Migration {
  return {
    async up(db: AnyDb) {
      const box = new SecretBox(context.secretKey, 'widget-identity');
      const rows = (await db
        .selectFrom('widget_settings')
        .select(['workspace_id', 'identity_secret'])
        .execute()) as { workspace_id: string; identity_secret: string }[];
      for (const row of rows)
        await db
          .updateTable('widget_settings')
          .set({ identity_secret: box.seal(row.identity_secret) })
          .where('workspace_id', '=', row.workspace_id)
          .execute();
    },
  };
}
