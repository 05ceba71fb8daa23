// Routing's lifecycle over real HTTP and sockets: the wait shown on thin traffic (Erlang A from
// history), first replies not sent in time, after-hours offline requests, auto-close of idle
// conversations and their reopening.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Department, OperatorLoad, RoutingSettings, SendAck } from '@frontline/protocol';
import { clientId, type ClientSocket, type StaffClient } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { routingHelpers } from '../../test/routing-helpers.js';

let server: TestServer;
let helpers: ReturnType<typeof routingHelpers>;

beforeAll(async () => {
  server = await startTestServer();
  helpers = routingHelpers(server);
});
afterAll(() => server.close());

const eventsOf = async (workspaceId: string, conversationId: string) =>
  server.app.services.conversations['repo'].listEvents(workspaceId, conversationId);

function visitorSays(socket: ClientSocket, conversationId: string, text: string) {
  return new Promise<SendAck>((resolve) =>
    socket.emit(
      'message:send',
      { conversationId, clientMsgId: clientId(), text, kind: 'text', fileIds: [] },
      resolve,
    ),
  );
}

/** Time passes for one conversation: its last message and resolution move into the past. */
async function backdate(conversationId: string, ms: number) {
  const db = server.app.services.conversations['repo'].db;
  await db
    .updateTable('conversations')
    .set((eb) => ({
      last_message_at: eb('last_message_at', '-', ms),
      resolved_at: eb('resolved_at', '-', ms),
      updated_at: eb('updated_at', '-', ms),
    }))
    .where('id', '=', conversationId)
    .execute();
}

const idleJob = (conversationId: string) =>
  server.app.services.conversations['repo'].db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', `idle:${conversationId}`)
    .executeTakeFirst();

describe('routing lifecycle', () => {
  it('shows a wait range on thin traffic, from handle times in the event log', async () => {
    const { workspace, admin, operators } = await helpers.team(1);
    const operator = operators[0] as StaffClient;
    await admin.json('PUT', `/api/users/${operator.session.user.id}/capacity`, { capacity: 1 });
    await operator.json('PUT', '/api/me/presence', { presence: 'online' });
    // Three conversations served and resolved: a handle time is known, throughput is still too thin.
    for (let i = 0; i < 3; i++) {
      const chat = await helpers.newConversation(workspace);
      await helpers.settle(workspace.id);
      await operator.json('POST', `/api/conversations/${chat.conversation.id}/messages`, {
        clientMsgId: clientId(),
        text: 'Hello',
      });
      await operator.json('POST', `/api/conversations/${chat.conversation.id}/resolve`);
      chat.socket.disconnect();
    }
    const busy = await helpers.newConversation(workspace);
    await helpers.settle(workspace.id);
    const waiting = await helpers.newConversation(workspace);
    const notices = await helpers.waitFor(
      async () => waiting.notices,
      (n) => n.some((notice) => notice.waitMinutes !== null),
    );
    expect(notices.at(-1)).toMatchObject({
      conversationId: waiting.conversation.id,
      position: 1,
      waitMinutes: { min: 0, max: 1 },
    });
    busy.socket.disconnect();
    waiting.socket.disconnect();
  });

  it('counts an accepted conversation without a first reply in time as missed: the next operator gets it, the first is set away', async () => {
    const { workspace, admin, operators } = await helpers.team(2);
    const [first, second] = operators as [StaffClient, StaffClient];
    const department = await admin.json<Department>('POST', '/api/departments', {
      name: 'Cards',
      firstReplyTimeoutSeconds: 1,
      missesBeforeAway: 1,
      memberIds: operators.map((o) => o.session.user.id),
    });
    expect(department.firstReplyTimeoutSeconds).toBe(1);
    const chat = await helpers.newConversation(workspace);
    await admin.json('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
      departmentId: department.id,
      reason: 'Card blocked',
    });
    await first.json('PUT', '/api/me/presence', { presence: 'online' });
    await helpers.settle(workspace.id);
    // Accepted with the button, then silence.
    const taken = await first.json<Conversation>('POST', `/api/conversations/${chat.conversation.id}/take`);
    expect(taken).toMatchObject({ status: 'assigned', assigneeId: first.session.user.id });
    await second.json('PUT', '/api/me/presence', { presence: 'online' });
    const moved = await helpers.waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`),
      (c) => c.assigneeId === second.session.user.id,
      8_000,
    );
    expect(moved).toMatchObject({ status: 'offered', assigneeId: second.session.user.id });
    const overview = await admin.json<{ operators: OperatorLoad[] }>('GET', '/api/routing/overview');
    expect(overview.operators.find((o) => o.id === first.session.user.id)).toMatchObject({
      presence: 'away',
      active: 0,
      missedInRow: 1,
    });
    const missed = (await eventsOf(workspace.id, chat.conversation.id)).filter((e) => e.type === 'missed');
    expect(missed.map((e) => JSON.parse(e.data) as unknown)).toEqual([
      { operatorId: first.session.user.id, reason: 'no_first_reply' },
    ]);

    // The second operator answers at once: no miss however long it stays open.
    await second.json('POST', `/api/conversations/${chat.conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Let me look at your card',
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await admin.json<Conversation>('GET', `/api/conversations/${chat.conversation.id}`)).toMatchObject(
      {
        status: 'assigned',
        assigneeId: second.session.user.id,
      },
    );
    chat.socket.disconnect();
  });

  it('outside business hours (the department’s zone and holidays) turns a waiting conversation into an offline request', async () => {
    // The operator stays offline, so nothing is offered before the conversations reach their departments.
    const { workspace, admin, operators } = await helpers.team(1);
    const zone = 'America/New_York';
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const allWeek = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
    );
    const holiday = await admin.json<Department>('POST', '/api/departments', {
      name: 'Closed today',
      businessHours: { timezone: zone, weekly: allWeek, holidays: [today] },
    });
    const open = await admin.json<Department>('POST', '/api/departments', {
      name: 'Always open',
      businessHours: { timezone: zone, weekly: allWeek, holidays: [] },
    });
    const closedChat = await helpers.newConversation(workspace);
    const openChat = await helpers.newConversation(workspace);
    const streamed: { event: { type: string } | null }[] = [];
    closedChat.socket.on('message:new', (m: { event: { type: string } | null }) => streamed.push(m));
    for (const [chat, department] of [
      [closedChat, holiday],
      [openChat, open],
    ] as const) {
      await admin.json('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
        departmentId: department.id,
        reason: 'Sorting',
      });
    }
    await helpers.settle(workspace.id);
    expect(
      (await admin.json<Conversation>('GET', `/api/conversations/${closedChat.conversation.id}`)).status,
    ).toBe('offline');
    expect(
      (await admin.json<Conversation>('GET', `/api/conversations/${openChat.conversation.id}`)).status,
    ).toBe('queued');
    const wentOffline = (await eventsOf(workspace.id, closedChat.conversation.id)).filter(
      (e) => e.type === 'went_offline',
    );
    expect(wentOffline).toHaveLength(1);
    const data = JSON.parse(wentOffline[0]?.data ?? '{}') as { reason: string; opensAt: number };
    expect(data.reason).toBe('after_hours');
    // Open again from tomorrow's midnight in New York.
    expect(data.opensAt).toBeGreaterThan(Date.now());
    expect(data.opensAt - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
    await helpers.waitFor(
      async () => streamed,
      (m) => m.some((message) => message.event?.type === 'went_offline'),
    );
    expect(streamed.some((m) => m.event?.type === 'went_offline')).toBe(true);

    // An operator's reply still answers the offline request.
    await operators[0]?.json('POST', `/api/conversations/${closedChat.conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'We are back: how can I help?',
    });
    expect(
      (await admin.json<Conversation>('GET', `/api/conversations/${closedChat.conversation.id}`)).status,
    ).toBe('assigned');
    closedChat.socket.disconnect();
    openChat.socket.disconnect();
  });

  it('auto-closes an idle conversation (closed_idle) through a durable job, reopens it within the window and starts a new one after', async () => {
    const { workspace, admin, operators } = await helpers.team(1);
    const operator = operators[0] as StaffClient;
    const refused = await operator.request('PUT', '/api/routing/settings', {
      idleCloseMinutes: 1,
      reopenWindowMinutes: 5,
    });
    expect(refused.status).toBe(403);
    const settings = await admin.json<RoutingSettings>('PUT', '/api/routing/settings', {
      idleCloseMinutes: 1,
      reopenWindowMinutes: 5,
    });
    expect(settings).toEqual({ idleCloseMinutes: 1, reopenWindowMinutes: 5 });
    await operator.json('PUT', '/api/me/presence', { presence: 'online' });
    const chat = await helpers.newConversation(workspace);
    const id = chat.conversation.id;
    await helpers.settle(workspace.id);
    await operator.json('POST', `/api/conversations/${id}/messages`, {
      clientMsgId: clientId(),
      text: 'Hi!',
    });

    // Not idle yet: the job moves itself to the conversation's due time instead of closing it.
    const scheduled = await idleJob(id);
    expect(scheduled?.kind).toBe('routing.idle_close');
    const jobs = server.app.services.jobs;
    await jobs.runNow(workspace.id, `idle:${id}`, Date.now());
    await helpers.waitFor(
      () => idleJob(id),
      (job) => job !== undefined && job.run_at > Date.now() + 30_000 && job.locked_until === null,
    );
    expect((await admin.json<Conversation>('GET', `/api/conversations/${id}`)).status).toBe('assigned');

    // Two minutes of silence after the operator's message: closed, the slot freed.
    await backdate(id, 120_000);
    await jobs.runNow(workspace.id, `idle:${id}`, Date.now());
    const closed = await helpers.waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${id}`),
      (c) => c.status === 'resolved',
    );
    expect(closed.status).toBe('resolved');
    expect(await eventsOf(workspace.id, id).then((e) => e.map((x) => x.type))).toContain('closed_idle');
    const overview = await admin.json<{ operators: OperatorLoad[] }>('GET', '/api/routing/overview');
    expect(overview.operators.find((o) => o.id === operator.session.user.id)?.active).toBe(0);
    expect(await idleJob(id)).toBeUndefined();

    // Within the window, the visitor's message reopens it.
    const again = await visitorSays(chat.socket, id, 'One more question');
    expect(again.ok && again.message.conversationId).toBe(id);
    const reopened = await admin.json<Conversation>('GET', `/api/conversations/${id}`);
    expect(['queued', 'offered']).toContain(reopened.status);
    expect(await eventsOf(workspace.id, id).then((e) => e.map((x) => x.type))).toContain('reopened');

    // Resolved longer ago than the window: a new conversation, the old one stays closed.
    await operator.json('POST', `/api/conversations/${id}/messages`, {
      clientMsgId: clientId(),
      text: 'Sure',
    });
    await operator.json('POST', `/api/conversations/${id}/resolve`);
    await backdate(id, 6 * 60_000);
    const later = await visitorSays(chat.socket, id, 'Hello again, next week');
    if (!later.ok) throw new Error(later.error.message);
    expect(later.message.conversationId).not.toBe(id);
    expect((await admin.json<Conversation>('GET', `/api/conversations/${id}`)).status).toBe('resolved');
    expect(
      (await admin.json<Conversation>('GET', `/api/conversations/${later.message.conversationId}`)).status,
    ).not.toBe('resolved');
    chat.socket.disconnect();
  });

  it('does not close a conversation whose visitor is waiting for an answer', async () => {
    const { workspace, admin, operators } = await helpers.team(1);
    const operator = operators[0] as StaffClient;
    await admin.json('PUT', '/api/routing/settings', { idleCloseMinutes: 1, reopenWindowMinutes: 5 });
    await operator.json('PUT', '/api/me/presence', { presence: 'online' });
    const chat = await helpers.newConversation(workspace);
    const id = chat.conversation.id;
    await helpers.settle(workspace.id);
    await operator.json('POST', `/api/conversations/${id}/messages`, {
      clientMsgId: clientId(),
      text: 'Hi!',
    });
    await visitorSays(chat.socket, id, 'My order is late');
    await backdate(id, 120_000);
    await server.app.services.jobs.runNow(workspace.id, `idle:${id}`, Date.now());
    await helpers.waitFor(
      () => idleJob(id),
      (job) => job === undefined,
    );
    expect(await idleJob(id)).toBeUndefined();
    expect((await admin.json<Conversation>('GET', `/api/conversations/${id}`)).status).toBe('assigned');
    chat.socket.disconnect();
  });
});
