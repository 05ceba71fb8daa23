// Cluster mode switched on by REDIS_URL: a visitor on one node and an operator on another talk
// live, rate limits are counted across nodes, and a setting changed on one node holds on the
// other at once (though each node keeps workspace settings in memory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendAck } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextConversationUpdate,
  nextEvent,
  startVisitor,
  type TestWorkspace,
  openConversation,
} from './factories.js';
import { startTestCluster, type TestServer } from './harness.js';
import { startReceiver, waitFor } from './webhook-receiver.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let cluster: Awaited<ReturnType<typeof startTestCluster>>;
let nodeA: TestServer;
let nodeB: TestServer;
let workspace: TestWorkspace;

beforeAll(async () => {
  cluster = await startTestCluster(2, { REDIS_URL, RATE_LIMIT_MESSAGES_PER_MINUTE: '6' });
  [nodeA, nodeB] = cluster.servers as [TestServer, TestServer];
  workspace = await createWorkspace(nodeA);
});
afterAll(() => cluster.close());

describe('two nodes on one database and Redis', () => {
  it('carries messages live between a visitor on node A and an operator on node B', async () => {
    const visitor = await startVisitor(nodeA, workspace.widgetKey);
    const visitorSocket = await connected(visitor.socket());
    const operator = await login(nodeB, workspace.operator);
    const operatorSocket = await connected(operator.socket());

    const listed = nextConversationUpdate(operatorSocket);
    const conversation = await openConversation(visitorSocket);
    expect((await listed).id).toBe(conversation.id);
    await new Promise((resolve) =>
      operatorSocket.emit('sync', { conversations: [{ id: conversation.id, afterSeq: 0 }] }, resolve),
    );

    const atOperator = nextEvent(operatorSocket, 'message:new', (m) => m.kind === 'text');
    await new Promise<SendAck>((resolve) =>
      visitorSocket.emit(
        'message:send',
        { conversationId: conversation.id, clientMsgId: clientId(), text: 'from node A' },
        resolve,
      ),
    );
    expect((await atOperator)[0].text).toBe('from node A');

    // The visitor's own message may still be on its way back through Redis: wait for the reply.
    const atVisitor = nextEvent(visitorSocket, 'message:new', (m) => m.author.type === 'operator');
    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'from node B',
    });
    expect((await atVisitor)[0].text).toBe('from node B');
    visitorSocket.disconnect();
    operatorSocket.disconnect();
  });

  it("counts one sender's rate limit across both nodes", async () => {
    const visitor = await startVisitor(nodeA, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const node = i % 2 === 0 ? nodeA : nodeB;
      const response = await fetch(`${node.url}/api/widget/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { 'x-visitor-token': visitor.token, 'content-type': 'application/json' },
        body: JSON.stringify({ clientMsgId: clientId(), text: `n${i}` }),
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);
    socket.disconnect();
  });

  it('a webhook subscribed on node A hears a message sent on node B at once', async () => {
    const hooks = await startReceiver();
    const visitor = await startVisitor(nodeB, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const send = (text: string) =>
      new Promise<SendAck>((resolve) =>
        socket.emit(
          'message:send',
          { conversationId: conversation.id, clientMsgId: clientId(), text },
          resolve,
        ),
      );
    // Node B reads, and keeps, that nobody listens to messages in this workspace.
    await send('before anyone listens');
    const admin = await login(nodeA, workspace.admin);
    await admin.json('POST', '/api/webhooks', { url: hooks.url, eventTypes: ['message.created'] });
    // The notice crosses Redis in milliseconds; without it node B would wait out its cache's age limit.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await send('now someone listens');
    const heard = await waitFor(
      () => hooks.received.find((r) => r.event.data.message !== undefined) ?? undefined,
      5000,
    );
    expect(heard.event.data).toMatchObject({ message: { text: 'now someone listens' } });
    socket.disconnect();
    await hooks.close();
  });
});
