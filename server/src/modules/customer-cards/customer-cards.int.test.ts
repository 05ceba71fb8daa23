// Customer cards against a fake CRM: looked up when a contact is identified or a conversation
// starts, with the admin's secret header, cached, and never holding up the chat when the CRM is
// slow or down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, CustomerCard, CustomerCardSettings, Message } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  openConversation,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { CRM_API_KEY, startFakeCrm, type FakeCrm } from '../../test/fake-crm.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { waitFor } from '../../test/webhook-receiver.js';

let server: TestServer;
let crm: FakeCrm;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;
let token: string;

beforeAll(async () => {
  [server, crm] = await Promise.all([startTestServer({ LOG_LEVEL: 'error' }), startFakeCrm()]);
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  token = (
    await admin.json<CreatedApiToken>('POST', '/api/tokens', {
      name: 'site',
      scopes: ['contacts:write', 'contacts:read'],
    })
  ).token;
  await admin.json('PUT', '/api/settings/customer-card', {
    enabled: true,
    urlTemplate: `${crm.url}/customers?email={{email}}&phone={{phone}}`,
    headers: [{ name: 'Authorization', value: `Bearer ${CRM_API_KEY}`, secret: true }],
    timeoutMs: 1000,
    cacheTtlSeconds: 300,
  });
}, 60_000);
afterAll(async () => {
  await crm.close();
  await server.close();
});

const cardOf = (contactId: string) => operator.json<CustomerCard>('GET', `/api/contacts/${contactId}/card`);
const readyCard = (contactId: string) =>
  waitFor(async () => {
    const card = await cardOf(contactId);
    return card.status === 'pending' ? undefined : card;
  });

async function identify(body: Record<string, unknown>) {
  const response = await fetch(`${server.url}/api/contacts/identify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { contact: { id: string } };
}

describe('customer cards', () => {
  it('keeps secret header values out of the settings it shows', async () => {
    const settings = await admin.json<CustomerCardSettings>('GET', '/api/settings/customer-card');
    expect(settings.headers).toEqual([{ name: 'Authorization', value: null, secret: true }]);
    // Saving again without the value keeps it.
    await admin.json('PUT', '/api/settings/customer-card', {
      ...settings,
      headers: [{ name: 'Authorization', secret: true }],
    });
  });

  it('looks the contact up when identified and shows the CRM card with its bookings', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const contactId = visitor.session.contact.id;
    expect((await cardOf(contactId)).status).toBe('not_identified');

    await identify({ contactId, email: 'maria.ivanova@example.ru' });
    const card = await readyCard(contactId);
    expect(card.status).toBe('ok');
    expect(card.card?.title).toBe('Мария Иванова');
    expect(card.card?.lists[0]?.items.map((i) => i.title)).toContain('SU 1234 Moscow → Antalya');
    const lookup = crm.requests.at(-1);
    expect(lookup?.query.get('email')).toBe('maria.ivanova@example.ru');
    expect(lookup?.authorization).toBe(`Bearer ${CRM_API_KEY}`);

    // Cached: looking again does not ask the CRM.
    const asked = crm.requests.length;
    expect((await cardOf(contactId)).status).toBe('ok');
    expect(crm.requests.length).toBe(asked);
    socket.disconnect();
    expect(conversation.id).toBeTruthy();
  });

  it('looks up when a conversation of a known contact starts, without anyone asking', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const contactId = visitor.session.contact.id;
    await identify({ contactId, phone: '+7 916 123-45-67' });
    expect((await readyCard(contactId)).card?.title).toBe('Мария Иванова');
    // New settings empty the cache; the conversation's start alone brings the card back.
    const settings = await admin.json<CustomerCardSettings>('GET', '/api/settings/customer-card');
    await admin.json('PUT', '/api/settings/customer-card', { ...settings, cacheTtlSeconds: 600 });
    const asked = crm.requests.length;
    const socket = await connected(visitor.socket());
    await openConversation(socket);
    await waitFor(() => (crm.requests.length > asked ? true : undefined));
    expect(crm.requests.at(-1)?.query.get('phone')).toBe('+79161234567');
    expect((await readyCard(contactId)).status).toBe('ok');
    socket.disconnect();

    // The same phone typed another way on another channel is the same person: merged, card kept.
    const other = await startVisitor(server, workspace.widgetKey);
    const merged = await identify({ contactId: other.session.contact.id, phone: '8 (916) 123-45-67' });
    expect(merged.contact.id).toBe(contactId);
    expect((await readyCard(contactId)).card?.title).toBe('Мария Иванова');
  });

  it('answers not_found for a person the CRM does not know', async () => {
    const stranger = await identify({ email: 'nobody@example.ru' });
    expect((await readyCard(stranger.contact.id)).status).toBe('not_found');
  });

  it('never holds up the chat when the CRM is slow, and shows the timeout', async () => {
    crm.delayMs = 3000;
    try {
      const visitor = await startVisitor(server, workspace.widgetKey);
      const socket = await connected(visitor.socket());
      const conversation = await openConversation(socket);
      const started = Date.now();
      await identify({ contactId: visitor.session.contact.id, email: 'maria.ivanova+slow@example.ru' });
      const sent = await new Promise<{ ok: boolean; message?: Message }>((resolve) =>
        socket.emit(
          'message:send',
          {
            conversationId: conversation.id,
            clientMsgId: clientId(),
            text: 'Hello?',
            kind: 'text',
            fileIds: [],
          },
          resolve,
        ),
      );
      expect(sent.ok).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      const card = await readyCard(visitor.session.contact.id);
      expect(card.status).toBe('error');
      expect(card.error).toMatch(/did not answer within 1000 ms/);
      socket.disconnect();
    } finally {
      crm.delayMs = 0;
    }
  });

  it('reports a broken CRM and refuses templates with unknown variables', async () => {
    const person = await identify({ email: 'maria.ivanova@example.ru', externalId: 'crm-4711' });
    expect((await readyCard(person.contact.id)).status).toBe('ok');
    crm.broken = true;
    try {
      await operator.json('POST', `/api/contacts/${person.contact.id}/card/refresh`);
      const card = await waitFor(async () => {
        const current = await cardOf(person.contact.id);
        return current.status === 'error' ? current : undefined;
      });
      expect(card.error).toMatch(/HTTP 500/);
      // The last good card stays on screen beside the error.
      expect(card.card?.title).toBe('Мария Иванова');
    } finally {
      crm.broken = false;
    }
    const wrong = await admin.request('PUT', '/api/settings/customer-card', {
      enabled: true,
      urlTemplate: `${crm.url}/customers?mail={{mail}}`,
    });
    expect(wrong.status).toBe(400);
  });
});
