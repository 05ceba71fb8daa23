// Two workspaces on one server: every route and socket event tried with the other workspace's ids
// must fail as if the data did not exist, and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Conversation,
  CreatedApiToken,
  FileInfo,
  MessagePage,
  SendAck,
  SyncAck,
} from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  openConversation,
  startVisitor,
  type StaffClient,
} from './factories.js';
import { startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let victimConversation: Conversation;
let victimContactId: string;
let victimFile: FileInfo;
let victimOperator: StaffClient;
let intruder: StaffClient;
let intruderToken: string;
let victimKey: string;

beforeAll(async () => {
  server = await startTestServer();
  const victim = await createWorkspace(server);
  const other = await createWorkspace(server);
  victimKey = victim.widgetKey;
  victimOperator = await login(server, victim.operator);
  intruder = await login(server, other.admin);
  intruderToken = (
    await intruder.json<CreatedApiToken>('POST', '/api/tokens', {
      name: 'all',
      scopes: [
        'conversations:read',
        'conversations:write',
        'messages:read',
        'messages:write',
        'contacts:read',
        'contacts:write',
        'files:write',
      ],
    })
  ).token;
  const visitor = await startVisitor(server, victim.widgetKey);
  const socket = await connected(visitor.socket());
  victimConversation = await openConversation(socket);
  await new Promise((resolve) =>
    socket.emit(
      'message:send',
      {
        conversationId: victimConversation.id,
        clientMsgId: clientId(),
        text: 'secret order 42',
        kind: 'text',
        fileIds: [],
      },
      resolve,
    ),
  );
  socket.disconnect();
  victimContactId = visitor.session.contact.id;
  const form = new FormData();
  form.append('file', new Blob(['private notes'], { type: 'text/plain' }), 'notes.txt');
  victimFile = (await (
    await fetch(`${server.url}/api/files`, {
      method: 'POST',
      headers: { cookie: victimOperator.cookie, 'x-csrf-token': victimOperator.session.csrfToken },
      body: form,
    })
  ).json()) as FileInfo;
});
afterAll(() => server.close());

describe('workspace isolation', () => {
  it('hides every conversation, message and contact route from another workspace (session and API token)', async () => {
    const c = victimConversation.id;
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/conversations/${c}`],
      ['GET', `/api/conversations/${c}/messages`],
      ['POST', `/api/conversations/${c}/messages`, { clientMsgId: clientId(), text: 'intrusion' }],
      ['POST', `/api/conversations/${c}/resolve`],
      ['POST', `/api/conversations/${c}/reopen`],
      ['GET', `/api/contacts/${victimContactId}`],
      ['PATCH', `/api/contacts/${victimContactId}`, { name: 'Hacked' }],
    ];
    for (const [method, route, body] of routes) {
      const viaSession = await intruder.request(method, route, body);
      expect(viaSession.status, `${method} ${route} (session)`).toBe(404);
      const viaToken = await fetch(server.url + route, {
        method,
        headers: {
          authorization: `Bearer ${intruderToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(viaToken.status, `${method} ${route} (token)`).toBe(404);
    }
    expect((await intruder.request('POST', `/api/conversations/${c}/take`)).status).toBe(404);
  });

  it("never lists or finds the other workspace's data", async () => {
    const listed = await intruder.json<{ items: Conversation[] }>('GET', `/api/conversations?q=secret`);
    expect(listed.items).toEqual([]);
    const byContact = await intruder.json<{ items: Conversation[] }>(
      'GET',
      `/api/conversations?contactId=${victimContactId}`,
    );
    expect(byContact.items).toEqual([]);
    const contacts = await intruder.json<{ items: unknown[] }>('GET', '/api/contacts');
    expect(contacts.items).toEqual([]);
  });

  it("refuses attaching another workspace's file", async () => {
    const own = await intruder.json<{ items: Conversation[] }>('GET', '/api/conversations');
    expect(own.items).toEqual([]);
    const otherVisitor = await startVisitor(
      server,
      (await intruder.json<{ widgetKey: string }>('GET', '/api/workspace')).widgetKey,
    );
    const socket = await connected(otherVisitor.socket());
    const conversation = await openConversation(socket);
    const attempt = await intruder.request('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'see',
      fileIds: [victimFile.id],
    });
    expect(attempt.status).toBe(400);
    const visitorAttempt = await new Promise<SendAck>((resolve) =>
      socket.emit(
        'message:send',
        {
          conversationId: conversation.id,
          clientMsgId: clientId(),
          text: 'x',
          kind: 'text',
          fileIds: [victimFile.id],
        },
        resolve,
      ),
    );
    expect(visitorAttempt).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    socket.disconnect();
  });

  it("refuses every socket event on another workspace's conversation, for operators and visitors", async () => {
    const c = victimConversation.id;
    const operatorSocket = await connected(intruder.socket());
    const strangerVisitor = await startVisitor(server, victimKey);
    const visitorSocket = await connected(strangerVisitor.socket());
    const seen: unknown[] = [];
    for (const socket of [operatorSocket, visitorSocket]) {
      socket.on('message:new', (m) => seen.push(m));
      socket.on('typing', (t) => seen.push(t));
      const synced = await new Promise<SyncAck>((resolve) =>
        socket.emit('sync', { conversations: [{ id: c, afterSeq: 0 }] }, resolve),
      );
      expect(synced).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const sent = await new Promise<SendAck>((resolve) =>
        socket.emit(
          'message:send',
          { conversationId: c, clientMsgId: clientId(), text: 'x', kind: 'text', fileIds: [] },
          resolve,
        ),
      );
      expect(sent).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const read = await new Promise((resolve) =>
        socket.emit('read', { conversationId: c, seq: 1 }, resolve),
      );
      expect(read).toMatchObject({ ok: false, error: { code: 'not_found' } });
      socket.emit('typing', { conversationId: c, typing: true });
    }
    // A new message in the victim's conversation must not reach either socket.
    await victimOperator.json('POST', `/api/conversations/${c}/messages`, {
      clientMsgId: clientId(),
      text: 'private reply',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
    const rest = await strangerVisitor.request('GET', `/api/widget/conversations/${c}/messages`);
    expect(rest.status).toBe(404);
    const history = await victimOperator.json<MessagePage>('GET', `/api/conversations/${c}/messages`);
    expect(history.items.map((m) => m.text)).not.toContain('intrusion');
    // The stranger's read marks moved nothing of the victim's.
    const after = await victimOperator.json<Conversation>('GET', `/api/conversations/${c}`);
    expect(after.visitorLastReadSeq).toBe(0);
    expect(history.items.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual([
      'secret order 42',
      'private reply',
    ]);
    operatorSocket.disconnect();
    visitorSocket.disconnect();
  });

  it("does not resume a visitor token in another workspace's widget", async () => {
    const victimVisitor = await startVisitor(server, victimKey);
    const otherKey = (await intruder.json<{ widgetKey: string }>('GET', '/api/workspace')).widgetKey;
    const elsewhere = await startVisitor(server, otherKey, victimVisitor.token);
    expect(elsewhere.session.contact.id).not.toBe(victimVisitor.session.contact.id);
    expect(elsewhere.token).not.toBe(victimVisitor.token);
  });
});
