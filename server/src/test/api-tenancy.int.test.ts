// Tenancy of the whole public API, read from its own OpenAPI description so that every endpoint
// is tried, including ones added later: with another workspace's admin session and with its
// all-scopes API token, every route naming the victim's ids is refused (403/404), every list
// leaves the victim's data out, and nothing of the victim's changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Contact,
  CreatedApiToken,
  Department,
  User,
  WebhookDelivery,
  WebhookEndpoint,
  ContactAttributeDefinition,
} from '@frontline/protocol';
import { API_SCOPES } from '@frontline/protocol';
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
import { waitFor } from './webhook-receiver.js';

let server: TestServer;
let victimAdmin: StaffClient;
let intruder: StaffClient;
let intruderToken: string;
let intruderContactId: string;
let intruderWidgetKey: string;
const victim: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_MAX_ATTEMPTS: '1' });
  const victimWorkspace = await createWorkspace(server);
  const otherWorkspace = await createWorkspace(server);
  victimAdmin = await login(server, victimWorkspace.admin);
  intruder = await login(server, otherWorkspace.admin);
  intruderWidgetKey = otherWorkspace.widgetKey;
  intruderToken = (
    await intruder.json<CreatedApiToken>('POST', '/api/tokens', { name: 'all', scopes: API_SCOPES })
  ).token;

  victim.endpoint = (
    await victimAdmin.json<WebhookEndpoint>('POST', '/api/webhooks', {
      url: 'http://127.0.0.1:9/unreachable',
      description: 'victim hook',
      eventTypes: ['conversation.created'],
    })
  ).id;
  victim.attribute = (
    await victimAdmin.json<ContactAttributeDefinition>('POST', '/api/contact-attributes', {
      key: 'plan',
      label: 'Victim plan',
      type: 'text',
    })
  ).id;
  victim.department = (
    await victimAdmin.json<Department>('POST', '/api/departments', { name: 'Victim sales' })
  ).id;
  victim.token = (
    await victimAdmin.json<CreatedApiToken>('POST', '/api/tokens', { name: 'v', scopes: ['contacts:read'] })
  ).id;
  victim.user = (await victimAdmin.json<User[]>('GET', '/api/users'))[0]?.id ?? '';
  const examples = (...texts: string[]) => texts.map((text) => ({ locale: 'en', text }));
  victim.intent = (
    await victimAdmin.json<{ id: string }>('POST', '/api/intents', {
      name: 'Delivery',
      action: 'none',
      examples: examples('where is my order', 'when will it arrive', 'track my parcel'),
    })
  ).id;
  await victimAdmin.json('POST', '/api/intents', {
    name: 'Refund',
    action: 'none',
    examples: examples('I want my money back', 'refund please', 'return the item'),
  });
  victim.model = (await victimAdmin.json<{ id: string }>('POST', '/api/intents/models')).id;
  victim.article = (
    await victimAdmin.json<{ id: string }>('POST', '/api/knowledge/articles', {
      locale: 'en',
      title: 'Victim article',
      body: 'Victim knowledge',
    })
  ).id;
  victim.channel = (
    await victimAdmin.json<{ id: string }>('POST', '/api/channels', {
      kind: 'api',
      name: 'Victim app',
      config: { webhookUrl: 'http://127.0.0.1:9/victim' },
      secrets: { signingSecret: 'victim-signing-secret-0123456789' },
    })
  ).id;
  const closingGraph = {
    startNodeId: 'bye',
    nodes: [{ id: 'bye', type: 'close', position: { x: 0, y: 0 }, text: 'Bye' }],
    edges: [],
  };
  victim.flow = (
    await victimAdmin.json<{ id: string }>('POST', '/api/bot-flows', {
      name: 'Victim flow',
      graph: closingGraph,
    })
  ).id;
  victim.widget = (
    await victimAdmin.json<{ id: string }>('POST', '/api/analytics/widgets', {
      metric: 'queue_length',
      groupBy: 'department',
      alert: 1,
    })
  ).id;
  // Answer drafts switched on: no list of the intruder's may show the victim's model or its address.
  victim.draftModel = 'victim-draft-model';
  await victimAdmin.json('PUT', '/api/settings/answer-drafts', {
    enabled: true,
    baseUrl: 'http://127.0.0.1:9/victim-model-endpoint',
    model: victim.draftModel,
    apiKey: 'victim-model-api-key',
  });
  victim.secret = 'VictimAccountingKey';
  await victimAdmin.json('PUT', `/api/bot-secrets/${victim.secret}`, { value: 'victim-secret-value' });
  victim.canned = (
    await victimAdmin.json<{ id: string }>('POST', '/api/canned-responses', {
      locale: 'en',
      shortcut: 'victim',
      title: 'Victim reply',
      text: 'Victim text',
    })
  ).id;
  const visitor = await startVisitor(server, victimWorkspace.widgetKey);
  const socket = await connected(visitor.socket());
  const conversationId = (await openConversation(socket)).id;
  victim.conversation = conversationId;
  await new Promise((resolve) =>
    socket.emit(
      'message:send',
      {
        conversationId,
        clientMsgId: clientId(),
        text: 'victim words',
        kind: 'text',
        fileIds: [],
      },
      resolve,
    ),
  );
  socket.disconnect();
  victim.contact = visitor.session.contact.id;
  // A knowledge answer with its "did this help?", as the assistant records it.
  const answer = await server.app.services.conversations.botReply(
    victimWorkspace.id,
    conversationId,
    'Victim answer',
    'Frontline',
  );
  await server.app.nlu.knowledge.recordAnswer(victimWorkspace.id, conversationId, answer.id, victim.article);
  victim.candidate = (
    await victimAdmin.json<{ id: string }>('POST', `/api/conversations/${victim.conversation}/nlu-feedback`, {
      target: false,
    })
  ).id;
  await victimAdmin.json('PATCH', `/api/contacts/${victim.contact}`, { name: 'Victim person' });
  victim.delivery = (
    await waitFor(async () => {
      const page = await victimAdmin.json<{ items: WebhookDelivery[] }>('GET', '/api/webhook-deliveries');
      return page.items.find((d) => d.status === 'dead');
    })
  ).id;

  const own = await startVisitor(server, otherWorkspace.widgetKey);
  intruderContactId = own.session.contact.id;
}, 90_000);
afterAll(() => server.close());

/** Which victim id goes into a path, by the resource the path names. */
function victimIdFor(path: string): string | undefined {
  const byPrefix: [string, string][] = [
    ['/api/conversations/', 'conversation'],
    ['/api/contacts/', 'contact'],
    ['/api/webhooks/', 'endpoint'],
    ['/api/webhook-deliveries/', 'delivery'],
    ['/api/contact-attributes/', 'attribute'],
    ['/api/departments/', 'department'],
    ['/api/users/', 'user'],
    ['/api/team/', 'user'],
    ['/api/canned-responses/', 'canned'],
    ['/api/channels/', 'channel'],
    ['/api/bot-flows/', 'flow'],
    ['/api/intents/models/', 'model'],
    ['/api/intents/candidates/', 'candidate'],
    ['/api/intents/', 'intent'],
    ['/api/knowledge/articles/', 'article'],
    ['/api/help/{key}/articles/', 'article'],
    ['/api/tokens/', 'token'],
    ['/api/analytics/widgets/', 'widget'],
  ];
  const match = byPrefix.find(([prefix]) => path.startsWith(prefix));
  return match ? victim[match[1]] : undefined;
}

/** A valid body for each write that takes one, so the request reaches the tenancy check. */
function bodyFor(method: string, path: string): unknown {
  const bodies: Record<string, unknown> = {
    'POST /api/conversations/{id}/messages': { clientMsgId: clientId(), text: 'intrusion' },
    'POST /api/conversations/{id}/transfer': { departmentId: victim.department, reason: 'x' },
    'POST /api/conversations/{id}/assign': { assigneeId: victim.user },
    'POST /api/conversations/{id}/handover': { assigneeId: victim.user, note: 'x' },
    'POST /api/conversations/{id}/escalate': { reason: 'x' },
    'PUT /api/conversations/{id}/priority': { priority: 'vip' },
    'PATCH /api/contacts/{id}': { name: 'Hacked' },
    'POST /api/contacts/{id}/merge': { sourceContactId: intruderContactId },
    'PATCH /api/webhooks/{id}': { description: 'hacked' },
    'PATCH /api/contact-attributes/{id}': { label: 'hacked' },
    'PATCH /api/departments/{id}': { name: 'hacked' },
    'PUT /api/users/{id}/capacity': { capacity: 0 },
    'PUT /api/users/{id}/presence': { presence: 'away' },
    'PATCH /api/team/{id}': { name: 'hacked' },
    'PATCH /api/canned-responses/{id}': { title: 'hacked' },
    'POST /api/conversations/{id}/tags': { tag: 'hacked' },
    'PATCH /api/intents/{id}': { name: 'hacked' },
    'POST /api/conversations/{id}/nlu-feedback': { target: false },
    'POST /api/intents/candidates/{id}/accept': { intentId: victim.intent },
    'PATCH /api/channels/{id}': { name: 'hacked' },
    'PUT /api/bot-flows/{id}': {
      name: 'hacked',
      graph: {
        startNodeId: 'x',
        nodes: [{ id: 'x', type: 'close', position: { x: 0, y: 0 }, text: '' }],
        edges: [],
      },
    },
    'POST /api/bot-flows/{id}/simulate': { inputs: [] },
    'PATCH /api/knowledge/articles/{id}': { title: 'hacked' },
    'PUT /api/analytics/widgets/{id}': { metric: 'queue_length', groupBy: 'channel' },
    'POST /api/conversations/{id}/suggestions/used': { kind: 'article', id: victim.article },
  };
  return bodies[`${method} ${path}`];
}

type Spec = { paths: Record<string, Record<string, { requestBody?: unknown }>> };

async function asIntruder(via: 'session' | 'token', method: string, route: string, body?: unknown) {
  if (via === 'session') return intruder.request(method, route, body);
  return fetch(server.url + route, {
    method,
    headers: {
      authorization: `Bearer ${intruderToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('tenancy of every API endpoint', () => {
  it("refuses every route that names another workspace's ids, by session and by token", async () => {
    const spec = (await (await fetch(`${server.url}/api/docs/json`)).json()) as Spec;
    const tried: string[] = [];
    const accepted: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/widget/') || !path.includes('{id}')) continue;
      const id = victimIdFor(path);
      expect(id, `no victim id for ${path}: add its resource to victimIdFor`).toBeDefined();
      for (const [lower, operation] of Object.entries(operations)) {
        const method = lower.toUpperCase();
        const body = bodyFor(method, path);
        expect(!operation.requestBody || body !== undefined, `give ${method} ${path} a valid body`).toBe(
          true,
        );
        for (const via of ['session', 'token'] as const) {
          // Public help routes take a widget key: the intruder's own, asking for the victim's id.
          const route = path.replace('{id}', id ?? '').replace('{key}', intruderWidgetKey);
          const response = await asIntruder(via, method, route, body);
          tried.push(`${method} ${path} (${via})`);
          if (![403, 404].includes(response.status))
            accepted.push(`${method} ${path} (${via}) -> ${response.status}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(tried.length).toBeGreaterThanOrEqual(60);
  });

  it('refuses ids of the other workspace inside bodies and filters', async () => {
    for (const via of ['session', 'token'] as const) {
      const identify = await asIntruder(via, 'POST', '/api/contacts/identify', {
        contactId: victim.contact,
        email: 'victim@takeover.test',
      });
      expect(identify.status, via).toBe(404);
      const merge = await asIntruder(via, 'POST', `/api/contacts/${intruderContactId}/merge`, {
        sourceContactId: victim.contact,
      });
      expect(merge.status, via).toBe(404);
      for (const route of [
        `/api/conversations?contactId=${victim.contact}`,
        `/api/webhook-deliveries?endpointId=${victim.endpoint}`,
      ]) {
        const listed = (await (await asIntruder(via, 'GET', route)).json()) as { items: unknown[] };
        expect(listed.items, `${route} (${via})`).toEqual([]);
      }
    }
  });

  it("cannot delete the other workspace's bot secret by its name", async () => {
    for (const via of ['session', 'token'] as const) {
      const response = await asIntruder(via, 'DELETE', `/api/bot-secrets/${victim.secret}`);
      expect([403, 404], via).toContain(response.status);
    }
  });

  it("never shows the other workspace's articles through its own widget key", async () => {
    for (const route of [
      `/api/help/${intruderWidgetKey}/search?q=${encodeURIComponent('Victim knowledge')}`,
      `/api/help/${intruderWidgetKey}/categories`,
      `/help/${intruderWidgetKey}?q=Victim`,
      `/help/${intruderWidgetKey}`,
    ]) {
      const response = await fetch(server.url + route);
      expect(response.status, route).toBe(200);
      const text = await response.text();
      expect(text.includes(victim.article ?? ''), route).toBe(false);
      expect(text.includes('Victim article'), route).toBe(false);
    }
    expect((await fetch(`${server.url}/help/${intruderWidgetKey}/articles/${victim.article}`)).status).toBe(
      404,
    );
  });

  it("never lists the other workspace's data in any list", async () => {
    const spec = (await (await fetch(`${server.url}/api/docs/json`)).json()) as Spec;
    const ids = Object.values(victim);
    for (const [path, operations] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/') || path.includes('{') || !operations.get) continue;
      for (const via of ['session', 'token'] as const) {
        const text = await (await asIntruder(via, 'GET', path)).text();
        for (const id of ids) expect(text.includes(id), `${path} (${via}) shows ${id}`).toBe(false);
      }
    }
  });

  it("left the victim's data as it was", async () => {
    const contact = await victimAdmin.json<Contact>('GET', `/api/contacts/${victim.contact}`);
    expect(contact).toMatchObject({ name: 'Victim person', erasedAt: null, mergedIntoId: null });
    expect(await victimAdmin.json<WebhookEndpoint>('GET', `/api/webhooks/${victim.endpoint}`)).toMatchObject({
      description: 'victim hook',
    });
    const conversation = await victimAdmin.json<{ status: string; priority: string }>(
      'GET',
      `/api/conversations/${victim.conversation}`,
    );
    expect(conversation).toMatchObject({ status: 'queued', priority: 'normal' });
    const attributes = await victimAdmin.json<ContactAttributeDefinition[]>('GET', '/api/contact-attributes');
    expect(attributes.map((a) => a.label)).toEqual(['Victim plan']);
    const departments = await victimAdmin.json<Department[]>('GET', '/api/departments');
    expect(departments.map((d) => d.name)).toEqual(['Victim sales']);
    expect((await victimAdmin.json<unknown[]>('GET', '/api/tokens')).length).toBe(1);
    const secrets = await victimAdmin.json<{ items: { name: string }[] }>('GET', '/api/bot-secrets');
    expect(secrets.items.map((s) => s.name)).toEqual([victim.secret]);
    const delivery = await victimAdmin.json<WebhookDelivery>(
      'GET',
      `/api/webhook-deliveries/${victim.delivery}`,
    );
    expect(delivery.status).toBe('dead');
    expect(await victimAdmin.json('GET', '/api/settings/answer-drafts')).toMatchObject({
      enabled: true,
      model: victim.draftModel,
      apiKeySet: true,
    });
  });

  it("does not switch on answer drafts by the other workspace's setting", async () => {
    for (const via of ['session', 'token'] as const) {
      const settings = (await (await asIntruder(via, 'GET', '/api/settings/answer-drafts')).json()) as {
        enabled: boolean;
        apiKeySet: boolean;
      };
      expect(settings, via).toMatchObject({ enabled: false, apiKeySet: false });
    }
    expect(await intruder.json('GET', '/api/answer-drafts/status')).toEqual({ enabled: false });
  });
});
