// A graceful stop (SIGTERM) lets started writes commit: whatever was answered 201 is stored, and
// the process exits cleanly.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePage, WidgetSession } from '@frontline/protocol';
import { io } from 'socket.io-client';
import { openConversation, type ClientSocket } from './factories.js';
import { createDatabase, type TestDatabase } from './harness.js';
import { startServerProcess, type ServerProcess } from './process-harness.js';

let dataDir: string;
let database: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-shutdown-'));
  database = await createDatabase(dataDir);
  server = await startServerProcess({
    dataDir,
    databaseUrl: database.url,
    env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '10000' },
  });
}, 60_000);

afterAll(async () => {
  await server.kill();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('answers or refuses each request in flight, and stores every message it answered 201', async () => {
    const { widgetKey } = server.demoLogins();
    const session = (await (
      await fetch(`${server.url}/api/widget/${widgetKey}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as WidgetSession;
    const headers = { 'x-visitor-token': session.visitorToken, 'content-type': 'application/json' };
    const socket: ClientSocket = io(`${server.url}/visitor`, {
      transports: ['websocket'],
      auth: { visitorToken: session.visitorToken },
      reconnection: false,
    });
    const conversationId = (await openConversation(socket)).id;
    socket.disconnect();

    const sends = Array.from({ length: 60 }, (_, i) =>
      fetch(`${server.url}/api/widget/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ clientMsgId: `s-${randomUUID()}`, text: `message ${i}` }),
      }).then(
        async (response) => ({
          status: response.status,
          body: response.status === 201 ? ((await response.json()) as { seq: number }) : undefined,
        }),
        () => ({ status: 0, body: undefined }),
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
    await server.stop();
    const results = await Promise.all(sends);
    const stored = results.filter((r) => r.status === 201);
    expect(stored.length).toBeGreaterThan(0);

    await server.start();
    const page = (await (
      await fetch(`${server.url}/api/widget/conversations/${conversationId}/messages?afterSeq=0&limit=500`, {
        headers,
      })
    ).json()) as MessagePage;
    const seqs = new Set(page.items.map((m) => m.seq));
    for (const answered of stored) expect(seqs.has(answered.body?.seq ?? -1)).toBe(true);
    expect(page.items.map((m) => m.seq)).toEqual(page.items.map((_, i) => i + 1));
  }, 60_000);
});
