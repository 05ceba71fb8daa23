// Login, sessions with CSRF, roles, API token scopes, visitor tokens and the socket handshakes.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, ErrorBody } from '@frontline/protocol';
import { connected, createWorkspace, login, startVisitor, type TestWorkspace } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { io } from 'socket.io-client';

let server: TestServer;
let workspace: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_MINUTE: '5' });
  workspace = await createWorkspace(server);
});
afterAll(() => server.close());

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

describe('operator login and session', () => {
  it('refuses a wrong password without saying which half was wrong', async () => {
    const response = await post('/api/auth/login', {
      email: workspace.operator.email,
      password: 'wrong-password',
    });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({
      code: 'unauthorized',
      message: 'Wrong e-mail or password',
    });
  });

  it('sets an httpOnly SameSite cookie and requires the CSRF token on writes', async () => {
    const response = await post('/api/auth/login', workspace.operator);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const client = await login(server, workspace.operator);
    const withoutCsrf = await fetch(`${server.url}/api/me`, {
      method: 'PATCH',
      headers: { cookie: client.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'ru' }),
    });
    expect(withoutCsrf.status).toBe(403);
    expect((await errorOf(withoutCsrf)).code).toBe('csrf_invalid');
    expect((await client.request('PATCH', '/api/me', { locale: 'ru' })).status).toBe(200);
  });

  it('ends the session on logout', async () => {
    const client = await login(server, workspace.operator);
    expect((await client.request('GET', '/api/auth/session')).status).toBe(200);
    expect((await client.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await client.request('GET', '/api/auth/session')).status).toBe(401);
  });

  it('enforces roles: operators cannot manage people, tokens or workspace settings', async () => {
    const client = await login(server, workspace.operator);
    const attempts = [
      client.request('POST', '/api/users', {
        email: 'new@test.local',
        name: 'New',
        password: 'long-enough-pw',
      }),
      client.request('POST', '/api/tokens', { name: 'x', scopes: ['conversations:read'] }),
      client.request('GET', '/api/tokens'),
      client.request('PATCH', '/api/workspace', { name: 'Mine now' }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
  });

  it('rate-limits login attempts with Retry-After', async () => {
    const email = 'nobody@test.local';
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await post('/api/auth/login', { email, password: 'x' });
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('API tokens', () => {
  it('grant exactly their scopes and stop working when revoked', async () => {
    const admin = await login(server, workspace.admin);
    const created = await admin.json<CreatedApiToken>('POST', '/api/tokens', {
      name: 'CRM',
      scopes: ['conversations:read'],
    });
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await fetch(`${server.url}/api/conversations`, { headers: bearer })).status).toBe(200);
    const contacts = await fetch(`${server.url}/api/contacts`, { headers: bearer });
    expect(contacts.status).toBe(403);
    expect((await errorOf(contacts)).message).toContain('contacts:read');
    expect((await fetch(`${server.url}/api/users`, { headers: bearer })).status).toBe(403);
    expect((await admin.request('DELETE', `/api/tokens/${created.id}`)).status).toBe(204);
    expect((await fetch(`${server.url}/api/conversations`, { headers: bearer })).status).toBe(401);
  });
});

describe('visitor tokens and socket handshakes', () => {
  it('refuses forged and expired visitor tokens with a clear error', async () => {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const [header, payload] = visitor.token.split('.');
    const forged = `${header}.${payload}.AAAA`;
    const forgedResponse = await fetch(
      `${server.url}/api/widget/conversations/00000000-0000-7000-8000-000000000000/messages`,
      { headers: { 'x-visitor-token': forged } },
    );
    expect(forgedResponse.status).toBe(401);
    expect((await errorOf(forgedResponse)).code).toBe('token_invalid');

    const secret = (await server.app.services.workspaces.get(workspace.id)).visitor_token_secret;
    const expired = await new SignJWT({ wid: workspace.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitor.session.contact.id)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    const socket = io(`${server.url}/visitor`, {
      transports: ['websocket'],
      auth: { visitorToken: expired },
      forceNew: true,
      reconnection: false,
    });
    const error = await new Promise<Error & { data?: ErrorBody }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    expect(error.message).toBe('token_expired');
    expect(error.data?.error.message).toMatch(/expired/);
  });

  it('accepts the widget only on allowed sites', async () => {
    const other = await createWorkspace(server);
    const admin = await login(server, other.admin);
    await admin.json('PATCH', '/api/workspace', { allowedOrigins: ['https://shop.example'] });
    const visitor = await startVisitor(server, other.widgetKey);
    await connected(visitor.socket({ hostOrigin: 'https://shop.example' })).then((s) => s.disconnect());
    const refused = visitor.socket({ hostOrigin: 'https://evil.example' });
    const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
    expect(error.message).toBe('origin_not_allowed');
    const wrongPage = visitor.socket({ origin: 'https://evil.example', hostOrigin: 'https://shop.example' });
    expect((await new Promise<Error>((resolve) => wrongPage.once('connect_error', resolve))).message).toBe(
      'origin_not_allowed',
    );
    // The frame page may only be embedded by allowed sites (npm test builds the widget first).
    const frame = await fetch(`${server.url}/widget/frame.html?key=${other.widgetKey}`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toBe("frame-ancestors 'self' https://shop.example");
  });

  it('refuses operator sockets without a session or from another site', async () => {
    const anonymous = io(`${server.url}/operator`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    expect((await new Promise<Error>((resolve) => anonymous.once('connect_error', resolve))).message).toBe(
      'unauthorized',
    );
    const client = await login(server, workspace.operator);
    const crossSite = io(`${server.url}/operator`, {
      transports: ['websocket'],
      extraHeaders: { cookie: client.cookie, origin: 'https://evil.example' },
      forceNew: true,
      reconnection: false,
    });
    expect((await new Promise<Error>((resolve) => crossSite.once('connect_error', resolve))).message).toBe(
      'origin_not_allowed',
    );
  });
});
