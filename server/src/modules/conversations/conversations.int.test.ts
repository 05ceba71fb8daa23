// The first end-to-end conversation over real HTTP and sockets, and the delivery guarantees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Conversation,
  Message,
  MessagePage,
  SendAck,
  SendMessageInput,
  SyncAck,
} from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextConversationUpdate,
  nextEvent,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
  openConversation,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import type { ClientSocket } from '../../test/factories.js';

let server: TestServer;
let workspace: TestWorkspace;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  operator = await login(server, workspace.operator);
});
afterAll(() => server.close());

const send = (socket: ClientSocket, event: SendMessageInput) =>
  new Promise<SendAck>((resolve) => socket.emit('message:send', event, resolve));
const sync = (socket: ClientSocket, conversations: { id: string; afterSeq: number }[]) =>
  new Promise<SyncAck>((resolve) => socket.emit('sync', { conversations }, resolve));

describe('a conversation between a widget visitor and an operator', () => {
  it('delivers both ways live, with seqs in order, and keeps the whole history', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const visitorSocket = await connected(visitor.socket());
    const operatorSocket = await connected(operator.socket());

    const announced = nextConversationUpdate(operatorSocket);
    const conversation = await openConversation(visitorSocket);
    expect((await announced).id).toBe(conversation.id);
    expect(conversation.status).toBe('queued');

    const synced = await sync(operatorSocket, [{ id: conversation.id, afterSeq: 0 }]);
    expect(synced.ok).toBe(true);

    const seenByOperator = nextEvent(operatorSocket, 'message:new', (m) => m.kind === 'text');
    const ack = await send(visitorSocket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      text: 'Where is my order?',
    });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message.seq).toBe(1);
    const [live] = await seenByOperator;
    expect(live).toMatchObject({
      id: ack.message.id,
      seq: 1,
      text: 'Where is my order?',
      author: { type: 'visitor' },
    });

    const replySeen = nextEvent(visitorSocket, 'message:new', (m) => m.kind === 'text');
    const reply = await operator.request('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'It ships today.',
    });
    expect(reply.status).toBe(201);
    const [delivered] = await replySeen;
    expect(delivered.text).toBe('It ships today.');
    // The reply assigned the conversation first, so its system event took seq 2.
    expect(delivered.seq).toBe(3);

    const afterReload = await startVisitor(server, workspace.widgetKey, visitor.token);
    expect(afterReload.session.contact.id).toBe(visitor.session.contact.id);
    expect(afterReload.session.conversation?.id).toBe(conversation.id);
    const history = (await (
      await afterReload.request('GET', `/api/widget/conversations/${conversation.id}/messages`)
    ).json()) as MessagePage;
    expect(history.items.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(history.items[1]?.event?.type).toBe('assigned');

    const listed = await operator.json<{ items: Conversation[] }>('GET', '/api/conversations?assignee=me');
    expect(listed.items.map((c) => c.id)).toContain(conversation.id);
    visitorSocket.disconnect();
    operatorSocket.disconnect();
  });

  it('returns the stored message when a send is retried and refuses the same id with other content', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const id = clientId();
    const first = await send(socket, { conversationId: conversation.id, clientMsgId: id, text: 'hello' });
    const retry = await send(socket, { conversationId: conversation.id, clientMsgId: id, text: 'hello' });
    const conflicting = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: id,
      text: 'something else',
    });
    expect(
      first.ok &&
        retry.ok &&
        retry.message.id === first.message.id &&
        retry.message.seq === first.message.seq,
    ).toBe(true);
    expect(conflicting).toMatchObject({ ok: false, error: { code: 'conflict', field: 'clientMsgId' } });

    const viaRest = await visitor.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
      clientMsgId: id,
      text: 'hello',
    });
    expect(viaRest.status).toBe(200);
    const page = (await (
      await visitor.request('GET', `/api/widget/conversations/${conversation.id}/messages`)
    ).json()) as MessagePage;
    expect(page.items.filter((m) => m.clientMsgId === id)).toHaveLength(1);
    socket.disconnect();
  });

  it('gives concurrent senders consecutive seqs with no gaps or duplicates', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const sends = Array.from({ length: 20 }, (_, i) => [
      send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: `visitor ${i}` }),
      operator.request('POST', `/api/conversations/${conversation.id}/messages`, {
        clientMsgId: clientId(),
        text: `operator ${i}`,
        kind: 'note',
      }),
    ]).flat();
    await Promise.all(sends);
    const page = await operator.json<MessagePage>(
      'GET',
      `/api/conversations/${conversation.id}/messages?afterSeq=0&limit=100`,
    );
    expect(page.items.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    socket.disconnect();
  });

  it('never reports a lastSeq in a catch-up beyond the messages it returns, while sends commit', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const operatorSocket = await connected(operator.socket());
    const holes: string[] = [];
    const syncs = Array.from({ length: 60 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 3));
      const afterSeq = 0;
      const ack = await sync(operatorSocket, [{ id: conversation.id, afterSeq }]);
      if (!ack.ok) throw new Error(ack.error.message);
      const entry = ack.conversations[0]!;
      const held = new Set(entry.messages.map((m) => m.seq));
      for (let seq = afterSeq + 1; !entry.hasMore && seq <= entry.conversation.lastSeq; seq++) {
        if (!held.has(seq)) holes.push(`sync ${i}: lastSeq ${entry.conversation.lastSeq} without seq ${seq}`);
      }
    });
    const sends = Array.from({ length: 60 }, (_, i) =>
      send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: `burst ${i}` }),
    );
    await Promise.all([...syncs, ...sends]);
    expect(holes).toEqual([]);
    socket.disconnect();
    operatorSocket.disconnect();
  });

  it('keeps internal notes from the visitor, live and in history, without leaving them a gap', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const received: Message[] = [];
    socket.on('message:new', (m) => received.push(m));
    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'VIP customer',
      kind: 'note',
    });
    await send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: 'hi' });
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map((m) => m.kind)).toEqual(['text']);
    const page = (await (
      await visitor.request('GET', `/api/widget/conversations/${conversation.id}/messages?afterSeq=0`)
    ).json()) as MessagePage;
    expect(page.items.map((m) => m.text)).toEqual(['hi']);
    expect(page.lastSeq).toBe(2);
    const note = await visitor.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'x',
      kind: 'note',
    });
    expect(note.status).toBe(403);
    socket.disconnect();
  });

  it('replays what a reconnecting client missed, from the seq it holds', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    await send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: 'one' });
    socket.disconnect();
    for (const text of ['two', 'three']) {
      await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
        clientMsgId: clientId(),
        text,
      });
    }
    const again = await connected(visitor.socket());
    const result = await sync(again, [{ id: conversation.id, afterSeq: 1 }]);
    if (!result.ok) throw new Error(result.error.message);
    const texts = result.conversations[0]?.messages.filter((m) => m.kind === 'text').map((m) => m.text);
    expect(texts).toEqual(['two', 'three']);
    expect(result.conversations[0]?.conversation.lastSeq).toBe(4);
    again.disconnect();
  });

  it('pages history backwards and forwards', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    for (let i = 1; i <= 12; i++)
      await send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: `m${i}` });
    const newest = await operator.json<MessagePage>(
      'GET',
      `/api/conversations/${conversation.id}/messages?limit=5`,
    );
    expect(newest.items.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(newest).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
    const older = await operator.json<MessagePage>(
      'GET',
      `/api/conversations/${conversation.id}/messages?limit=5&beforeSeq=8`,
    );
    expect(older.items.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(older).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });
    const forwards = await operator.json<MessagePage>(
      'GET',
      `/api/conversations/${conversation.id}/messages?limit=5&afterSeq=9`,
    );
    expect(forwards.items.map((m) => m.seq)).toEqual([10, 11, 12]);
    expect(forwards.hasMoreAfter).toBe(false);
    socket.disconnect();
  });

  it('relays typing (throttled) and read marks between the two sides', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const visitorSocket = await connected(visitor.socket());
    const conversation = await openConversation(visitorSocket);
    const operatorSocket = await connected(operator.socket());
    await sync(operatorSocket, [{ id: conversation.id, afterSeq: 0 }]);
    const typingNotices: unknown[] = [];
    operatorSocket.on('typing', (n) => typingNotices.push(n));
    visitorSocket.emit('typing', { conversationId: conversation.id, typing: true });
    visitorSocket.emit('typing', { conversationId: conversation.id, typing: true });
    const ack = await send(visitorSocket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      text: 'read me',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(typingNotices).toHaveLength(1);

    const readSeen = nextEvent(visitorSocket, 'read');
    await new Promise((resolve) =>
      operatorSocket.emit(
        'read',
        { conversationId: conversation.id, seq: ack.ok ? ack.message.seq : 0 },
        resolve,
      ),
    );
    expect((await readSeen)[0]).toEqual({ conversationId: conversation.id, by: 'operator', seq: 1 });
    const after = await operator.json<Conversation>('GET', `/api/conversations/${conversation.id}`);
    expect(after.operatorLastReadSeq).toBe(1);
    visitorSocket.disconnect();
    operatorSocket.disconnect();
  });

  it('lets one operator take a conversation, then resolve and reopen it, and records each change', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    await send(socket, { conversationId: conversation.id, clientMsgId: clientId(), text: 'help' });
    const admin = await login(server, workspace.admin);
    const [first, second] = await Promise.all([
      operator.request('POST', `/api/conversations/${conversation.id}/take`),
      admin.request('POST', `/api/conversations/${conversation.id}/take`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(
      (await operator.json<Conversation>('POST', `/api/conversations/${conversation.id}/resolve`)).status,
    ).toBe('resolved');
    expect((await operator.request('POST', `/api/conversations/${conversation.id}/resolve`)).status).toBe(
      409,
    );
    expect(
      (await operator.json<Conversation>('POST', `/api/conversations/${conversation.id}/reopen`)).status,
    ).toBe('queued');
    const events = await server.app.services.conversations['repo'].listEvents(workspace.id, conversation.id);
    expect(events.map((e) => e.type)).toEqual(['created', 'queued', 'assigned', 'resolved', 'reopened']);
    socket.disconnect();
  });

  it('filters and searches the conversation list with a cursor', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      text: 'Ёлка не доставлена',
    });
    const found = await operator.json<{ items: Conversation[] }>(
      'GET',
      `/api/conversations?q=${encodeURIComponent('елка')}`,
    );
    expect(found.items.map((c) => c.id)).toEqual([conversation.id]);
    const unassigned = await operator.json<{ items: Conversation[] }>(
      'GET',
      '/api/conversations?assignee=none&status=open',
    );
    expect(unassigned.items.every((c) => c.assigneeId === null && c.status !== 'resolved')).toBe(true);
    const firstPage = await operator.json<{ items: Conversation[]; nextCursor: string | null }>(
      'GET',
      '/api/conversations?limit=2',
    );
    expect(firstPage.items).toHaveLength(2);
    const secondPage = await operator.json<{ items: Conversation[] }>(
      'GET',
      `/api/conversations?limit=2&cursor=${firstPage.nextCursor}`,
    );
    expect(secondPage.items.map((c) => c.id)).not.toContain(firstPage.items[0]?.id);
    socket.disconnect();
  });
});
