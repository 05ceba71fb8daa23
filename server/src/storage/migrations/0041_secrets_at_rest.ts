// Secrets at rest for integrations: webhook signing secrets (current and previous) and the values of
// secret customer-card lookup headers were stored as typed; this seals them with SECRET_KEY, as
// channel secrets always were. Kysely records the migration as done, so each value is sealed once.
// It needs SECRET_KEY, so it is built from the migration context (see migrate.ts).
import type { Kysely, Migration } from 'kysely';
import { z } from 'zod';
import { SecretBox } from '../../secrets.js';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const Headers = z.array(z.object({ name: z.string(), value: z.string(), secret: z.boolean() }));

export function secretsAtRest(context: { secretKey: string }): Migration {
  return {
    async up(db: AnyDb) {
      await sealWebhookSecrets(db, new SecretBox(context.secretKey, 'webhooks'));
      await sealCardHeaders(db, new SecretBox(context.secretKey, 'customer-cards'));
    },
  };
}

async function sealWebhookSecrets(db: AnyDb, box: SecretBox): Promise<void> {
  const rows = (await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'secret', 'previous_secret'])
    .execute()) as { id: string; secret: string; previous_secret: string | null }[];
  for (const row of rows)
    await db
      .updateTable('webhook_endpoints')
      .set({
        secret: box.seal(row.secret),
        previous_secret: row.previous_secret === null ? null : box.seal(row.previous_secret),
      })
      .where('id', '=', row.id)
      .execute();
}

async function sealCardHeaders(db: AnyDb, box: SecretBox): Promise<void> {
  const rows = (await db
    .selectFrom('customer_card_settings')
    .select(['workspace_id', 'headers'])
    .execute()) as { workspace_id: string; headers: string }[];
  for (const row of rows) {
    const parsed = Headers.safeParse(JSON.parse(row.headers));
    if (!parsed.success) continue;
    const sealed = parsed.data.map((h) => (h.secret ? { ...h, value: box.seal(h.value) } : h));
    await db
      .updateTable('customer_card_settings')
      .set({ headers: JSON.stringify(sealed) })
      .where('workspace_id', '=', row.workspace_id)
      .execute();
  }
}
