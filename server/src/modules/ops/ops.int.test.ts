// Health, readiness, metrics, the API description, and refusing malformed requests clearly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '@frontline/protocol';
import { LIMITS } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  openConversation,
} from '../../test/factories.js';
import { startTestServer, testEngine, type TestServer } from '../../test/harness.js';

let server: TestServer;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  operator = await login(server, (await createWorkspace(server)).operator);
});
afterAll(() => server.close());

const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

describe('operations endpoints', () => {
  it('answers health, readiness with the engine, and Prometheus metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
      status: 'ok',
      database: testEngine(),
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('frontline_http_request_duration_seconds');
    expect(metrics).toContain('frontline_socket_connections');
  });

  it('describes the API as OpenAPI', async () => {
    const spec = (await (await fetch(`${server.url}/api/docs/json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/conversations',
      '/api/conversations/{id}/messages',
      '/api/contacts',
      '/api/files',
      '/api/auth/login',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  it('malformed JSON, wrong types and unknown routes', async () => {
    const malformed = await operator.request(
      'POST',
      '/api/conversations/00000000-0000-7000-8000-000000000000/messages',
      undefined,
      { 'content-type': 'application/json' },
    );
    expect(malformed.status).toBe(400);
    const broken = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(await errorOf(broken)).toEqual({
      code: 'bad_request',
      message: 'The request body is not valid JSON',
    });
    const badId = await operator.request('GET', '/api/conversations/not-an-id');
    expect(await errorOf(badId)).toMatchObject({ code: 'validation_failed', field: 'params.id' });
    const unknown = await operator.request('GET', '/api/conversations/00000000-0000-7000-8000-000000000000');
    expect(await errorOf(unknown)).toEqual({ code: 'not_found', message: 'Conversation not found' });
    expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404);
  });

  it('an oversized or empty message is refused over HTTP and sockets, and nothing is stored', async () => {
    const workspace = await createWorkspace(server);
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const tooLong = 'x'.repeat(LIMITS.messageTextMaxChars + 1);
    const viaHttp = await visitor.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: tooLong,
    });
    expect(viaHttp.status).toBe(400);
    expect((await errorOf(viaHttp)).message).toContain(`at most ${LIMITS.messageTextMaxChars} characters`);
    const viaSocket = await new Promise((resolve) =>
      socket.emit(
        'message:send',
        {
          conversationId: conversation.id,
          clientMsgId: clientId(),
          text: tooLong,
          kind: 'text',
          fileIds: [],
        },
        resolve,
      ),
    );
    expect(viaSocket).toMatchObject({ ok: false, error: { code: 'validation_failed', field: 'text' } });
    const empty = await new Promise((resolve) =>
      socket.emit(
        'message:send',
        { conversationId: conversation.id, clientMsgId: clientId(), text: '  ', kind: 'text', fileIds: [] },
        resolve,
      ),
    );
    expect(empty).toMatchObject({
      ok: false,
      error: { message: 'A message needs text, a file, a button reply, a location or a contact' },
    });
    const garbage = await new Promise((resolve) =>
      socket.emit('message:send', 'not an object' as never, resolve),
    );
    expect(garbage).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const page = (await (
      await visitor.request('GET', `/api/widget/conversations/${conversation.id}/messages`)
    ).json()) as { items: unknown[]; lastSeq: number };
    expect(page).toMatchObject({ items: [], lastSeq: 0 });
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });

  it('floods of messages and new conversations hit their rate limits with a clear answer', async () => {
    const limited = await startTestServer({
      RATE_LIMIT_MESSAGES_PER_MINUTE: '3',
      RATE_LIMIT_CONVERSATIONS_PER_HOUR: '2',
    });
    try {
      const workspace = await createWorkspace(limited);
      const opened: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const visitor = await startVisitor(limited, workspace.widgetKey);
        const socket = await connected(visitor.socket());
        opened.push(await new Promise((resolve) => socket.emit('conversation:open', resolve)));
        if (i === 0) {
          const conversationId = (opened[0] as { conversation: { id: string } }).conversation.id;
          const acks = [];
          for (let n = 0; n < 4; n++) {
            acks.push(
              await new Promise((resolve) =>
                socket.emit(
                  'message:send',
                  { conversationId, clientMsgId: clientId(), text: `m${n}` },
                  resolve,
                ),
              ),
            );
          }
          expect(acks.slice(0, 3)).toMatchObject([{ ok: true }, { ok: true }, { ok: true }]);
          expect(acks[3]).toMatchObject({
            ok: false,
            error: { code: 'rate_limited', message: 'You are sending messages too fast; wait a moment' },
          });
        }
        socket.disconnect();
      }
      expect(opened.slice(0, 2)).toMatchObject([{ ok: true }, { ok: true }]);
      expect(opened[2]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    } finally {
      await limited.close();
    }
  });

  it('an unknown widget key', async () => {
    const response = await fetch(`${server.url}/api/widget/nope/config`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toMatch(/widget key/);
  });
});
