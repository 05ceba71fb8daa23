// Rich content over real HTTP and sockets: an operator offers buttons, the visitor answers one,
// and every misuse is refused with an error that names the problem.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, SendAck, SendMessageInput } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextEvent,
  openConversation,
  startVisitor,
  type ClientSocket,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

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

async function conversationWithMenu() {
  const visitor = await startVisitor(server, workspace.widgetKey);
  const socket = await connected(visitor.socket());
  const conversation = await openConversation(socket);
  const seen = nextEvent(socket, 'message:new', (m) => m.buttons.length > 0);
  const menu = await operator.json<Message>('POST', `/api/conversations/${conversation.id}/messages`, {
    clientMsgId: clientId(),
    text: 'What is it about?',
    buttons: [
      { id: 'delivery', label: 'Delivery' },
      { id: 'returns', label: 'Returns' },
      { id: 'site', label: 'Our site', url: 'https://shop.example/help' },
    ],
  });
  return { socket, conversation, menu, seen };
}

describe('message buttons', () => {
  it('reach the visitor live and a button answer carries its label and the button it answers', async () => {
    const { socket, conversation, menu, seen } = await conversationWithMenu();
    const [live] = await seen;
    expect(live.buttons.map((b) => b.label)).toEqual(['Delivery', 'Returns', 'Our site']);
    expect(live.buttons[0]?.url).toBeNull();

    const id = clientId();
    const answer = {
      conversationId: conversation.id,
      clientMsgId: id,
      replyTo: { messageId: menu.id, buttonId: 'returns' },
    };
    const ack = await send(socket, answer);
    expect(ack.ok && ack.message).toMatchObject({ text: 'Returns', replyTo: { buttonId: 'returns' } });
    const retried = await send(socket, answer);
    expect(retried.ok && ack.ok && retried.message.id).toBe(ack.ok && ack.message.id);

    const page = await operator.json<{ items: Message[] }>(
      'GET',
      `/api/conversations/${conversation.id}/messages`,
    );
    expect(page.items.find((m) => m.id === menu.id)?.buttons).toHaveLength(3);
    socket.disconnect();
  });

  it('refuses answers to a button the message does not have, or to a link button', async () => {
    const { socket, conversation, menu } = await conversationWithMenu();
    const missing = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      replyTo: { messageId: menu.id, buttonId: 'nope' },
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'validation_failed', field: 'replyTo' } });
    const link = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      replyTo: { messageId: menu.id, buttonId: 'site' },
    });
    expect(link).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    socket.disconnect();
  });

  it('lets only staff send buttons and only visitors answer them', async () => {
    const { socket, conversation, menu } = await conversationWithMenu();
    const fromVisitor = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      text: 'hi',
      buttons: [{ id: 'x', label: 'X' }],
    });
    expect(fromVisitor).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const fromOperator = await operator.request('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      replyTo: { messageId: menu.id, buttonId: 'delivery' },
    });
    expect(fromOperator.status).toBe(403);
    const duplicateIds = await operator.request('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'pick',
      buttons: [
        { id: 'a', label: 'A' },
        { id: 'a', label: 'B' },
      ],
    });
    expect(duplicateIds.status).toBe(400);
    expect(await duplicateIds.text()).toContain('own id');
    socket.disconnect();
  });
});

describe('shared locations and contacts', () => {
  it('are stored without text and previewed in the conversation list', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const ack = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      location: { latitude: 55.75, longitude: 37.62, name: 'Red Square' },
    });
    expect(ack.ok && ack.message.location).toEqual({
      latitude: 55.75,
      longitude: 37.62,
      name: 'Red Square',
      address: null,
    });
    const listed = await operator.json<{ items: { id: string; lastMessagePreview: string | null }[] }>(
      'GET',
      `/api/conversations?contactId=${visitor.session.contact.id}`,
    );
    expect(listed.items[0]?.lastMessagePreview).toBe('📍 Red Square');
    const outOfRange = await send(socket, {
      conversationId: conversation.id,
      clientMsgId: clientId(),
      location: { latitude: 91, longitude: 0 },
    });
    expect(outOfRange.ok).toBe(false);
    socket.disconnect();
  });
});
