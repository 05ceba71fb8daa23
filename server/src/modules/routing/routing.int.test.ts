// Routing over real HTTP and sockets: offers by strategy within capacity, acceptance by reply,
// missed offers moving on and setting the operator away, and the queue position visitors see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Department, OperatorLoad, QueueNotice } from '@frontline/protocol';
import { clientId, connected, type StaffClient } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { routingHelpers } from '../../test/routing-helpers.js';

let server: TestServer;
let helpers: ReturnType<typeof routingHelpers>;

beforeAll(async () => {
  server = await startTestServer();
  helpers = routingHelpers(server);
});
afterAll(() => server.close());

const team = (size: number) => helpers.team(size);
const newConversation = (workspace: Parameters<typeof helpers.newConversation>[0]) =>
  helpers.newConversation(workspace);
const settle = () => helpers.settle;
const waitFor: typeof helpers.waitFor = (read, done, timeoutMs) => helpers.waitFor(read, done, timeoutMs);

describe('routing', () => {
  it('offers queued conversations to online operators within capacity, least busy first, and queues the rest', async () => {
    const { workspace, admin, operators } = await team(2);
    const [first, second] = operators as [StaffClient, StaffClient];
    for (const operator of operators) {
      await admin.json('PUT', `/api/users/${operator.session.user.id}/capacity`, { capacity: 1 });
      await operator.json('PUT', '/api/me/presence', { presence: 'online' });
    }
    const chats = [await newConversation(workspace), await newConversation(workspace)];
    const third = await newConversation(workspace);
    await settle()(workspace.id);

    const states = await Promise.all(
      chats.map((c) => admin.json<Conversation>('GET', `/api/conversations/${c.conversation.id}`)),
    );
    expect(states.map((c) => c.status)).toEqual(['offered', 'offered']);
    expect(new Set(states.map((c) => c.assigneeId))).toEqual(
      new Set([first.session.user.id, second.session.user.id]),
    );
    const notices = await waitFor(
      async () => third.notices,
      (n) => n.length > 0,
    );
    expect(notices.at(-1)).toMatchObject({ conversationId: third.conversation.id, position: 1 });
    // Another pass that changes nothing for the waiting visitor sends them nothing new.
    const heard = third.notices.length;
    server.app.services.routing.trigger(workspace.id);
    await settle()(workspace.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(third.notices).toHaveLength(heard);
    // A socket that (re)joins and catches up hears its unchanged place at once.
    const rejoined = await connected(third.visitor.socket());
    const retold: QueueNotice[] = [];
    rejoined.on('queue:position', (notice) => retold.push(notice));
    await rejoined.emitWithAck('sync', { conversations: [{ id: third.conversation.id, afterSeq: 0 }] });
    await waitFor(
      async () => retold,
      (n) => n.length > 0,
    );
    expect(retold.at(-1)).toMatchObject({ conversationId: third.conversation.id, position: 1 });
    rejoined.disconnect();

    const overview = await admin.json<{ operators: OperatorLoad[]; queue: Conversation[] }>(
      'GET',
      '/api/routing/overview',
    );
    expect(overview.queue.map((c) => c.id)).toEqual([third.conversation.id]);
    expect(
      overview.operators.filter((o) => o.presence === 'online').every((o) => o.active <= o.capacity),
    ).toBe(true);

    // Replying accepts the offer; resolving frees the slot, and the waiting conversation is offered.
    const mine = states.find((c) => c.assigneeId === first.session.user.id);
    if (!mine) throw new Error('no offer for the first operator');
    await first.json('POST', `/api/conversations/${mine.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Hello!',
    });
    expect((await first.json<Conversation>('GET', `/api/conversations/${mine.id}`)).status).toBe('assigned');
    await first.json('POST', `/api/conversations/${mine.id}/resolve`);
    const handed = await waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${third.conversation.id}`),
      (c) => c.status === 'offered',
    );
    expect(handed.assigneeId).toBe(first.session.user.id);
    for (const chat of [...chats, third]) chat.socket.disconnect();
  });

  it('moves a missed offer to the next operator and sets an operator away after repeated misses', async () => {
    const { workspace, admin, operators } = await team(2);
    const [first, second] = operators as [StaffClient, StaffClient];
    const department = await admin.json<Department>('POST', '/api/departments', {
      name: 'Billing',
      offerTimeoutSeconds: 1,
      missesBeforeAway: 1,
      memberIds: operators.map((o) => o.session.user.id),
    });
    const chat = await newConversation(workspace);
    await admin.json('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
      departmentId: department.id,
      reason: 'Question about an invoice',
    });
    await first.json('PUT', '/api/me/presence', { presence: 'online' });
    await settle()(workspace.id);
    expect(
      (await admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`)).assigneeId,
    ).toBe(first.session.user.id);

    await second.json('PUT', '/api/me/presence', { presence: 'online' });
    const moved = await waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`),
      (c) => c.assigneeId === second.session.user.id,
      6_000,
    );
    expect(moved).toMatchObject({ status: 'offered', assigneeId: second.session.user.id });
    const overview = await admin.json<{ operators: OperatorLoad[] }>('GET', '/api/routing/overview');
    expect(overview.operators.find((o) => o.id === first.session.user.id)).toMatchObject({
      presence: 'away',
      active: 0,
      missedInRow: 1,
    });
    const events = await server.app.services.conversations['repo'].listEvents(
      workspace.id,
      chat.conversation.id,
    );
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['transferred', 'offered', 'missed']));
    chat.socket.disconnect();
  });

  it('orders the queue by priority, and escalates to the next line keeping the reason', async () => {
    const { workspace, admin } = await team(1);
    const first = await newConversation(workspace);
    const second = await newConversation(workspace);
    const urgent = await admin.json<Conversation>(
      'PUT',
      `/api/conversations/${second.conversation.id}/priority`,
      { priority: 'vip' },
    );
    expect(urgent.priority).toBe('vip');
    const overview = await admin.json<{ queue: Conversation[] }>('GET', '/api/routing/overview');
    expect(overview.queue.map((c) => c.id)).toEqual([second.conversation.id, first.conversation.id]);

    const lineTwo = await admin.json<Department>('POST', '/api/departments', { name: 'L2', lineLevel: 2 });
    const lineOne = await admin.json<Department>('POST', '/api/departments', {
      name: 'L1',
      escalatesToId: lineTwo.id,
    });
    await admin.json('POST', `/api/conversations/${first.conversation.id}/transfer`, {
      departmentId: lineOne.id,
      reason: 'Card question',
    });
    const escalated = await admin.json<Conversation>(
      'POST',
      `/api/conversations/${first.conversation.id}/escalate`,
      { reason: 'Needs a chargeback' },
    );
    expect(escalated).toMatchObject({ departmentId: lineTwo.id, status: 'queued' });
    const again = await admin.request('POST', `/api/conversations/${first.conversation.id}/escalate`, {
      reason: 'Higher still',
    });
    expect(again.status).toBe(409);
    const events = await server.app.services.conversations['repo'].listEvents(
      workspace.id,
      first.conversation.id,
    );
    expect(
      events.filter((e) => e.type === 'escalated').map((e) => JSON.parse(e.data) as { departmentId: string }),
    ).toEqual([expect.objectContaining({ departmentId: lineTwo.id })]);
    first.socket.disconnect();
    second.socket.disconnect();
  });

  it('lets a supervisor hand a waiting conversation to an operator, counting their load', async () => {
    const { workspace, admin, operators } = await team(1);
    const operator = operators[0] as StaffClient;
    const chat = await newConversation(workspace);
    const refused = await operator.request('POST', `/api/conversations/${chat.conversation.id}/assign`, {
      assigneeId: operator.session.user.id,
    });
    expect(refused.status).toBe(403);
    const assigned = await admin.json<Conversation>(
      'POST',
      `/api/conversations/${chat.conversation.id}/assign`,
      { assigneeId: operator.session.user.id },
    );
    expect(assigned).toMatchObject({ status: 'assigned', assigneeId: operator.session.user.id });
    const overview = await admin.json<{ operators: OperatorLoad[]; queue: Conversation[] }>(
      'GET',
      '/api/routing/overview',
    );
    expect(overview.queue).toEqual([]);
    expect(overview.operators.find((o) => o.id === operator.session.user.id)?.active).toBe(1);
    await operator.json('POST', `/api/conversations/${chat.conversation.id}/resolve`);
    const after = await admin.json<{ operators: OperatorLoad[] }>('GET', '/api/routing/overview');
    expect(after.operators.find((o) => o.id === operator.session.user.id)?.active).toBe(0);
    chat.socket.disconnect();
  });

  it('never offers to operators who are not online, and leaves manual departments to pick-up', async () => {
    const { workspace, admin, operators } = await team(1);
    const department = await admin.json<Department>('POST', '/api/departments', {
      name: 'Manual',
      strategy: 'manual',
    });
    const chat = await newConversation(workspace);
    await settle()(workspace.id);
    expect((await admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`)).status).toBe(
      'queued',
    );
    await admin.json('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
      departmentId: department.id,
      reason: 'Only by hand',
    });
    await operators[0]?.json('PUT', '/api/me/presence', { presence: 'online' });
    await settle()(workspace.id);
    expect((await admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`)).status).toBe(
      'queued',
    );
    chat.socket.disconnect();
  });
});
