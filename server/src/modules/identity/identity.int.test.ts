// One person, one contact: typed attributes, automatic merging by verified identifiers across
// channels, manual merging by an operator, and visitors of a merged contact continuing as the survivor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Conversation, CreatedApiToken, IdentifyContactResponse } from '@frontline/protocol';
import {
  createWorkspace,
  login,
  startVisitor,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  token = (
    await admin.json<CreatedApiToken>('POST', '/api/tokens', {
      name: 'site',
      scopes: ['contacts:write', 'contacts:read'],
    })
  ).token;
}, 60_000);
afterAll(() => server.close());

async function api(method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(server.url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function identify(body: Record<string, unknown>): Promise<IdentifyContactResponse> {
  const response = await api('POST', '/api/contacts/identify', body);
  if (response.status !== 200) throw new Error(`identify -> ${response.status} ${await response.text()}`);
  return (await response.json()) as IdentifyContactResponse;
}

const visitorWithConversation = () => visitorConversation(server, workspace.widgetKey);

const conversationsOf = async (contactId: string) =>
  (await operator.json<{ items: Conversation[] }>('GET', `/api/conversations?contactId=${contactId}`)).items;

describe('typed contact attributes', () => {
  it('checks values against the admin’s definitions and keeps undefined keys free-form', async () => {
    await admin.json('POST', '/api/contact-attributes', {
      key: 'plan',
      label: 'Plan',
      type: 'select',
      options: ['gold', 'silver'],
    });
    await admin.json('POST', '/api/contact-attributes', { key: 'orders', label: 'Orders', type: 'number' });
    await admin.json('POST', '/api/contact-attributes', { key: 'birthday', label: 'Birthday', type: 'date' });
    const duplicate = await admin.request('POST', '/api/contact-attributes', {
      key: 'plan',
      label: 'Again',
      type: 'text',
    });
    expect(duplicate.status).toBe(409);
    expect(
      (await operator.request('POST', '/api/contact-attributes', { key: 'x', label: 'X', type: 'text' }))
        .status,
    ).toBe(403);

    const { visitor } = await visitorWithConversation();
    const id = visitor.session.contact.id;
    const wrong = await operator.request('PATCH', `/api/contacts/${id}`, { attributes: { plan: 'bronze' } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { field: string; message: string } }).error).toMatchObject({
      field: 'body.attributes.plan',
      message: expect.stringMatching(/gold, silver/),
    });
    expect(
      (await operator.request('PATCH', `/api/contacts/${id}`, { attributes: { orders: '3' } })).status,
    ).toBe(400);
    expect(
      (await operator.request('PATCH', `/api/contacts/${id}`, { attributes: { birthday: '1990-02-30' } }))
        .status,
    ).toBe(400);
    const saved = await operator.json<Contact>('PATCH', `/api/contacts/${id}`, {
      attributes: { plan: 'gold', orders: 3, birthday: '1990-02-28', note: 'prefers e-mail' },
    });
    expect(saved.attributes).toEqual({
      plan: 'gold',
      orders: 3,
      birthday: '1990-02-28',
      note: 'prefers e-mail',
    });
    const cleared = await operator.json<Contact>('PATCH', `/api/contacts/${id}`, {
      attributes: { note: null },
    });
    expect(cleared.attributes).not.toHaveProperty('note');
  });
});

describe('identity and merging', () => {
  it('merges contacts of one person by verified e-mail, keeping every conversation', async () => {
    const first = await visitorWithConversation();
    const second = await visitorWithConversation();
    // An unverified e-mail (typed by someone) is not enough to merge.
    const typed = await api('POST', '/api/contacts', { email: 'olga@shop.test', name: 'Olga?' });
    const unverified = (await typed.json()) as Contact;
    expect(unverified.emailVerified).toBe(false);

    const identified = await identify({
      contactId: first.visitor.session.contact.id,
      email: 'Olga@Shop.test',
      name: 'Olga',
    });
    expect(identified.contact).toMatchObject({ email: 'olga@shop.test', emailVerified: true, name: 'Olga' });
    expect(identified.mergedContactIds).toEqual([]);

    const merged = await identify({ contactId: second.visitor.session.contact.id, email: 'olga@shop.test' });
    expect(merged.contact.id).toBe(first.visitor.session.contact.id);
    expect(merged.mergedContactIds).toEqual([second.visitor.session.contact.id]);
    const conversations = await conversationsOf(merged.contact.id);
    expect(conversations.map((c) => c.id).sort()).toEqual(
      [first.conversation.id, second.conversation.id].sort(),
    );
    const gone = await operator.json<Contact>('GET', `/api/contacts/${second.visitor.session.contact.id}`);
    expect(gone.mergedIntoId).toBe(merged.contact.id);
    const listed = await operator.json<{ items: Contact[] }>('GET', '/api/contacts?q=olga@shop.test');
    expect(listed.items.map((c) => c.id).sort()).toEqual([merged.contact.id, unverified.id].sort());

    // The merged visitor's browser continues as the survivor, in its conversation.
    const resumed = await startVisitor(server, workspace.widgetKey, second.visitor.token);
    expect(resumed.session.contact.id).toBe(merged.contact.id);
    expect(resumed.token).not.toBe(second.visitor.token);
    expect(resumed.session.conversation?.id).toBeDefined();
  });

  it('finds or makes the contact by external id, and refuses to turn one person into another', async () => {
    const made = await identify({
      externalId: 'user-77',
      email: 'ivan@shop.test',
      phone: '+7 900 000-00-77',
    });
    const again = await identify({ externalId: 'user-77' });
    expect(again.contact.id).toBe(made.contact.id);
    expect(again.contact.phoneVerified).toBe(true);
    const clash = await api('POST', '/api/contacts/identify', {
      contactId: made.contact.id,
      externalId: 'user-78',
    });
    expect(clash.status).toBe(409);
  });

  it('lets an operator merge two contacts by hand, with the history', async () => {
    const telegramLike = await visitorWithConversation();
    const widget = await visitorWithConversation();
    const target = widget.visitor.session.contact.id;
    const source = telegramLike.visitor.session.contact.id;
    await operator.json('PATCH', `/api/contacts/${source}`, { name: 'Pyotr', phone: '+7 911 111 11 11' });
    const merged = await operator.json<Contact>('POST', `/api/contacts/${target}/merge`, {
      sourceContactId: source,
    });
    expect(merged).toMatchObject({
      id: target,
      name: 'Pyotr',
      phone: '+7 911 111 11 11',
      phoneVerified: false,
    });
    expect((await conversationsOf(target)).map((c) => c.id).sort()).toEqual(
      [telegramLike.conversation.id, widget.conversation.id].sort(),
    );
    const twice = await operator.request('POST', `/api/contacts/${target}/merge`, {
      sourceContactId: source,
    });
    expect(twice.status).toBe(409);
    const self = await operator.request('POST', `/api/contacts/${target}/merge`, { sourceContactId: target });
    expect(self.status).toBe(400);
  });
});
