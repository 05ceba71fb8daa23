// Starts real Frontline servers for integration tests, on the database the test project names
// (FRONTLINE_TEST_DB=sqlite|postgres). Each server gets a database of its own; PostgreSQL suites
// fail (never skip) when PostgreSQL cannot be reached.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildApp, type FrontlineApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Kysely } from 'kysely';
import { openPostgres, openSqlite, type Storage } from '../storage/database.js';
import { newId } from '../storage/ids.js';
import { migrateToLatest } from '../storage/migrate.js';
import type { Database } from '../storage/schema.js';

const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestServer {
  url: string;
  app: FrontlineApp;
  /** Stops the server (graceful) and starts a fresh process-equivalent on the same database and port. */
  restart(): Promise<void>;
  /** Stops without waiting for in-flight work: what a crash looks like to clients. */
  close(): Promise<void>;
}

export const testEngine = (): 'sqlite' | 'postgres' =>
  process.env.FRONTLINE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export async function startTestServer(
  env: Record<string, string> = {},
  shared?: { database: TestDatabase; dataDir: string },
): Promise<TestServer> {
  const dataDir = shared?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'frontline-test-'));
  const database = shared?.database ?? (await createDatabase(dataDir));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    ...env,
  });
  let app = await startApp(config, database.open());
  const url = await app.listen();
  const port = new URL(url).port;

  const server: TestServer = {
    url,
    app,
    async restart() {
      await app.close();
      app = await startApp({ ...config, port: Number(port) }, database.open());
      await app.listen();
      server.app = app;
    },
    async close() {
      await app.close();
      if (shared) return;
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

async function startApp(config: ReturnType<typeof loadConfig>, storage: Storage): Promise<FrontlineApp> {
  await migrateToLatest(storage, config);
  return buildApp(config, storage);
}

export interface TestDatabase {
  open(): Storage;
  drop(): Promise<void>;
  /** DATABASE_URL for a server process, or undefined for the SQLite file in its DATA_DIR. */
  url: string | undefined;
}

/**
 * Two or more nodes on one database and one Redis, as in cluster mode. The cluster gets Redis keys
 * of its own (REDIS_KEY_PREFIX), so earlier runs' rate-limit budgets never leak into this one.
 */
export async function startTestCluster(
  nodes: number,
  env: Record<string, string> & { REDIS_URL: string },
): Promise<{ servers: TestServer[]; close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-cluster-'));
  const database = await createDatabase(dataDir);
  const shared = { database, dataDir };
  const redisKeyPrefix = `frontline-test-${randomBytes(6).toString('hex')}:`;
  const clusterEnv = {
    SECRET_KEY: randomBytes(32).toString('hex'),
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ...env,
  };
  const servers: TestServer[] = [];
  for (let i = 0; i < nodes; i++) servers.push(await startTestServer(clusterEnv, shared));
  return {
    servers,
    async close() {
      for (const server of servers) await server.close();
      await database.drop();
      await deleteRedisKeys(env.REDIS_URL, redisKeyPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Nodes started and stopped one by one on one database and data folder (restarts, takeovers). */
export interface SharedDatabaseNodes {
  start(): Promise<TestServer>;
  stop(server: TestServer): Promise<void>;
  /** Stops the nodes still running and drops the database. */
  close(): Promise<void>;
}

export async function nodesOnOneDatabase(env: Record<string, string>): Promise<SharedDatabaseNodes> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-nodes-'));
  const database = await createDatabase(dataDir);
  const nodeEnv = { SECRET_KEY: randomBytes(32).toString('hex'), ...env };
  const running = new Set<TestServer>();
  return {
    async start() {
      const server = await startTestServer(nodeEnv, { database, dataDir });
      running.add(server);
      return server;
    },
    async stop(server) {
      running.delete(server);
      await server.close();
    },
    async close() {
      for (const server of running) await server.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes what a test cluster left in Redis under its key prefix. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

export interface OpenedTestStorage {
  storage: Storage;
  /** Closes the storage, drops the database and removes its directory. */
  close(): Promise<void>;
}

/**
 * Storage of the test's own, for tests of the storage layer itself (no server): a fresh database
 * on the engine under test, migrated unless `migrate` is false (a test that brings its own tables).
 */
export async function openTestStorage(
  name: string,
  options: { migrate?: boolean } = {},
): Promise<OpenedTestStorage> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `frontline-${name}-`));
  const database = await createDatabase(dataDir);
  const storage = database.open();
  // A fresh test database holds no secrets to seal; any key will do.
  if (options.migrate !== false)
    await migrateToLatest(storage, { secretKey: `${name}-test-holds-no-secrets` });
  return {
    storage,
    async close() {
      await storage.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bare workspace row, for storage tests that need a row to write and no app around it. */
export async function insertWorkspaceRow(
  db: Kysely<Database>,
  name: string,
  fields: { widgetKey?: string; createdAt?: number } = {},
): Promise<string> {
  const id = newId();
  await db
    .insertInto('workspaces')
    .values({
      id,
      name,
      widget_key: fields.widgetKey ?? newId(),
      visitor_token_secret: 's',
      default_locale: 'en',
      allowed_origins: '[]',
      settings: '{}',
      created_at: fields.createdAt ?? Date.now(),
    })
    .execute();
  return id;
}

/** A database of its own for one test server: a SQLite file in `dataDir`, or a fresh PostgreSQL database. */
export async function createDatabase(
  dataDir: string,
  postgresAdminUrl = POSTGRES_ADMIN_URL,
): Promise<TestDatabase> {
  if (testEngine() === 'sqlite') {
    const file = path.join(dataDir, 'frontline.db');
    return { open: () => openSqlite(file), drop: async () => undefined, url: undefined };
  }
  const name = `frontline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresAdminUrl}; start it (see .ci/run) or set TEST_DATABASE_URL`,
      { cause: error },
    );
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    open: () => openPostgres(url.toString()),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
