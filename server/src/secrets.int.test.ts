// Secrets at rest, end to end: webhook signing secrets, secret CRM lookup headers and the widget's
// identity secret are stored sealed (read from the table itself), still sign and authenticate for
// real; rows saved before sealing existed are sealed by migrations 0041 and 0061; and a server
// started with another SECRET_KEY says so plainly instead of signing or authenticating with garbage.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminWidgetSettings,
  CreatedApiToken,
  CustomerCard,
  CustomerCardSettings,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '@frontline/protocol';
import { migrateToLatest } from './storage/migrate.js';
import {
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
} from './test/factories.js';
import { CRM_API_KEY, startFakeCrm, type FakeCrm } from './test/fake-crm.js';
import { createDatabase, startTestServer, type TestDatabase, type TestServer } from './test/harness.js';
import { startReceiver, verifySignature, waitFor, type WebhookReceiver } from './test/webhook-receiver.js';

const FIRST_KEY = randomBytes(32).toString('hex');
let dataDir: string;
let database: TestDatabase;
let server: TestServer;
let crm: FakeCrm;
let hooks: WebhookReceiver;
let workspace: TestWorkspace;
let admin: StaffClient;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-secrets-'));
  database = await createDatabase(dataDir);
  [server, crm, hooks] = await Promise.all([
    startTestServer({ SECRET_KEY: FIRST_KEY, LOG_LEVEL: 'error' }, { database, dataDir }),
    startFakeCrm(),
    startReceiver(),
  ]);
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  token = (
    await admin.json<CreatedApiToken>('POST', '/api/tokens', { name: 'site', scopes: ['contacts:write'] })
  ).token;
}, 60_000);
afterAll(async () => {
  await Promise.all([crm.close(), hooks.close()]);
  await server.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const endpointRow = (id: string) =>
  server.app.storage.db
    .selectFrom('webhook_endpoints')
    .select(['secret', 'previous_secret'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const cardSettingsRow = () =>
  server.app.storage.db
    .selectFrom('customer_card_settings')
    .select('headers')
    .where('workspace_id', '=', workspace.id)
    .executeTakeFirstOrThrow();

async function saveCardSettings(authorization: string | null) {
  await admin.json('PUT', '/api/settings/customer-card', {
    enabled: true,
    urlTemplate: `${crm.url}/customers?email={{email}}`,
    headers: [{ name: 'Authorization', value: authorization, secret: true }],
    timeoutMs: 1000,
    cacheTtlSeconds: 300,
  });
}

let lookups = 0;
/**
 * Identifies a fresh visitor by an address the CRM does not know and waits for the lookup's outcome:
 * `not_found` means the CRM took the Authorization header (it answers 401 to any other).
 */
async function lookedUpCard(): Promise<CustomerCard> {
  const visitor = await startVisitor(server, workspace.widgetKey);
  lookups += 1;
  const identified = await fetch(`${server.url}/api/contacts/identify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contactId: visitor.session.contact.id, email: `lookup-${lookups}@example.ru` }),
  });
  expect(identified.status).toBe(200);
  const contactId = ((await identified.json()) as { contact: { id: string } }).contact.id;
  return waitFor(async () => {
    const card = await admin.json<CustomerCard>('GET', `/api/contacts/${contactId}/card`);
    return card.status === 'pending' ? undefined : card;
  });
}

async function testDelivery(endpointId: string): Promise<WebhookDelivery> {
  const sent = await admin.json<WebhookDelivery>('POST', `/api/webhooks/${endpointId}/test`);
  return waitFor(async () => {
    const delivery = await admin.json<WebhookDelivery>('GET', `/api/webhook-deliveries/${sent.id}`);
    return delivery.attempts > 0 ? delivery : undefined;
  });
}

describe('secrets at rest', () => {
  it('stores the webhook secret sealed, shows it only on creation and rotation, and signs with it', async () => {
    const created = await admin.json<WebhookEndpointWithSecret>('POST', '/api/webhooks', {
      url: hooks.url,
      eventTypes: ['conversation.created'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    const stored = await endpointRow(created.id);
    expect(stored.secret).toMatch(/^v1:/);
    expect(stored.secret).not.toContain(created.secret.slice(SECRET_BODY_START));

    const read = await admin.request('GET', `/api/webhooks/${created.id}`);
    const listed = await admin.request('GET', '/api/webhooks');
    const patched = await admin.request('PATCH', `/api/webhooks/${created.id}`, { description: 'CRM' });
    for (const response of [read, listed, patched]) {
      const text = await response.text();
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain('"secret"');
    }
    const shown = JSON.parse(
      await (await admin.request('GET', `/api/webhooks/${created.id}`)).text(),
    ) as WebhookEndpoint;
    expect(shown.secretHint).toBe(`whsec_…${created.secret.slice(-4)}`);

    const rotated = await admin.json<WebhookEndpointWithSecret>(
      'POST',
      `/api/webhooks/${created.id}/rotate-secret`,
    );
    const afterRotation = await endpointRow(created.id);
    expect(afterRotation.secret).not.toContain(rotated.secret.slice(SECRET_BODY_START));
    expect(afterRotation.previous_secret).toBe(stored.secret);

    const delivery = await testDelivery(created.id);
    expect(delivery.status).toBe('delivered');
    const received = hooks.received.find((r) => r.event.id === delivery.eventId);
    const header = received?.headers['frontline-signature'] as string;
    expect(verifySignature(header, received?.rawBody ?? '', rotated.secret)).toBe(true);
    expect(verifySignature(header, received?.rawBody ?? '', created.secret)).toBe(true);
  });

  it('stores secret CRM header values sealed and still sends them to the CRM', async () => {
    await saveCardSettings(`Bearer ${CRM_API_KEY}`);
    const { headers } = await cardSettingsRow();
    expect(headers).not.toContain(CRM_API_KEY);
    expect(JSON.parse(headers)).toEqual([
      { name: 'Authorization', value: expect.stringMatching(/^v1:/), secret: true },
    ]);
    const settings = await admin.json<CustomerCardSettings>('GET', '/api/settings/customer-card');
    expect(settings.headers).toEqual([{ name: 'Authorization', value: null, secret: true }]);

    const card = await lookedUpCard();
    expect(card.status).toBe('not_found');
    expect(crm.requests.at(-1)?.authorization).toBe(`Bearer ${CRM_API_KEY}`);
  });

  it('seals rows stored in plain text before migration 0041', async () => {
    const plainSecret = 'whsec_saved-before-sealing-existed-0001';
    const endpoint = await admin.json<WebhookEndpointWithSecret>('POST', '/api/webhooks', {
      url: hooks.url,
      eventTypes: ['conversation.created'],
    });
    const { db } = server.app.storage;
    await db
      .updateTable('webhook_endpoints')
      .set({ secret: plainSecret })
      .where('id', '=', endpoint.id)
      .execute();
    await db
      .updateTable('customer_card_settings')
      .set({
        headers: JSON.stringify([{ name: 'Authorization', value: `Bearer ${CRM_API_KEY}`, secret: true }]),
      })
      .where('workspace_id', '=', workspace.id)
      .execute();
    // As on a database that was migrated before 0041 existed: the next start runs it.
    await sql`delete from kysely_migration where name = '0041_secrets_at_rest'`.execute(db);
    await server.restart();
    admin = await login(server, workspace.admin);

    const migrated = await endpointRow(endpoint.id);
    expect(migrated.secret).toMatch(/^v1:/);
    expect(migrated.secret).not.toContain('saved-before');
    expect((await cardSettingsRow()).headers).not.toContain(CRM_API_KEY);

    const delivery = await testDelivery(endpoint.id);
    expect(delivery.status).toBe('delivered');
    const received = hooks.received.find((r) => r.event.id === delivery.eventId);
    expect(
      verifySignature(
        received?.headers['frontline-signature'] as string,
        received?.rawBody ?? '',
        plainSecret,
      ),
    ).toBe(true);
    expect((await lookedUpCard()).status).toBe('not_found');
    // Run again (another node starting), nothing is sealed twice.
    expect(await migrateToLatest(server.app.storage, { secretKey: FIRST_KEY })).toEqual([]);
  });

  it('keeps the widget identity secret sealed, and host sites sign with it as before', async () => {
    const stored = () =>
      server.app.storage.db
        .selectFrom('widget_settings')
        .select('identity_secret')
        .where('workspace_id', '=', workspace.id)
        .executeTakeFirstOrThrow();
    const identifiedAs = async (id: string, key: string) => {
      const visitor = await startVisitor(server, workspace.widgetKey);
      const signature = createHmac('sha256', key).update(id).digest('hex');
      const response = await visitor.request('POST', '/api/widget/identify', { id, signature });
      return { status: response.status, body: (await response.json()) as { verified?: boolean } };
    };
    const shown = (await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings')).identitySecret;
    const { identity_secret } = await stored();
    expect(identity_secret).toMatch(/^v1:/);
    expect(identity_secret).not.toContain(shown);
    expect(await identifiedAs('user-7', shown)).toMatchObject({ status: 200, body: { verified: true } });

    // A secret generated before 0061 existed is sealed by the next start, and still verifies.
    const plain = 'identity-secret-saved-before-sealing-0001';
    const { db } = server.app.storage;
    await db
      .updateTable('widget_settings')
      .set({ identity_secret: plain })
      .where('workspace_id', '=', workspace.id)
      .execute();
    await sql`delete from kysely_migration where name = '0061_widget_identity_sealed'`.execute(db);
    await server.restart();
    admin = await login(server, workspace.admin);
    expect((await stored()).identity_secret).toMatch(/^v1:/);
    expect((await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings')).identitySecret).toBe(plain);
    expect(await identifiedAs('user-8', plain)).toMatchObject({ status: 200, body: { verified: true } });
  });

  it('says SECRET_KEY changed, instead of signing or calling the CRM with garbage', async () => {
    const endpoint = await admin.json<WebhookEndpointWithSecret>('POST', '/api/webhooks', {
      url: hooks.url,
      eventTypes: ['conversation.created'],
    });
    await saveCardSettings(`Bearer ${CRM_API_KEY}`);
    await server.close();
    server = await startTestServer(
      { SECRET_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' },
      { database, dataDir },
    );
    admin = await login(server, workspace.admin);
    const receivedBefore = hooks.received.length;
    const askedBefore = crm.requests.length;

    const shown = await admin.json<WebhookEndpoint>('GET', `/api/webhooks/${endpoint.id}`);
    expect(shown.secretHint).toMatch(/unreadable with this SECRET_KEY; rotate the secret/);
    const delivery = await testDelivery(endpoint.id);
    expect(delivery.status).not.toBe('delivered');
    expect(delivery.lastError).toMatch(
      /webhooks secrets cannot be decrypted: SECRET_KEY is not the one they were saved with/,
    );

    const card = await lookedUpCard();
    expect(card.status).toBe('error');
    expect(card.error).toMatch(/customer-cards secrets cannot be decrypted: SECRET_KEY is not the one/);
    expect(hooks.received.length).toBe(receivedBefore);
    expect(crm.requests.length).toBe(askedBefore);
    const widget = await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings');
    expect(widget.identitySecret).toMatch(/unreadable with this SECRET_KEY; rotate the secret/);

    // Rotating (and entering the header again) makes them usable with the new key.
    const rotated = await admin.json<WebhookEndpointWithSecret>(
      'POST',
      `/api/webhooks/${endpoint.id}/rotate-secret`,
    );
    expect((await testDelivery(endpoint.id)).status).toBe('delivered');
    expect(rotated.secretHint).toBe(`whsec_…${rotated.secret.slice(-4)}`);
    await saveCardSettings(`Bearer ${CRM_API_KEY}`);
    expect((await lookedUpCard()).status).toBe('not_found');
  });
});

/** What follows `whsec_`: the random part, which must appear nowhere in the table. */
const SECRET_BODY_START = 'whsec_'.length;
