// The inbox over real HTTP and sockets: each queue of the sidebar holds what it says for the
// operator asking, the counters agree with the lists, a visitor's message waits until the team
// replies, and a handover gives the conversation to a colleague with a note the visitor never sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Conversation,
  Department,
  InboxCounts,
  InboxQueue,
  InvitedMember,
  Message,
  MessagePage,
  SendAck,
} from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextConversationUpdate,
  openConversation,
  startVisitor,
  type ClientSocket,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const send = (socket: ClientSocket, conversationId: string, text: string) =>
  new Promise<SendAck>((resolve) =>
    socket.emit('message:send', { conversationId, clientMsgId: clientId(), text }, resolve),
  );

async function visitorWrites(workspace: TestWorkspace, text: string) {
  const visitor = await startVisitor(server, workspace.widgetKey);
  const socket = await connected(visitor.socket());
  const conversation = await openConversation(socket);
  await send(socket, conversation.id, text);
  return { socket, conversation };
}

async function queue(client: StaffClient, name: InboxQueue): Promise<string[]> {
  const page = await client.json<{ items: Conversation[] }>('GET', `/api/conversations?queue=${name}`);
  return page.items.map((c) => c.id);
}

describe('the inbox queues', () => {
  let workspace: TestWorkspace;
  let admin: StaffClient;
  let olga: StaffClient;
  let colleague: StaffClient;

  beforeAll(async () => {
    workspace = await createWorkspace(server);
    admin = await login(server, workspace.admin);
    olga = await login(server, workspace.operator);
    const invited = await admin.json<InvitedMember>('POST', '/api/team', {
      email: `colleague-${workspace.id}@test.local`,
      name: 'Colleague',
    });
    colleague = await login(server, { email: invited.member.email, password: invited.password });
    // Four argon2 hashes and three logins: slow by design, slower on a busy machine.
  }, 60_000);

  it('sort conversations into awaiting, mine, common, other and recent, with counters to match', async () => {
    const olgasDepartment = await admin.json<Department>('POST', '/api/departments', {
      name: 'Olga’s',
      memberIds: [olga.session.user.id],
    });
    const elsewhere = await admin.json<Department>('POST', '/api/departments', { name: 'Elsewhere' });

    const taken = await visitorWrites(workspace, 'I need help');
    await olga.json('POST', `/api/conversations/${taken.conversation.id}/take`);
    const answered = await visitorWrites(workspace, 'Another question');
    await olga.json('POST', `/api/conversations/${answered.conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Here is the answer',
    });
    const waiting = await visitorWrites(workspace, 'Nobody yet');
    const inMyDepartment = await visitorWrites(workspace, 'For my department');
    await admin.json('POST', `/api/conversations/${inMyDepartment.conversation.id}/transfer`, {
      departmentId: olgasDepartment.id,
      reason: 'Their topic',
    });
    const inOtherDepartment = await visitorWrites(workspace, 'For another department');
    await admin.json('POST', `/api/conversations/${inOtherDepartment.conversation.id}/transfer`, {
      departmentId: elsewhere.id,
      reason: 'Not Olga’s topic',
    });
    const colleagues = await visitorWrites(workspace, 'For the colleague');
    await colleague.json('POST', `/api/conversations/${colleagues.conversation.id}/take`);
    const done = await visitorWrites(workspace, 'Thanks, solved');
    await admin.json('POST', `/api/conversations/${done.conversation.id}/resolve`);

    expect(await queue(olga, 'awaiting')).toEqual([taken.conversation.id]);
    expect(new Set(await queue(olga, 'mine'))).toEqual(
      new Set([taken.conversation.id, answered.conversation.id]),
    );
    expect(new Set(await queue(olga, 'common'))).toEqual(
      new Set([waiting.conversation.id, inMyDepartment.conversation.id]),
    );
    expect(new Set(await queue(olga, 'other'))).toEqual(
      new Set([inOtherDepartment.conversation.id, colleagues.conversation.id]),
    );
    expect(await queue(olga, 'recent')).toEqual([done.conversation.id]);
    expect(await queue(olga, 'offline')).toEqual([]);

    const counts = await olga.json<InboxCounts>('GET', '/api/inbox/counts');
    expect(counts).toEqual({ awaiting: 1, mine: 2, offline: 0, common: 2, other: 2, recent: 1 });
    // The colleague sees the same workspace from their side.
    const theirs = await colleague.json<InboxCounts>('GET', '/api/inbox/counts');
    expect(theirs).toMatchObject({ awaiting: 1, mine: 1, common: 1, other: 4 });
  });

  it('keeps a visitor message waiting from its first unanswered message until the reply', async () => {
    const chat = await visitorWrites(workspace, 'First');
    const first = await olga.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`);
    expect(first.waitingSince).not.toBeNull();
    await send(chat.socket, chat.conversation.id, 'Second, still waiting');
    const second = await olga.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`);
    expect(second.waitingSince).toBe(first.waitingSince);

    await olga.json('POST', `/api/conversations/${chat.conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Just a note',
      kind: 'note',
    });
    const noted = await olga.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`);
    expect(noted.waitingSince).toBe(first.waitingSince);

    await olga.json('POST', `/api/conversations/${chat.conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Answered',
    });
    const answered = await olga.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`);
    expect(answered.waitingSince).toBeNull();
  });

  it('hands a conversation to a colleague with a note that only the team sees', async () => {
    const chat = await visitorWrites(workspace, 'Refund please');
    await olga.json('POST', `/api/conversations/${chat.conversation.id}/take`);
    const visitorSaw: Message[] = [];
    chat.socket.on('message:new', (message) => visitorSaw.push(message));
    const colleagueSocket = await connected(colleague.socket());
    const updated = nextConversationUpdate(
      colleagueSocket,
      (c) => c.id === chat.conversation.id && c.assigneeId === colleague.session.user.id,
    );

    const handed = await olga.json<Conversation>(
      'POST',
      `/api/conversations/${chat.conversation.id}/handover`,
      {
        assigneeId: colleague.session.user.id,
        note: 'VIP customer, refund approved',
      },
    );
    expect(handed).toMatchObject({ status: 'assigned', assigneeId: colleague.session.user.id });
    await updated;

    const page = await colleague.json<MessagePage>(
      'GET',
      `/api/conversations/${chat.conversation.id}/messages`,
    );
    const tail = page.items.slice(-2);
    expect(tail.map((m) => m.kind)).toEqual(['event', 'note']);
    expect(tail[0]?.event).toMatchObject({ type: 'transferred', data: { operatorName: 'Colleague' } });
    expect(tail[1]).toMatchObject({ text: 'VIP customer, refund approved', author: { name: 'Olga' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(visitorSaw.map((m) => m.kind)).toEqual(['event']);

    // Not Olga's any more: she cannot hand it on again; a supervisor could.
    const again = await olga.request('POST', `/api/conversations/${chat.conversation.id}/handover`, {
      assigneeId: olga.session.user.id,
    });
    expect(again.status).toBe(403);
    colleagueSocket.disconnect();
  });
});
