// The SSRF guard on admin-configured outbound calls, over real HTTP: with OUTBOUND_URLS=public-only
// a webhook, a CRM lookup, a bot HTTP action, an API channel and an e-mail channel's SMTP and IMAP
// servers on 127.0.0.1 (or a name resolving to it) are refused and say why where the admin looks; by default the team's own network is reachable
// but cloud metadata addresses are not, even behind a redirect from an allowed address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BotFlow,
  BotFlowInput,
  ChannelAccount,
  ChannelTestResult,
  CreatedApiToken,
  CustomerCard,
  FlowSimulationResult,
  WebhookDelivery,
  WebhookEndpointWithSecret,
} from '@frontline/protocol';
import { createWorkspace, login, startVisitor, type StaffClient } from './test/factories.js';
import { startTestServer, type TestServer } from './test/harness.js';
import { waitFor } from './test/webhook-receiver.js';

/** A service on the local network: records what reaches it; /to-metadata redirects to the metadata address. */
interface LocalService {
  port: number;
  paths: string[];
  /** TCP connections accepted, HTTP or not (a mail client would not send a request line). */
  connections: () => number;
  close(): Promise<void>;
}

async function startLocalService(): Promise<LocalService> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    if (request.url === '/to-metadata')
      return void response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ title: 'Local CRM', fields: [], links: [], lists: [] }));
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    paths,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Side {
  server: TestServer;
  admin: StaffClient;
  widgetKey: string;
}

async function side(env: Record<string, string>): Promise<Side> {
  const server = await startTestServer({ LOG_LEVEL: 'error', ...env });
  const workspace = await createWorkspace(server);
  return { server, admin: await login(server, workspace.admin), widgetKey: workspace.widgetKey };
}

let local: LocalService;
let strict: Side;
let open: Side;

beforeAll(async () => {
  [local, strict, open] = await Promise.all([
    startLocalService(),
    side({ OUTBOUND_URLS: 'public-only' }),
    side({}),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([local.close(), strict.server.close(), open.server.close()]);
});

/** Sends a webhook.test event to a new endpoint at `url` and waits for its first attempt. */
async function deliveryTo({ admin }: Side, url: string): Promise<WebhookDelivery> {
  const endpoint = await admin.json<WebhookEndpointWithSecret>('POST', '/api/webhooks', {
    url,
    eventTypes: ['conversation.created'],
  });
  const sent = await admin.json<WebhookDelivery>('POST', `/api/webhooks/${endpoint.id}/test`);
  return waitFor(async () => {
    const delivery = await admin.json<WebhookDelivery>('GET', `/api/webhook-deliveries/${sent.id}`);
    return delivery.attempts > 0 ? delivery : undefined;
  });
}

/** Simulates a one-action flow calling `url`; the action's error, if it failed. */
async function actionErrorFor({ admin }: Side, url: string): Promise<string | undefined> {
  const flow: BotFlowInput = {
    name: `Call ${url}`,
    enabled: false,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'call',
      nodes: [
        {
          id: 'call',
          type: 'action',
          position: { x: 0, y: 0 },
          method: 'GET',
          url,
          headers: {},
          body: '',
          timeoutMs: 3000,
          retries: 1,
          responseMap: [],
          choices: null,
          files: null,
          replyText: '',
        },
        { id: 'done', type: 'message', position: { x: 0, y: 100 }, text: 'Done', links: [], files: [] },
        { id: 'failed', type: 'message', position: { x: 100, y: 100 }, text: 'Failed', links: [], files: [] },
        {
          id: 'person',
          type: 'handoff',
          position: { x: 0, y: 200 },
          text: '',
          departmentId: null,
          priority: 'normal',
        },
      ],
      edges: [
        { id: 'e1', source: 'call', port: 'next', target: 'done' },
        { id: 'e2', source: 'call', port: 'failed', target: 'failed' },
        { id: 'e3', source: 'done', port: 'next', target: 'person' },
        { id: 'e4', source: 'failed', port: 'next', target: 'person' },
      ],
    },
  };
  const created = await admin.json<BotFlow>('POST', '/api/bot-flows', flow);
  const result = await admin.json<FlowSimulationResult>('POST', `/api/bot-flows/${created.id}/simulate`, {
    inputs: [],
  });
  expect(result.steps.map((s) => s.nodeId)).toContain(result.actionErrors.length ? 'failed' : 'done');
  return result.actionErrors[0]?.error;
}

async function cardLookupFrom(target: Side, url: string): Promise<CustomerCard> {
  const { admin, server } = target;
  await admin.json('PUT', '/api/settings/customer-card', {
    enabled: true,
    urlTemplate: `${url}?email={{email}}`,
    headers: [],
    timeoutMs: 1000,
    cacheTtlSeconds: 300,
  });
  const { token } = await admin.json<CreatedApiToken>('POST', '/api/tokens', {
    name: 'site',
    scopes: ['contacts:write'],
  });
  const visitor = await startVisitor(server, target.widgetKey);
  const identified = await fetch(`${server.url}/api/contacts/identify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contactId: visitor.session.contact.id, email: 'someone@example.com' }),
  });
  const contactId = ((await identified.json()) as { contact: { id: string } }).contact.id;
  return waitFor(async () => {
    const card = await admin.json<CustomerCard>('GET', `/api/contacts/${contactId}/card`);
    return card.status === 'pending' ? undefined : card;
  });
}

/** Connects an API channel whose app receives replies at `url`, and pings it. */
async function apiChannelPing({ admin }: Side, url: string): Promise<ChannelTestResult> {
  const account = await admin.json<ChannelAccount>('POST', '/api/channels', {
    kind: 'api',
    name: 'Our app',
    config: { webhookUrl: url },
    secrets: { signingSecret: 'an-app-signing-secret-0001' },
  });
  return admin.json<ChannelTestResult>('POST', `/api/channels/${account.id}/test`);
}

const refusedLoopback = (address: string) =>
  new RegExp(
    `Refused to connect to ${address}: it is a loopback address, which OUTBOUND_URLS=public-only does not allow`,
  );

describe('outbound URLs', () => {
  it('public-only refuses a webhook to 127.0.0.1 and to a name resolving to it, saying so in the log', async () => {
    const byAddress = await deliveryTo(strict, `http://127.0.0.1:${local.port}/hooks-by-address`);
    expect(byAddress.status).not.toBe('delivered');
    expect(byAddress.lastError).toMatch(refusedLoopback('127\\.0\\.0\\.1'));
    const byName = await deliveryTo(strict, `http://localhost:${local.port}/hooks-by-name`);
    expect(byName.lastError).toMatch(refusedLoopback('(127\\.0\\.0\\.1|::1) \\(localhost\\)'));
    expect(local.paths.filter((p) => p.startsWith('/hooks-by'))).toEqual([]);
  });

  it('public-only refuses a bot HTTP action, a CRM lookup and an API channel to the local network, with the reason', async () => {
    expect(await actionErrorFor(strict, `http://localhost:${local.port}/bot`)).toMatch(
      refusedLoopback('(127\\.0\\.0\\.1|::1) \\(localhost\\)'),
    );
    const card = await cardLookupFrom(strict, `http://127.0.0.1:${local.port}/crm`);
    expect(card.status).toBe('error');
    expect(card.error).toMatch(
      /^The CRM lookup was not made: Refused to connect to 127\.0\.0\.1: it is a loopback/,
    );
    const ping = await apiChannelPing(strict, `http://127.0.0.1:${local.port}/app`);
    expect(ping.ok).toBe(false);
    expect(ping.detail).toMatch(refusedLoopback('127\\.0\\.0\\.1'));
    expect(local.paths.filter((p) => /^\/(bot|crm|app)/.test(p))).toEqual([]);
  });

  it("public-only refuses an e-mail channel's SMTP and IMAP servers on the local network, with the reason", async () => {
    const before = local.connections();
    const mail = await strict.admin.json<ChannelAccount>('POST', '/api/channels', {
      kind: 'email',
      name: 'Support mail',
      config: { address: 'help@shop.example', smtpHost: 'localhost', smtpPort: local.port, inbound: 'smtp' },
      secrets: {},
    });
    const ping = await strict.admin.json<ChannelTestResult>('POST', `/api/channels/${mail.id}/test`);
    expect(ping.ok).toBe(false);
    expect(ping.detail).toMatch(refusedLoopback('(127\\.0\\.0\\.1|::1) \\(localhost\\)'));

    const mailbox = await strict.admin.json<ChannelAccount>('POST', '/api/channels', {
      kind: 'email',
      name: 'Support mailbox',
      config: {
        address: 'desk@shop.example',
        smtpHost: 'smtp.shop.example',
        smtpPort: 587,
        inbound: 'imap',
        imapHost: '127.0.0.1',
        imapPort: local.port,
        imapUser: 'desk',
      },
      secrets: { imapPassword: 'a-mailbox-password' },
    });
    const reading = await waitFor(async () => {
      const accounts = await strict.admin.json<ChannelAccount[]>('GET', '/api/channels');
      return accounts.find((a) => a.id === mailbox.id && a.lastError !== null);
    });
    expect(reading.lastError).toMatch(/^IMAP: /);
    expect(reading.lastError).toMatch(refusedLoopback('127\\.0\\.0\\.1'));
    expect(local.connections()).toBe(before);
  });

  it('by default reaches the local network but refuses cloud metadata addresses, redirects included', async () => {
    const delivered = await deliveryTo(open, `http://localhost:${local.port}/hooks-allowed`);
    expect(delivered.status).toBe('delivered');
    expect(await actionErrorFor(open, `http://127.0.0.1:${local.port}/bot-allowed`)).toBeUndefined();
    expect((await cardLookupFrom(open, `http://127.0.0.1:${local.port}/crm-allowed`)).status).toBe('ok');
    expect(local.paths).toEqual(
      expect.arrayContaining(['/hooks-allowed', '/bot-allowed', expect.stringMatching(/^\/crm-allowed\?/)]),
    );

    const metadata = await deliveryTo(open, 'http://169.254.169.254/latest/meta-data/');
    expect(metadata.lastError).toMatch(
      /Refused to connect to 169\.254\.169\.254: it is a link-local or cloud metadata address, which OUTBOUND_URLS=public-and-private does not allow/,
    );
    expect((await deliveryTo(open, 'http://[fd00:ec2::254]/latest/')).lastError).toMatch(
      /Refused to connect to fd00:ec2::254: it is the cloud metadata address/,
    );
    expect((await apiChannelPing(open, 'http://169.254.169.254/app')).detail).toMatch(
      /The app: Refused to connect to 169\.254\.169\.254: it is a link-local or cloud metadata address/,
    );
    expect(await actionErrorFor(open, `http://127.0.0.1:${local.port}/to-metadata`)).toMatch(
      /Refused to connect to 169\.254\.169\.254: it is a link-local or cloud metadata address/,
    );
  });
});
