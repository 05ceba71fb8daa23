// Visitors and operators exchange messages while their connections are cut at random mid-send and
// the server process is killed (-9) and started again once. Afterwards every acked message must be
// held exactly once by every participant, in seq order, with no gaps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryProblems,
  dropConnectionsAtRandom,
  exchangeMessages,
  fetchPost,
  joinChat,
  leaveChat,
} from './chat-load.js';
import { createDatabase, type TestDatabase } from './harness.js';
import { startServerProcess, type ServerProcess } from './process-harness.js';

const VISITORS = 4;
const MESSAGES_PER_SENDER = 20;

let dataDir: string;
let database: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-fault-'));
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

describe('delivery under faults', () => {
  it('loses and duplicates nothing acked across dropped connections and a killed server', async () => {
    const logins = server.demoLogins();
    const route = { url: server.url };
    const chat = await joinChat({
      post: fetchPost,
      widgetKey: logins.widgetKey,
      operators: [logins.admin, logins.operator].map((credentials) => ({ credentials, route })),
      visitors: Array.from({ length: VISITORS }, () => route),
    });
    let restarted = false;
    await exchangeMessages(chat, MESSAGES_PER_SENDER, async (progress, done) => {
      const restart = (async () => {
        while (progress() < 0.4 && !done()) await new Promise((r) => setTimeout(r, 20));
        await server.kill();
        await new Promise((r) => setTimeout(r, 200));
        await server.start();
        restarted = true;
      })();
      await dropConnectionsAtRandom(chat, done);
      await restart;
    });
    expect(restarted).toBe(true);
    expect(await deliveryProblems(chat, (VISITORS + 2) * MESSAGES_PER_SENDER)).toEqual([]);
    leaveChat(chat);
  }, 120_000);
});
