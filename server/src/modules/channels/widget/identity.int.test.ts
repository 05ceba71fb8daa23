// Identity verification over real HTTP: a host site's signed user id (HMAC-SHA256) or JWT makes
// the visitor that user's contact, on any device; a forged or expired one is refused and changes
// nothing; an unsigned identify() only sets the profile, and is refused when signatures are required.
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminWidgetSettings,
  Contact,
  Conversation,
  ErrorBody,
  IdentifyResult,
  WidgetSettingsInput,
} from '@frontline/protocol';
import {
  connected,
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
  type Visitor,
} from '../../../test/factories.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let secret: string;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  secret = (await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings')).identitySecret;
}, 30_000);
afterAll(() => server.close());

const sign = (id: string, key = secret) => createHmac('sha256', key).update(id).digest('hex');
const jwt = (claims: Record<string, unknown>, key = secret, expires: string | number = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(key));

const identify = (visitor: Visitor, body: unknown) => visitor.request('POST', '/api/widget/identify', body);

async function identified(visitor: Visitor, body: unknown): Promise<IdentifyResult> {
  const response = await identify(visitor, body);
  if (response.status !== 200) throw new Error(`identify -> ${response.status} ${await response.text()}`);
  return (await response.json()) as IdentifyResult;
}

const contactOf = (id: string) => admin.json<Contact>('GET', `/api/contacts/${id}`);
const saveSettings = (settings: WidgetSettingsInput) => admin.json('PUT', '/api/widget-settings', settings);

describe('identify() with a signature', () => {
  it('accepts a correct HMAC of the id and records the user on the contact', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const result = await identified(visitor, {
      id: 'user-42',
      email: 'Maria@Shop.test',
      name: 'Maria',
      signature: sign('user-42'),
    });
    expect(result.verified).toBe(true);
    expect(result.visitorToken).toBe(visitor.token);
    expect(result.contact).toMatchObject({
      id: visitor.session.contact.id,
      externalId: 'user-42',
      email: 'maria@shop.test',
      name: 'Maria',
    });
  });

  it('refuses a forged signature with 403 and changes nothing', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const forgedWithOtherKey = await identify(visitor, {
      id: 'user-42',
      name: 'Mallory',
      signature: sign('user-42', 'a-guessed-secret'),
    });
    expect(forgedWithOtherKey.status).toBe(403);
    const body = (await forgedWithOtherKey.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'forbidden', field: 'signature' });
    expect(body.error.message).toMatch(/signature/);
    const otherIdsSignature = await identify(visitor, { id: 'user-42', signature: sign('user-43') });
    expect(otherIdsSignature.status).toBe(403);
    const notHex = await identify(visitor, { id: 'user-42', signature: 'zz' });
    expect(notHex.status).toBe(400);
    expect(await contactOf(visitor.session.contact.id)).toMatchObject({ externalId: null, name: null });
  });

  it('continues the same user’s conversation on another device', async () => {
    const laptop = await startVisitor(server, workspace.widgetKey);
    await identified(laptop, { id: 'user-7', signature: sign('user-7') });
    const conversation = (await (
      await laptop.request('POST', '/api/widget/conversations', {})
    ).json()) as Conversation;

    const phone = await startVisitor(server, workspace.widgetKey);
    const result = await identified(phone, { id: 'user-7', signature: sign('user-7') });
    expect(result.visitorToken).not.toBe(phone.token);
    expect(result.contact.id).toBe(laptop.session.contact.id);
    expect(result.conversation?.id).toBe(conversation.id);

    // The new token works at once, the socket included; the phone's old contact stays empty.
    const resumed = await startVisitor(server, workspace.widgetKey, result.visitorToken);
    expect(resumed.session.contact.id).toBe(laptop.session.contact.id);
    const socket = await connected(resumed.socket());
    socket.disconnect();
  });

  it('hands what an anonymous visitor wrote to the user who logs in', async () => {
    const known = await startVisitor(server, workspace.widgetKey);
    await identified(known, { id: 'user-8', signature: sign('user-8') });

    const anonymous = await startVisitor(server, workspace.widgetKey);
    const conversation = (await (
      await anonymous.request('POST', '/api/widget/conversations', {})
    ).json()) as Conversation;
    const result = await identified(anonymous, { id: 'user-8', signature: sign('user-8') });
    expect(result.contact.id).toBe(known.session.contact.id);
    expect(result.conversation?.id).toBe(conversation.id);
  });

  it('gives another user on the same browser a contact of their own', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    await identified(visitor, { id: 'user-9', signature: sign('user-9') });
    const other = await identified(visitor, { id: 'user-10', signature: sign('user-10') });
    expect(other.contact.id).not.toBe(visitor.session.contact.id);
    expect(other.contact.externalId).toBe('user-10');
    expect((await contactOf(visitor.session.contact.id)).externalId).toBe('user-9');
  });
});

describe('identify() with a JWT', () => {
  it('accepts a token signed with the identity secret, claims and all', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const result = await identified(visitor, {
      token: await jwt({ sub: 'user-100', email: 'ivan@shop.test', name: 'Ivan', phone: '+7 900 000-00-00' }),
    });
    expect(result.verified).toBe(true);
    expect(result.contact).toMatchObject({
      externalId: 'user-100',
      email: 'ivan@shop.test',
      name: 'Ivan',
      phone: '+7 900 000-00-00',
    });
  });

  it('refuses a token with another key, an expired one, one without sub and another algorithm', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const wrongKey = await identify(visitor, { token: await jwt({ sub: 'user-100' }, 'x'.repeat(64)) });
    expect(wrongKey.status).toBe(403);
    const expired = await identify(visitor, {
      token: await jwt({ sub: 'user-100' }, secret, Math.floor(Date.now() / 1000) - 60),
    });
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as ErrorBody).error.message).toMatch(/expired/);
    expect((await identify(visitor, { token: await jwt({ name: 'nobody' }) })).status).toBe(403);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"user-100"}').toString('base64url')}.`;
    expect((await identify(visitor, { token: unsigned })).status).toBe(403);
    expect((await contactOf(visitor.session.contact.id)).externalId).toBeNull();
  });
});

describe('identify() without proof', () => {
  it('sets only the profile while signatures are optional, and is refused when they are required', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const result = await identified(visitor, { id: 'user-42', name: 'Not Maria', email: 'x@shop.test' });
    expect(result.verified).toBe(false);
    expect(result.contact).toMatchObject({
      id: visitor.session.contact.id,
      externalId: null,
      name: 'Not Maria',
    });

    await saveSettings({ identity: { required: true } });
    try {
      const refused = await identify(visitor, { id: 'user-42', name: 'Still not Maria' });
      expect(refused.status).toBe(403);
      expect((await contactOf(visitor.session.contact.id)).name).toBe('Not Maria');
      expect((await identify(visitor, { id: 'user-11', signature: sign('user-11') })).status).toBe(200);
    } finally {
      await saveSettings({ identity: { required: false } });
    }
    expect((await identify(visitor, {})).status).toBe(400);
    expect((await identify(visitor, { signature: sign('x') })).status).toBe(400);
  });

  it('stops accepting signatures made with a rotated-out secret', async () => {
    const old = secret;
    secret = (await admin.json<AdminWidgetSettings>('POST', '/api/widget-settings/identity-secret'))
      .identitySecret;
    const visitor = await startVisitor(server, workspace.widgetKey);
    expect((await identify(visitor, { id: 'user-12', signature: sign('user-12', old) })).status).toBe(403);
    expect((await identify(visitor, { id: 'user-12', signature: sign('user-12') })).status).toBe(200);
  });
});
