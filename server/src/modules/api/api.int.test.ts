// The public API's generic mechanisms: idempotency keys on writes, per-token rate limits with
// Retry-After, scopes, and a complete, valid OpenAPI description generated from the schemas.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, CreatedApiToken, ErrorBody, Message } from '@frontline/protocol';
import { API_SCOPES } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  openConversation,
  startVisitor,
  type StaffClient,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
let admin: StaffClient;
let token: string;
let conversationId: string;

const RATE_LIMIT = 40;

async function newToken(scopes: readonly string[], name = 'integration'): Promise<string> {
  return (await admin.json<CreatedApiToken>('POST', '/api/tokens', { name, scopes })).token;
}

function call(
  bearer: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(server.url + route, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_API_PER_MINUTE: String(RATE_LIMIT) });
  const workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  token = await newToken(API_SCOPES);
  const visitor = await startVisitor(server, workspace.widgetKey);
  const socket = await connected(visitor.socket());
  conversationId = (await openConversation(socket)).id;
  socket.disconnect();
}, 60_000);
afterAll(() => server.close());

describe('idempotency keys', () => {
  it('answers a repeated write with the stored answer instead of acting twice', async () => {
    const body = { name: 'Anna', email: 'anna@shop.test' };
    const first = await call(token, 'POST', '/api/contacts', body, { 'idempotency-key': 'create-anna' });
    expect(first.status).toBe(201);
    const created = (await first.json()) as Contact;
    const again = await call(token, 'POST', '/api/contacts', body, { 'idempotency-key': 'create-anna' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as Contact).id).toBe(created.id);
    const listed = await (await call(token, 'GET', '/api/contacts?q=anna@shop.test')).json();
    expect((listed as { items: Contact[] }).items).toHaveLength(1);
  });

  it('refuses the same key with a different request', async () => {
    await call(token, 'POST', '/api/contacts', { name: 'Boris' }, { 'idempotency-key': 'k-boris' });
    const other = await call(
      token,
      'POST',
      '/api/contacts',
      { name: 'Vera' },
      { 'idempotency-key': 'k-boris' },
    );
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(
      /different request/,
    );
  });

  it('keeps keys per token, and stores refusals too', async () => {
    const second = await newToken(['contacts:write', 'contacts:read', 'conversations:write']);
    const mine = await call(
      token,
      'POST',
      '/api/contacts',
      { name: 'Gleb' },
      { 'idempotency-key': 'shared' },
    );
    const theirs = await call(
      second,
      'POST',
      '/api/contacts',
      { name: 'Gleb' },
      { 'idempotency-key': 'shared' },
    );
    expect(((await mine.json()) as Contact).id).not.toBe(((await theirs.json()) as Contact).id);
    const missing = '01a20601-dacb-70ab-809c-65c5c0054679';
    const refused = await call(second, 'POST', `/api/conversations/${missing}/resolve`, undefined, {
      'idempotency-key': 'r1',
    });
    expect(refused.status).toBe(404);
    const replayed = await call(second, 'POST', `/api/conversations/${missing}/resolve`, undefined, {
      'idempotency-key': 'r1',
    });
    expect(replayed.status).toBe(404);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('acts once when the same request races itself', async () => {
    const body = { clientMsgId: clientId(), text: 'Your refund is on its way' };
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        call(token, 'POST', `/api/conversations/${conversationId}/messages`, body, {
          'idempotency-key': 'race-1',
        }),
      ),
    );
    expect(answers.every((a) => [200, 201, 409].includes(a.status))).toBe(true);
    expect(
      answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') !== 'true'),
    ).toHaveLength(1);
    const page = (await (
      await call(token, 'GET', `/api/conversations/${conversationId}/messages`)
    ).json()) as {
      items: Message[];
    };
    expect(page.items.filter((m) => m.text === 'Your refund is on its way')).toHaveLength(1);
  });

  it('refuses a malformed key', async () => {
    const response = await call(
      token,
      'POST',
      '/api/contacts',
      { name: 'X' },
      { 'idempotency-key': 'has space' },
    );
    expect(response.status).toBe(400);
  });
});

describe('rate limits and scopes', () => {
  it('counts requests per token, tells what is left, and answers 429 with Retry-After when spent', async () => {
    const limited = await newToken(['contacts:read']);
    const remaining: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < RATE_LIMIT + 1 && !refused; i++) {
      const response = await call(limited, 'GET', '/api/contacts?limit=1');
      if (response.status === 429) refused = response;
      else remaining.push(Number(response.headers.get('x-ratelimit-remaining')));
    }
    expect(remaining).toHaveLength(RATE_LIMIT);
    expect(remaining.at(0)).toBe(RATE_LIMIT - 1);
    expect(remaining.at(-1)).toBe(0);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused?.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another token has its own budget.
    const fresh = await newToken(['contacts:read']);
    expect((await call(fresh, 'GET', '/api/contacts?limit=1')).status).toBe(200);
  });

  it('refuses a route the token has no scope for, and session-only routes', async () => {
    const reader = await newToken(['contacts:read']);
    expect((await call(reader, 'POST', '/api/contacts', { name: 'Y' })).status).toBe(403);
    expect((await call(reader, 'GET', '/api/webhooks')).status).toBe(403);
    expect((await call(reader, 'POST', `/api/conversations/${conversationId}/take`)).status).toBe(403);
    expect((await call('flt_not-a-token', 'GET', '/api/contacts')).status).toBe(401);
  });
});

describe('the knowledge base and reports through the API', () => {
  it('are read and written with their scopes, and refused without them', async () => {
    const writer = await newToken(['knowledge:read', 'knowledge:write'], 'help centre sync');
    const created = await call(writer, 'POST', '/api/knowledge/articles', {
      locale: 'en',
      title: 'Delivery times',
      body: 'Orders arrive in 3 to 5 working days.',
    });
    expect(created.status).toBe(201);
    const found = await (await call(writer, 'GET', '/api/knowledge/search?q=delivery&locale=en')).json();
    expect(JSON.stringify(found)).toContain('Delivery times');
    const feedback = await call(writer, 'GET', '/api/knowledge/feedback');
    expect(feedback.status).toBe(200);
    expect(await feedback.json()).toEqual([]);

    const reader = await newToken(['reports:read'], 'warehouse dashboard');
    const report = await call(reader, 'GET', '/api/analytics/report?from=2026-11-01&to=2026-11-29');
    expect(report.status).toBe(200);
    expect(await report.json()).toHaveProperty('rows');

    const refused = await call(reader, 'POST', '/api/knowledge/articles', {
      locale: 'en',
      title: 'x',
      body: 'y',
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.message).toContain('knowledge:write');
    expect((await call(writer, 'GET', '/api/analytics/live')).status).toBe(403);
    expect((await call(reader, 'GET', '/api/knowledge/feedback')).status).toBe(403);
  });
});

describe('the OpenAPI description', () => {
  it('is valid OpenAPI and lists every API route with its schemas and who may call it', async () => {
    const spec = (await (await fetch(`${server.url}/api/docs/json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            summary?: string;
            security?: unknown[];
            description?: string;
            responses: Record<string, unknown>;
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };
    await SwaggerParser.validate(structuredClone(spec) as never);

    const registered = routesOf(server.app.http.printRoutes({ commonPrefix: false }));
    const documented = new Set(
      Object.entries(spec.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      ),
    );
    const missing = registered.filter(
      (route) => route.includes(' /api/') && !route.includes('/api/docs') && !documented.has(route),
    );
    expect(missing).toEqual([]);

    const operations = Object.entries(spec.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({
        where: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
    expect(operations.filter(({ operation }) => !operation.summary).map((o) => o.where)).toEqual([]);
    const withoutSuccess = operations.filter(
      ({ operation }) => !Object.keys(operation.responses).some((code) => code.startsWith('2')),
    );
    expect(withoutSuccess.map((o) => o.where)).toEqual([]);
    const send = spec.paths['/api/conversations/{id}/messages']?.post;
    expect(send?.description).toMatch(/scope `messages:write`/);
    expect(send?.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(send?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')).toBe(true);
    expect(send?.responses['429']).toBeDefined();
    expect(spec.paths['/api/conversations/{id}/take']?.post?.security).toEqual([{ session: [] }]);
    // The visitors' knowledge base is public: no security, described like the widget's routes.
    const helpSearch = spec.paths['/api/help/{key}/search']?.get;
    expect(helpSearch?.summary).toBeDefined();
    expect(helpSearch?.security).toBeUndefined();
    expect(spec.paths['/api/knowledge/feedback']?.get?.description).toMatch(/scope `knowledge:read`/);
    // A draft is an operator's request to a paid model: sessions only; its setting is an admin's.
    expect(spec.paths['/api/conversations/{id}/answer-draft']?.post?.security).toEqual([{ session: [] }]);
    expect(spec.paths['/api/settings/answer-drafts']?.put?.description).toMatch(/scope `settings:write`/);
  });
});

/** "METHOD /path" for every route printRoutes lists (HEAD routes are Fastify's own). */
function routesOf(printed: string): string[] {
  return printed.split('\n').flatMap((line) => {
    const match = /(\/\S*) \(([A-Z, ]+)\)/.exec(line);
    if (!match) return [];
    const [, path = '', methods = ''] = match;
    return methods
      .split(', ')
      .filter((method) => method !== 'HEAD')
      .map((method) => `${method} ${path}`);
  });
}
