// Tags over real HTTP and sockets: lowercased, idempotent, each change an event of the
// conversation, announced to operators, counted in the tags in use, and kept inside a workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationTags, TagUsage } from '@frontline/protocol';
import {
  connected,
  createWorkspace,
  login,
  nextEvent,
  openConversation,
  startVisitor,
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

async function newConversation(on: TestWorkspace = workspace): Promise<string> {
  const visitor = await startVisitor(server, on.widgetKey);
  const socket = await connected(visitor.socket());
  const conversation = await openConversation(socket);
  socket.disconnect();
  return conversation.id;
}

async function eventTypes(conversationId: string): Promise<string[]> {
  const events = await server.app.services.conversations['repo'].listEvents(workspace.id, conversationId);
  return events
    .filter((e) => e.type.startsWith('tag_'))
    .map((e) => `${e.type}:${(JSON.parse(e.data) as { tag: string }).tag}`);
}

describe('tags', () => {
  it('tags and untags a conversation once each, records each change as an event and announces it', async () => {
    const id = await newConversation();
    const socket = await connected(operator.socket());
    const announced = nextEvent(socket, 'conversation:tags', (t) => t.conversationId === id);

    const tagged = await operator.json<ConversationTags>('POST', `/api/conversations/${id}/tags`, {
      tag: '  Delivery ',
    });
    expect(tagged.tags).toEqual(['delivery']);
    expect((await announced)[0].tags).toEqual(['delivery']);

    await operator.json('POST', `/api/conversations/${id}/tags`, { tag: 'DELIVERY' });
    await operator.json('POST', `/api/conversations/${id}/tags`, { tag: 'refund' });
    const untagged = await operator.json<ConversationTags>(
      'DELETE',
      `/api/conversations/${id}/tags/delivery`,
    );
    expect(untagged.tags).toEqual(['refund']);
    await operator.json('DELETE', `/api/conversations/${id}/tags/delivery`);

    expect(await eventTypes(id)).toEqual(['tag_added:delivery', 'tag_added:refund', 'tag_removed:delivery']);
    socket.disconnect();
  });

  it('lists the tags in use, most used first, narrowed by a prefix', async () => {
    const [a, b] = [await newConversation(), await newConversation()];
    for (const id of [a, b]) await operator.json('POST', `/api/conversations/${id}/tags`, { tag: 'оплата' });
    await operator.json('POST', `/api/conversations/${a}/tags`, { tag: 'опт' });

    const usage = await operator.json<TagUsage[]>('GET', `/api/tags?prefix=${encodeURIComponent('оп')}`);
    expect(usage).toEqual([
      { tag: 'оплата', count: 2 },
      { tag: 'опт', count: 1 },
    ]);
  });

  it('filters the conversation list by tag', async () => {
    const [tagged, untagged] = [await newConversation(), await newConversation()];
    await operator.json('POST', `/api/conversations/${tagged}/tags`, { tag: 'vip-client' });
    const page = await operator.json<{ items: { id: string }[] }>('GET', '/api/conversations?tag=vip-client');
    expect(page.items.map((c) => c.id)).toEqual([tagged]);
    expect(page.items.map((c) => c.id)).not.toContain(untagged);
  });

  it('refuses a tag with a comma and a conversation of another workspace', async () => {
    const id = await newConversation();
    const comma = await operator.request('POST', `/api/conversations/${id}/tags`, { tag: 'a,b' });
    expect(comma.status).toBe(400);

    const other = await createWorkspace(server);
    const foreign = await newConversation(other);
    const crossing = await operator.request('POST', `/api/conversations/${foreign}/tags`, { tag: 'x' });
    expect(crossing.status).toBe(404);
    const otherAdmin = await login(server, other.admin);
    expect(await otherAdmin.json<TagUsage[]>('GET', '/api/tags')).toEqual([]);
  });
});
