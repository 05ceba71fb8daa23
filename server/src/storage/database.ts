// Opens the database Frontline runs on: the embedded SQLite file under DATA_DIR by default, or
// PostgreSQL when DATABASE_URL is set. Everything above this file sees one Kysely<Database>.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  sql,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { CommitGroup } from './commit-group.js';
import { statementNameOf } from './prepared.js';
import type { Database } from './schema.js';
import { Checkpointer, WAL_LIMIT_BYTES } from './sqlite/checkpointer.js';
import { FairSqliteDialect } from './sqlite/fair-dialect.js';

export type Engine = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** Shared transactions for small hot writes (messages): see commit-group.ts. */
  commitGroup: CommitGroup;
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// int8 (bigint) arrives as a string by default; our bigints are epoch milliseconds, safe as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

export function openStorage(options: { databaseUrl?: string | undefined; dataDir: string }): Storage {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openSqlite(path.join(options.dataDir, 'frontline.db'));
}

/** The SQLite page cache's bound, in KiB (64 MiB). */
const PAGE_CACHE_KIB = 65_536;

export function openSqlite(file: string): Storage {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run while a write commits; NORMAL sync is durable across process crashes
  // (only an OS crash can lose the last commits), which is the trade SQLite deployments make.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB: under a stream of messages the conversations, their
  // indexes and the analytics rows fall out of it and are read again from the WAL file, a system
  // call each. Pages are cached only once read, so a small workspace never uses this much.
  database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const onDisk = file !== ':memory:';
  if (onDisk) {
    database.pragma('wal_autocheckpoint = 0');
    database.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  }
  const checkpointer = onDisk
    ? new Checkpointer(file, (message) => process.emitWarning(`SQLite checkpoint failed: ${message}`))
    : undefined;
  const db = new Kysely<Database>({
    dialect: new FairSqliteDialect({ database: withStatementCache(database) }),
  });
  return {
    db,
    engine: 'sqlite',
    commitGroup: new CommitGroup(db, { maxBatch: 256, lanes: 1 }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

export function openPostgres(connectionString: string): Storage {
  const pool = new pg.Pool({
    connectionString,
    max: 20,
    // Fail fast when PostgreSQL is down instead of queueing requests forever.
    connectionTimeoutMillis: 5_000,
  });
  // A client losing its connection (PostgreSQL restart) must not crash the process: the pool
  // listens on idle clients only, so each client also gets a listener for while it is checked out
  // (between the statements of a transaction); the statement under way fails on its own.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return {
    db,
    engine: 'postgres',
    // A few groups at once keep the pool busy; each still commits many writes with one fsync.
    commitGroup: new CommitGroup(db, { maxBatch: 64, lanes: 4 }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Distinct SQL texts the app issues are few (hundreds); this bound only guards against surprises. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query anew, and preparing costs as much as running a small query. The
 * app's SQL texts repeat (values are parameters), so prepared statements are kept and reused.
 * Safe because Kysely's SQLite driver runs one statement at a time to completion.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare: (sqlText: string) => {
      let statement = statements.get(sqlText);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = database.prepare(sqlText);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/**
 * Runs the statements `prepare` built as named statements: PostgreSQL parses and plans each once
 * per connection, where an unnamed one is parsed and planned on every call, which cost PostgreSQL
 * more than executing the small statements a message runs. Other SQL goes through unchanged.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => new NamedStatementClient(await pool.connect()),
    end: () => pool.end(),
  };
}

class NamedStatementClient implements PostgresPoolClient {
  constructor(private readonly client: pg.PoolClient) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Frontline reads no query as a stream, so Kysely never hands a cursor here.
    if (typeof sqlOrCursor !== 'string') throw new Error('Streaming queries are not supported');
    const values = [...parameters];
    const name = statementNameOf(sqlOrCursor);
    const result = name
      ? this.client.query({ name, text: sqlOrCursor, values })
      : this.client.query(sqlOrCursor, values);
    return result as unknown as Promise<PostgresQueryResult<R>>;
  }

  release(): void {
    this.client.release();
  }
}
