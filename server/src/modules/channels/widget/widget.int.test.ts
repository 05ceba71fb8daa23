// The widget's server side over real HTTP: settings (admins only, validated), the public config,
// the pre-chat and offline forms, proactive invitations, ratings, the page trail and attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminWidgetSettings,
  Contact,
  Conversation,
  ConversationRating,
  ErrorBody,
  FileInfo,
  MessagePage,
  OfflineRequestResult,
  RatingState,
  WidgetConfig,
  WidgetSession,
  WidgetSettingsInput,
} from '@frontline/protocol';
import {
  clientId,
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
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  [admin, operator] = await Promise.all([login(server, workspace.admin), login(server, workspace.operator)]);
}, 30_000);
afterAll(() => server.close());

const config = async (key = workspace.widgetKey) =>
  (await fetch(`${server.url}/api/widget/${key}/config`)).json() as Promise<WidgetConfig>;

async function saveSettings(settings: WidgetSettingsInput): Promise<AdminWidgetSettings> {
  return admin.json<AdminWidgetSettings>('PUT', '/api/widget-settings', settings);
}

async function errorOf(response: Response): Promise<ErrorBody['error'] & { status: number }> {
  return { status: response.status, ...((await response.json()) as ErrorBody).error };
}

async function eventsOf(conversationId: string) {
  const rows = await server.app.storage.db
    .selectFrom('conversation_events')
    .select(['type', 'data'])
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
}

const visitorJson = async <T>(visitor: Visitor, method: string, route: string, body?: unknown) => {
  const response = await visitor.request(method, route, body);
  if (!response.ok) throw new Error(`${method} ${route} -> ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const setPresence = (client: StaffClient, presence: 'online' | 'offline') =>
  client.json('PUT', '/api/me/presence', { presence });

describe('widget settings', () => {
  it('are for admins only, start from defaults and come with an identity secret', async () => {
    expect((await operator.request('GET', '/api/widget-settings')).status).toBe(403);
    expect((await operator.request('PUT', '/api/widget-settings', {})).status).toBe(403);
    const settings = await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings');
    expect(settings.appearance).toMatchObject({ color: '#2563eb', position: 'right', language: 'auto' });
    expect(settings.offline.enabled).toBe(true);
    expect(settings.preChat.enabled).toBe(false);
    expect(settings.widgetKey).toBe(workspace.widgetKey);
    expect(settings.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect((await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings')).identitySecret).toBe(
      settings.identitySecret,
    );
  });

  it('refuses bad settings with the field named and keeps the old ones', async () => {
    const before = await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings');
    const badColour = await errorOf(
      await admin.request('PUT', '/api/widget-settings', { appearance: { color: 'blue' } }),
    );
    expect(badColour).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(badColour.field).toContain('color');

    const duplicateFields = await admin.request('PUT', '/api/widget-settings', {
      preChat: {
        enabled: true,
        fields: [
          { id: 'mail', kind: 'email' },
          { id: 'mail2', kind: 'email' },
        ],
      },
    });
    expect(duplicateFields.status).toBe(400);

    const missingAvatar = await errorOf(
      await admin.request('PUT', '/api/widget-settings', {
        appearance: { team: [{ name: 'Anna', avatarFileId: '00000000-0000-7000-8000-000000000001' }] },
      }),
    );
    expect(missingAvatar).toMatchObject({ status: 400, field: 'fileIds' });

    const emptyInvitation = await admin.request('PUT', '/api/widget-settings', {
      invitations: [{ id: 'hello', text: { ru: '', en: '' } }],
    });
    expect(emptyInvitation.status).toBe(400);
    expect(await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings')).toEqual(before);
  });

  it('shape the public config: appearance, team avatars, enabled invitations, who is online', async () => {
    const form = new FormData();
    // A 1×1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    form.append('file', new Blob([png], { type: 'image/png' }), 'anna.png');
    const upload = await fetch(`${server.url}/api/files`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.session.csrfToken },
      body: form,
    });
    const avatar = (await upload.json()) as FileInfo;
    await saveSettings({
      appearance: {
        color: '#0f766e',
        position: 'left',
        launcherText: { ru: 'Напишите нам', en: 'Chat with us' },
        team: [{ name: 'Anna', avatarFileId: avatar.id }, { name: 'Ivan' }],
        greeting: { ru: 'Платежи задерживаются, исправим к 15:00', en: 'Payments are delayed until 15:00' },
        language: 'en',
      },
      invitations: [
        {
          id: 'pricing',
          text: { en: 'Questions about prices?' },
          urlPattern: '*/pricing*',
          minSecondsOnPage: 10,
        },
        { id: 'off', enabled: false, text: { en: 'Never shown' } },
      ],
    });
    const shown = await config();
    expect(shown.appearance).toMatchObject({ color: '#0f766e', position: 'left', language: 'en' });
    expect(shown.appearance.team[0]?.avatarUrl).toMatch(new RegExp(`^/files/${avatar.id}/`));
    expect(shown.appearance.team[1]).toEqual({ name: 'Ivan', avatarUrl: null });
    expect(shown.invitations.map((i) => i.id)).toEqual(['pricing']);
    expect(shown.operatorsOnline).toBe(false);
    expect(shown.offline.emailReplies).toBe(false);
    expect(JSON.stringify(shown)).not.toContain('identitySecret');

    const avatarResponse = await fetch(server.url + (shown.appearance.team[0]?.avatarUrl ?? ''));
    expect(avatarResponse.headers.get('content-type')).toBe('image/png');

    await setPresence(operator, 'online');
    expect((await config()).operatorsOnline).toBe(true);
    await setPresence(operator, 'offline');
    expect((await fetch(`${server.url}/api/widget/nope/config`)).status).toBe(404);
  });

  it('let supervisors change the greeting (the current incident), which open widgets show at once', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const heard: unknown[] = [];
    socket.on('widget:greeting', (greeting: unknown) => heard.push(greeting));
    const greeting = { ru: 'Платежи задерживаются, уже чиним.', en: 'Payments are delayed; we are on it.' };
    const route = '/api/widget-settings/greeting';
    expect((await operator.request('PUT', route, { greeting })).status).toBe(403);
    const tooLong = await admin.request('PUT', route, { greeting: { ru: 'x'.repeat(501), en: '' } });
    expect(tooLong.status).toBe(400);
    expect(heard).toEqual([]);
    expect(await admin.json('PUT', route, { greeting })).toEqual({ greeting });
    const deadline = Date.now() + 5_000;
    while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([greeting]);
    expect((await config()).appearance.greeting).toEqual(greeting);
    expect(await admin.json('GET', route)).toEqual({ greeting });
    socket.disconnect();
  });

  it('rotates the identity secret', async () => {
    const before = await admin.json<AdminWidgetSettings>('GET', '/api/widget-settings');
    const after = await admin.json<AdminWidgetSettings>('POST', '/api/widget-settings/identity-secret');
    expect(after.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(after.identitySecret).not.toBe(before.identitySecret);
  });
});

describe('the pre-chat form', () => {
  it('is refused while turned off, then checked against the fields the admin set', async () => {
    await saveSettings({ preChat: { enabled: false } });
    const visitor = await startVisitor(server, workspace.widgetKey);
    expect((await visitor.request('POST', '/api/widget/prechat', { values: {} })).status).toBe(403);

    await saveSettings({
      preChat: {
        enabled: true,
        fields: [
          { id: 'name', kind: 'name', label: { en: 'Name' }, required: true },
          { id: 'email', kind: 'email', label: { en: 'E-mail' }, required: true },
          { id: 'order', kind: 'text', label: { en: 'Order number' } },
        ],
      },
    });
    const missing = await errorOf(
      await visitor.request('POST', '/api/widget/prechat', { values: { name: 'Pavel' } }),
    );
    expect(missing).toMatchObject({ status: 400, code: 'validation_failed', field: 'values.email' });
    const badEmail = await errorOf(
      await visitor.request('POST', '/api/widget/prechat', { values: { name: 'Pavel', email: 'pavel@' } }),
    );
    expect(badEmail).toMatchObject({ status: 400, field: 'values.email' });
    const unknown = await errorOf(
      await visitor.request('POST', '/api/widget/prechat', {
        values: { name: 'Pavel', email: 'p@shop.test', age: '40' },
      }),
    );
    expect(unknown).toMatchObject({ status: 400, field: 'values.age' });

    const contact = await visitorJson<Contact>(visitor, 'POST', '/api/widget/prechat', {
      values: { name: 'Pavel', email: 'Pavel@Shop.test', order: 'A-1042' },
    });
    expect(contact).toMatchObject({
      name: 'Pavel',
      email: 'pavel@shop.test',
      attributes: { order: 'A-1042' },
    });
    await saveSettings({ preChat: { enabled: false } });
  });
});

describe('the offline form', () => {
  it('lands as an offline request when nobody is online, once however often it is retried', async () => {
    await saveSettings({ offline: { enabled: true, emailRequired: false } });
    const visitor = await startVisitor(server, workspace.widgetKey);
    const body = {
      clientMsgId: clientId(),
      name: 'Olga',
      email: 'olga@shop.test',
      text: 'Call me back please',
    };
    const first = await visitor.request('POST', '/api/widget/offline-requests', body);
    expect(first.status).toBe(201);
    const result = (await first.json()) as OfflineRequestResult;
    expect(result.conversation.status).toBe('offline');
    expect(result.message).toMatchObject({ text: 'Call me back please', author: { type: 'visitor' } });
    expect(result.conversation.contact).toMatchObject({ name: 'Olga', email: 'olga@shop.test' });

    const retried = await visitorJson<OfflineRequestResult>(
      visitor,
      'POST',
      '/api/widget/offline-requests',
      body,
    );
    expect(retried.conversation.id).toBe(result.conversation.id);
    expect(retried.message.id).toBe(result.message.id);

    expect(await eventsOf(result.conversation.id)).toEqual([
      { type: 'created', data: { source: 'visitor' } },
      { type: 'went_offline', data: { reason: 'no_operators' } },
    ]);
    const offline = await operator.json<{ items: Conversation[] }>(
      'GET',
      '/api/conversations?status=offline',
    );
    expect(offline.items.map((c) => c.id)).toContain(result.conversation.id);
    const page = await operator.json<MessagePage>(
      'GET',
      `/api/conversations/${result.conversation.id}/messages`,
    );
    expect(page.items.map((m) => m.event?.type ?? m.text)).toEqual(['went_offline', 'Call me back please']);
  });

  it('asks for the e-mail when the admin requires it, and is refused while turned off', async () => {
    await saveSettings({ offline: { enabled: true, emailRequired: true } });
    const visitor = await startVisitor(server, workspace.widgetKey);
    const noEmail = await errorOf(
      await visitor.request('POST', '/api/widget/offline-requests', { clientMsgId: clientId(), text: 'Hi' }),
    );
    expect(noEmail).toMatchObject({ status: 400, field: 'email' });
    const badEmail = await visitor.request('POST', '/api/widget/offline-requests', {
      clientMsgId: clientId(),
      email: 'not-an-address',
      text: 'Hi',
    });
    expect(badEmail.status).toBe(400);
    const empty = await visitor.request('POST', '/api/widget/offline-requests', {
      clientMsgId: clientId(),
      email: 'a@b.test',
      text: '   ',
    });
    expect(empty.status).toBe(400);

    await saveSettings({ offline: { enabled: false } });
    const off = await visitor.request('POST', '/api/widget/offline-requests', {
      clientMsgId: clientId(),
      email: 'a@b.test',
      text: 'Hi',
    });
    expect(off.status).toBe(403);
    const conversations = await operator.json<{ items: Conversation[] }>(
      'GET',
      `/api/conversations?contactId=${visitor.session.contact.id}`,
    );
    expect(conversations.items).toEqual([]);
    await saveSettings({ offline: { enabled: true } });
  });

  it('queues the request as a normal conversation when an operator came online meanwhile', async () => {
    await setPresence(operator, 'online');
    try {
      const visitor = await startVisitor(server, workspace.widgetKey);
      const result = await visitorJson<OfflineRequestResult>(
        visitor,
        'POST',
        '/api/widget/offline-requests',
        {
          clientMsgId: clientId(),
          text: 'Are you there?',
        },
      );
      expect(result.conversation.status).not.toBe('offline');
      expect((await eventsOf(result.conversation.id)).map((e) => e.type)).toContain('queued');
    } finally {
      await setPresence(operator, 'offline');
    }
  });
});

describe('proactive invitations', () => {
  it('open a conversation with the invitation text, recorded as proactive', async () => {
    await saveSettings({
      appearance: { team: [{ name: 'Anna' }] },
      invitations: [{ id: 'pricing', text: { ru: 'Есть вопросы о ценах?', en: 'Questions about prices?' } }],
    });
    const visitor = await startVisitor(server, workspace.widgetKey);
    const unknown = await errorOf(
      await visitor.request('POST', '/api/widget/conversations', {
        source: 'proactive',
        invitationId: 'nope',
      }),
    );
    expect(unknown).toMatchObject({ status: 400, field: 'invitationId' });
    const mixed = await visitor.request('POST', '/api/widget/conversations', {
      source: 'visitor',
      invitationId: 'pricing',
    });
    expect(mixed.status).toBe(400);

    const conversation = await visitorJson<Conversation>(visitor, 'POST', '/api/widget/conversations', {
      source: 'proactive',
      invitationId: 'pricing',
      lang: 'en',
    });
    expect(conversation.status).toBe('queued');
    expect((await eventsOf(conversation.id))[0]).toEqual({ type: 'created', data: { source: 'proactive' } });
    const page = await visitorJson<MessagePage>(
      visitor,
      'GET',
      `/api/widget/conversations/${conversation.id}/messages`,
    );
    expect(page.items[0]).toMatchObject({
      text: 'Questions about prices?',
      author: { type: 'bot', name: 'Anna' },
    });
    // Asking again returns the open conversation instead of a second one.
    const again = await visitorJson<Conversation>(visitor, 'POST', '/api/widget/conversations', {});
    expect(again.id).toBe(conversation.id);
  });
});

describe('ratings', () => {
  it('are taken once per resolution, with their event, and only for the visitor’s own resolved conversation', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await visitorJson<Conversation>(visitor, 'POST', '/api/widget/conversations', {});
    const rate = (body: unknown, who = visitor) =>
      who.request('POST', `/api/widget/conversations/${conversation.id}/rating`, body);

    expect(await errorOf(await rate({ rating: 'good' }))).toMatchObject({ status: 409, code: 'conflict' });
    await operator.json('POST', `/api/conversations/${conversation.id}/take`);
    await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);

    expect((await rate({ rating: 'excellent' })).status).toBe(400);
    expect((await rate({ rating: 'bad', comment: 'x'.repeat(1001) })).status).toBe(400);
    const stranger = await startVisitor(server, workspace.widgetKey);
    expect((await rate({ rating: 'good' }, stranger)).status).toBe(404);

    const stored = await rate({ rating: 'bad', comment: ' Too slow ' });
    expect(stored.status).toBe(201);
    expect((await stored.json()) as ConversationRating).toMatchObject({ rating: 'bad', comment: 'Too slow' });
    expect((await rate({ rating: 'good' })).status).toBe(409);
    expect(
      await visitorJson<RatingState>(visitor, 'GET', `/api/widget/conversations/${conversation.id}/rating`),
    ).toMatchObject({ rating: { rating: 'bad', comment: 'Too slow' } });

    const events = await eventsOf(conversation.id);
    expect(events.filter((e) => e.type === 'rated')).toEqual([
      { type: 'rated', data: { rating: 'bad', comment: 'Too slow' } },
    ]);
    const page = await operator.json<MessagePage>('GET', `/api/conversations/${conversation.id}/messages`);
    expect(page.items.at(-1)?.event).toEqual({ type: 'rated', data: { rating: 'bad', comment: 'Too slow' } });

    // Reopened and resolved again, it may be rated again.
    await operator.json('POST', `/api/conversations/${conversation.id}/reopen`);
    expect(
      await visitorJson<RatingState>(visitor, 'GET', `/api/widget/conversations/${conversation.id}/rating`),
    ).toEqual({ rating: null });
    await operator.json('POST', `/api/conversations/${conversation.id}/take`);
    await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);
    expect((await rate({ rating: 'good' })).status).toBe(201);
  });
});

describe('the visit', () => {
  it('keeps the page trail on the contact and shows opened pages in the conversation', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await visitorJson<Conversation>(visitor, 'POST', '/api/widget/conversations', {});
    const open = (url: string, title: string) => visitor.request('POST', '/api/widget/pages', { url, title });
    expect((await open('https://shop.test/delivery', 'Delivery')).status).toBe(204);
    expect((await open('https://shop.test/delivery', 'Delivery and returns')).status).toBe(204);
    expect((await open('https://shop.test/cart', 'Cart')).status).toBe(204);
    expect((await open('javascript:alert(1)', 'x')).status).toBe(400);
    expect((await visitor.request('POST', '/api/widget/pages', { title: 'no url' })).status).toBe(400);

    const contact = await operator.json<Contact>('GET', `/api/contacts/${visitor.session.contact.id}`);
    expect(contact.metadata.pageTrail?.map((p) => [p.url, p.title])).toEqual([
      ['https://shop.test/cart', ''],
      ['https://shop.test/delivery', 'Delivery and returns'],
      ['https://shop.test/cart', 'Cart'],
    ]);
    expect(contact.metadata).toMatchObject({ pageUrl: 'https://shop.test/cart', pageTitle: 'Cart' });

    const page = await operator.json<MessagePage>('GET', `/api/conversations/${conversation.id}/messages`);
    expect(page.items.filter((m) => m.event?.type === 'page_opened').map((m) => m.event?.data)).toEqual([
      { url: 'https://shop.test/delivery', title: 'Delivery' },
      { url: 'https://shop.test/cart', title: 'Cart' },
    ]);
  });

  it('keeps what the widget reports about the visit, but not a trail a client makes up', async () => {
    const response = await fetch(`${server.url}/api/widget/${workspace.widgetKey}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        metadata: {
          pageUrl: 'https://shop.test/?utm_source=mail',
          referrer: 'https://search.test/',
          utm: { source: 'mail', campaign: 'spring' },
          visitStartedAt: 1_700_000_000_000,
          visits: 3,
          pageTrail: [{ url: 'https://evil.test', title: 'made up', at: 1 }],
        },
      }),
    });
    const session = (await response.json()) as WidgetSession;
    expect(session.contact.metadata).toMatchObject({
      referrer: 'https://search.test/',
      utm: { source: 'mail', campaign: 'spring' },
      visitStartedAt: 1_700_000_000_000,
      visits: 3,
    });
    expect(session.contact.metadata.pageTrail?.map((p) => p.url)).toEqual([
      'https://shop.test/?utm_source=mail',
    ]);
  });

  it('returns the latest conversation, resolved too, on the next visit', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await visitorJson<Conversation>(visitor, 'POST', '/api/widget/conversations', {});
    await operator.json('POST', `/api/conversations/${conversation.id}/take`);
    await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);
    const next = await startVisitor(server, workspace.widgetKey, visitor.token);
    expect(next.session.conversation).toMatchObject({ id: conversation.id, status: 'resolved' });
  });

  it('sets custom attributes, within limits', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const contact = await visitorJson<Contact>(visitor, 'POST', '/api/widget/attributes', {
      attributes: { plan: 'pro', seats: 12, trial: false },
    });
    expect(contact.attributes).toEqual({ plan: 'pro', seats: 12, trial: false });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect((await visitor.request('POST', '/api/widget/attributes', { attributes: tooMany })).status).toBe(
      400,
    );
    expect(
      (await visitor.request('POST', '/api/widget/attributes', { attributes: { a: { b: 1 } } })).status,
    ).toBe(400);
    const noToken = await fetch(`${server.url}/api/widget/attributes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attributes: {} }),
    });
    expect(noToken.status).toBe(401);
  });
});
