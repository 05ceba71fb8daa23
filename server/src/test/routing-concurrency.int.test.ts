// Two server processes on one database and Redis, hundreds of simultaneous arrivals while
// operators go online and offline on both: afterwards no conversation is held twice, no operator is
// over capacity, slot counts match the conversations held, and nothing waits while a slot is free.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, OperatorLoad, Session, WidgetSession } from '@frontline/protocol';
import { connected, openConversation, type ClientSocket } from './factories.js';
import { createDatabase, deleteRedisKeys, testEngine, type TestDatabase } from './harness.js';
import { startServerProcess, type ServerProcess } from './process-harness.js';
import { openSqlite } from '../storage/database.js';

const ARRIVALS = 200;
const OPERATORS = 12;
const CAPACITY = 3;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_KEY_PREFIX = `frontline-test-${randomUUID()}:`;

let dataDir: string;
let database: TestDatabase;
let nodes: ServerProcess[];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-routing-'));
  database = await createDatabase(dataDir);
  const env = {
    REDIS_URL,
    REDIS_KEY_PREFIX,
    SECRET_KEY: 'k'.repeat(64),
    RATE_LIMIT_CONVERSATIONS_PER_HOUR: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
  };
  const first = await startServerProcess({ dataDir, databaseUrl: database.url, env });
  // The second node starts after the first has migrated and seeded.
  nodes = [first, await startServerProcess({ dataDir, databaseUrl: database.url, env })];
}, 90_000);

afterAll(async () => {
  for (const node of nodes ?? []) await node.kill();
  await database.drop();
  await deleteRedisKeys(REDIS_URL, REDIS_KEY_PREFIX);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Client {
  url: string;
  cookie: string;
  csrf: string;
}

async function login(url: string, email: string, password: string): Promise<Client> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(await response.text());
  const session = (await response.json()) as Session;
  return {
    url,
    cookie: response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    csrf: session.csrfToken,
  };
}

async function call<T>(client: Client, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(client.url + route, {
    method,
    headers: {
      cookie: client.cookie,
      'x-csrf-token': client.csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function arrive(url: string, widgetKey: string): Promise<string> {
  const session = (await (
    await fetch(`${url}/api/widget/${widgetKey}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as WidgetSession;
  const socket: ClientSocket = io(`${url}/visitor`, {
    transports: ['websocket'],
    auth: { visitorToken: session.visitorToken },
    forceNew: true,
    reconnection: false,
  });
  const { id } = await openConversation(await connected(socket));
  socket.disconnect();
  return id;
}

/** Slot counts as the database holds them, straight from the tables. */
async function heldByOperator(): Promise<Map<string, number>> {
  const query =
    "select assignee_id, count(*) as n from conversations where status in ('offered', 'assigned') and assignee_id is not null group by assignee_id";
  if (testEngine() === 'postgres') {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ assignee_id: string; n: string }>(query);
    await client.end();
    return new Map(rows.map((r) => [r.assignee_id, Number(r.n)]));
  }
  const storage = openSqlite(path.join(dataDir, 'frontline.db'));
  const { sql } = await import('kysely');
  const result = await sql<{ assignee_id: string; n: number }>`${sql.raw(query)}`.execute(storage.db);
  await storage.close();
  return new Map(result.rows.map((r) => [r.assignee_id, Number(r.n)]));
}

describe('routing on two nodes at once', () => {
  it('never double-assigns, never exceeds capacity, and leaves nothing waiting while a slot is free', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const logins = a.demoLogins();
    const admin = await login(a.url, logins.admin.email, logins.admin.password);
    const operators: Client[] = [];
    for (let i = 0; i < OPERATORS; i++) {
      const email = `op${i}@load.test`;
      const user = await call<{ id: string }>(admin, 'POST', '/api/users', {
        email,
        name: `Op ${i}`,
        password: 'operator-password-1',
        role: 'operator',
        locale: 'ru',
      });
      await call(admin, 'PUT', `/api/users/${user.id}/capacity`, { capacity: CAPACITY });
      operators.push(await login(i % 2 === 0 ? a.url : b.url, email, 'operator-password-1'));
    }

    // Arrivals on both nodes while operators flip between online and away on both nodes.
    const arrivals = Array.from({ length: ARRIVALS }, (_, i) =>
      arrive(i % 2 === 0 ? a.url : b.url, logins.widgetKey),
    );
    const flips = operators.flatMap((operator, i) =>
      [0, 1, 2].map(async (round) => {
        await new Promise((r) => setTimeout(r, Math.random() * 300 * (round + 1)));
        await call(operator, 'PUT', '/api/me/presence', {
          presence: round === 1 && i % 3 === 0 ? 'away' : 'online',
        });
      }),
    );
    const ids = await Promise.all(arrivals);
    await Promise.all(flips);
    // Every operator ends online; let both nodes finish their routing passes.
    for (const operator of operators) await call(operator, 'PUT', '/api/me/presence', { presence: 'online' });
    await new Promise((r) => setTimeout(r, 2_000));

    const overview = await call<{ operators: OperatorLoad[]; queue: Conversation[] }>(
      admin,
      'GET',
      '/api/routing/overview',
    );
    const held = await heldByOperator();
    const loads = overview.operators.filter((o) => o.presence === 'online');
    for (const load of overview.operators) {
      expect(load.active, `${load.name} within capacity`).toBeLessThanOrEqual(load.capacity);
      expect(load.active, `${load.name} slot count matches what they hold`).toBe(held.get(load.id) ?? 0);
    }
    const totalSlots = loads.reduce((sum, o) => sum + o.capacity, 0);
    const totalHeld = [...held.values()].reduce((sum, n) => sum + n, 0);
    expect(totalHeld).toBe(Math.min(totalSlots, ids.length));
    expect(overview.queue.length).toBe(ids.length - totalHeld);
    expect(new Set(ids).size).toBe(ARRIVALS);
  }, 120_000);
});
