// Webhooks end to end: real changes in the workspace produce signed events a receiver can verify;
// a receiver that fails recovers through retries with no event lost or sent twice; a receiver that
// never recovers ends dead in the log and is redelivered by hand; rolled-back changes send nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpointWithSecret } from '@frontline/protocol';
import {
  clientId,
  createWorkspace,
  login,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import {
  startReceiver,
  verifySignature,
  waitFor,
  type WebhookReceiver,
} from '../../test/webhook-receiver.js';

const MAX_ATTEMPTS = 4;
let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  server = await startTestServer({
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  });
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await server.close();
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

async function subscribe(url: string, eventTypes: string[]): Promise<WebhookEndpointWithSecret> {
  return admin.json<WebhookEndpointWithSecret>('POST', '/api/webhooks', { url, eventTypes });
}

const visitorWrites = async (text: string) =>
  (await visitorConversation(server, workspace.widgetKey, text)).conversation;

const deliveriesOf = async (endpointId: string) =>
  (
    await admin.json<{ items: WebhookDelivery[] }>(
      'GET',
      `/api/webhook-deliveries?endpointId=${endpointId}&limit=200`,
    )
  ).items;

describe('webhooks', () => {
  it('sends signed events for what happens in a conversation, verifiable as a receiver would', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url, [
      'conversation.created',
      'conversation.assigned',
      'conversation.resolved',
      'message.created',
    ]);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const conversation = await visitorWrites('Where is my order 1042?');
    await operator.json('POST', `/api/conversations/${conversation.id}/take`);
    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'It ships today',
    });
    await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);

    const arrived = await waitFor(() => (hooks.received.length >= 5 ? hooks.received : undefined));
    // Deliveries run concurrently and may arrive in any order; createdAt orders the events.
    const received = [...arrived].sort((a, b) => a.event.createdAt - b.event.createdAt);
    expect(received.map((r) => r.event.type)).toEqual([
      'conversation.created',
      'message.created',
      'conversation.assigned',
      'message.created',
      'conversation.resolved',
    ]);
    for (const webhook of received) {
      expect(
        verifySignature(webhook.headers['frontline-signature'] as string, webhook.rawBody, endpoint.secret),
      ).toBe(true);
      expect(webhook.headers['frontline-event-id']).toBe(webhook.event.id);
      expect(webhook.event.workspaceId).toBe(workspace.id);
    }
    const [created, firstMessage] = received;
    expect(created?.event.data).toMatchObject({
      conversation: { id: conversation.id },
      event: { type: 'created' },
    });
    expect(firstMessage?.event.data).toMatchObject({
      message: { text: 'Where is my order 1042?', author: { type: 'visitor' } },
    });

    // What a forger or a replay looks like to the same receiver.
    const genuine = received[0];
    if (!genuine) throw new Error('no webhook');
    const header = genuine.headers['frontline-signature'] as string;
    expect(verifySignature(header, genuine.rawBody.replace('created', 'resolved'), endpoint.secret)).toBe(
      false,
    );
    expect(verifySignature(header, genuine.rawBody, 'whsec_guessed')).toBe(false);
    expect(
      verifySignature(header, genuine.rawBody, endpoint.secret, Math.floor(Date.now() / 1000) + 3600),
    ).toBe(false);
  });

  it('retries a failing receiver with back-off until it recovers, with no event lost or sent twice', async () => {
    const hooks = await receiver();
    const failuresPerEvent = 3;
    const seen = new Map<string, number>();
    hooks.respond = ({ event }) => {
      const count = (seen.get(event.id) ?? 0) + 1;
      seen.set(event.id, count);
      return count <= failuresPerEvent ? 503 : 200;
    };
    const endpoint = await subscribe(hooks.url, ['message.created']);
    const conversation = await visitorWrites('first');
    const texts = ['second', 'third', 'fourth', 'fifth'];
    for (const text of texts)
      await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
        clientMsgId: clientId(),
        text,
      });

    const deliveries = await waitFor(async () => {
      const all = await deliveriesOf(endpoint.id);
      return all.length === 5 && all.every((d) => d.status === 'delivered') ? all : undefined;
    }, 30_000);
    // Every event reached the receiver successfully exactly once, after the failures it asked for.
    const accepted = hooks.received.filter((r) => r.answered === 200).map((r) => r.event.id);
    expect(new Set(accepted).size).toBe(5);
    expect(accepted).toHaveLength(5);
    expect(hooks.received.filter((r) => r.answered === 503)).toHaveLength(5 * failuresPerEvent);
    expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(accepted));
    for (const delivery of deliveries) {
      expect(delivery.attempts).toBe(failuresPerEvent + 1);
      const detail = await admin.json<WebhookDeliveryDetail>('GET', `/api/webhook-deliveries/${delivery.id}`);
      expect(detail.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);
      // Back-off: each wait at least doubles the base (100 ms, 200 ms, 400 ms).
      const starts = detail.attemptLog.map((a) => a.startedAt);
      for (let i = 1; i < starts.length; i++)
        expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(100 * 2 ** (i - 1));
    }
    const receivedTexts = hooks.received
      .filter((r) => r.answered === 200)
      .map((r) => (r.event.data as { message: { text: string } }).message.text);
    expect(receivedTexts.sort()).toEqual(['fifth', 'first', 'fourth', 'second', 'third']);

    // The log pages by cursor: two at a time gives the same rows, in the same order, once each.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: WebhookDelivery[]; nextCursor: string | null } = await admin.json(
        'GET',
        `/api/webhook-deliveries?endpointId=${endpoint.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(deliveries.map((d) => d.id));
  });

  it('marks a delivery dead after the last attempt, and redelivers it by hand', async () => {
    const hooks = await receiver();
    let up = false;
    hooks.respond = () => (up ? 204 : 500);
    const endpoint = await subscribe(hooks.url, ['conversation.created']);
    await visitorWrites('anyone there?');
    const dead = await waitFor(
      async () => (await deliveriesOf(endpoint.id)).find((d) => d.status === 'dead'),
      30_000,
    );
    expect(dead.attempts).toBe(MAX_ATTEMPTS);
    expect(dead.lastStatusCode).toBe(500);
    expect(dead.lastError).toMatch(/500/);
    expect(dead.nextAttemptAt).toBeNull();

    up = true;
    const again = await admin.json<WebhookDelivery>('POST', `/api/webhook-deliveries/${dead.id}/redeliver`);
    expect(again.status).toBe('pending');
    const delivered = await waitFor(async () => {
      const detail = await admin.json<WebhookDeliveryDetail>('GET', `/api/webhook-deliveries/${dead.id}`);
      return detail.status === 'delivered' ? detail : undefined;
    });
    expect(delivered.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 204]);
    expect(hooks.received.filter((r) => r.answered === 204)).toHaveLength(1);
  });

  it('sends nothing for a change that did not commit', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url, ['conversation.assigned', 'message.created']);
    const conversation = await visitorWrites('hello');
    await operator.json('POST', `/api/conversations/${conversation.id}/take`);
    // A second take loses (409) and a repeated clientMsgId stores nothing: no events for either.
    const other = await login(server, workspace.admin);
    expect((await other.request('POST', `/api/conversations/${conversation.id}/take`)).status).toBe(409);
    const repeated = { clientMsgId: clientId(), text: 'once' };
    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, repeated);
    expect(
      (await operator.request('POST', `/api/conversations/${conversation.id}/messages`, repeated)).status,
    ).toBe(200);

    const all = await waitFor(async () => {
      const list = await deliveriesOf(endpoint.id);
      return list.length >= 3 && list.every((d) => d.status === 'delivered') ? list : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await deliveriesOf(endpoint.id)).length).toBe(all.length);
    expect(all.map((d) => d.eventType).sort()).toEqual([
      'conversation.assigned',
      'message.created',
      'message.created',
    ]);
  });

  it('signs with the old secret too for a while after a rotation, and sends a test event', async () => {
    const hooks = await receiver();
    const endpoint = await subscribe(hooks.url, ['conversation.resolved']);
    const rotated = await admin.json<WebhookEndpointWithSecret>(
      'POST',
      `/api/webhooks/${endpoint.id}/rotate-secret`,
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    await admin.json('POST', `/api/webhooks/${endpoint.id}/test`);
    const test = await waitFor(() => hooks.received.find((r) => r.event.type === 'webhook.test'));
    const header = test.headers['frontline-signature'] as string;
    expect(verifySignature(header, test.rawBody, rotated.secret)).toBe(true);
    expect(verifySignature(header, test.rawBody, endpoint.secret)).toBe(true);
  });

  it('refuses operators and unknown event types', async () => {
    expect((await operator.request('GET', '/api/webhooks')).status).toBe(403);
    const bad = await admin.request('POST', '/api/webhooks', {
      url: 'https://example.test/h',
      eventTypes: ['nope'],
    });
    expect(bad.status).toBe(400);
    const ftp = await admin.request('POST', '/api/webhooks', {
      url: 'ftp://example.test/h',
      eventTypes: ['message.created'],
    });
    expect(ftp.status).toBe(400);
  });
});
