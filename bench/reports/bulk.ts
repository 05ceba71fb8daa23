// Bulk writing for the load seed: many rows per transaction, without the per-statement cost of
// building queries. SQLite gets one prepared INSERT per table run row by row on its own connection
// (with the sync to disk off: a seed is recreated, not recovered); PostgreSQL gets one
// INSERT … SELECT FROM unnest(arrays) per table and batch, with the plain secondary indexes dropped
// during the load and built once at the end (faster than keeping them up to date row by row).
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Insertable } from 'kysely';
import type { Database } from '../../server/src/storage/schema.js';
import type { Target } from './db.js';

export type Rows = { [T in keyof Database]?: Insertable<Database[T]>[] };

export interface BulkWriter {
  /** Writes every table's rows in one transaction, in the order given. */
  write(rows: Rows): Promise<void>;
  /** Restores what the load set aside (indexes, sync settings) and closes the connection. */
  finish(): Promise<void>;
}

type Row = Record<string, unknown>;

export async function openBulkWriter(target: Target): Promise<BulkWriter> {
  return target.engine === 'sqlite' ? sqliteWriter(target.location) : postgresWriter(target.location);
}

function sqliteWriter(file: string): BulkWriter {
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = OFF');
  // The seed writes consistent rows; checking each reference costs an index lookup per row.
  database.pragma('foreign_keys = OFF');
  database.pragma('cache_size = -1000000');
  const statements = new Map<string, SqliteDatabase.Statement>();
  const statementFor = (table: string, columns: string[]) => {
    const key = `${table}(${columns.join(',')})`;
    let statement = statements.get(key);
    if (!statement) {
      statement = database.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  const writeAll = database.transaction((rows: Rows) => {
    for (const [table, list] of Object.entries(rows) as [string, Row[]][]) {
      if (list.length === 0) continue;
      const statement = statementFor(table, Object.keys(list[0]!));
      for (const row of list) statement.run(row);
    }
  });
  return {
    write: async (rows) => writeAll(rows),
    finish: async () => {
      database.pragma('wal_checkpoint(TRUNCATE)');
      database.close();
    },
  };
}

/** PostgreSQL's array type for a column's type, for unnest($n::type[]). */
const ARRAY_TYPES: Record<string, string> = {
  text: 'text[]',
  bigint: 'bigint[]',
  integer: 'integer[]',
  'double precision': 'double precision[]',
  boolean: 'boolean[]',
};

/** Tables the seed fills heavily: their plain indexes are built after the load. */
const LOADED_TABLES = [
  'contacts',
  'conversations',
  'conversation_events',
  'messages',
  'conversation_tags',
  'analytics_conversations',
  'analytics_tags',
  'analytics_offer_misses',
  'presence_events',
];

async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The seed's rows are consistent by construction: skipping the foreign-key triggers (a superuser
  // setting, as the bench's own database is) and the wait for each commit's flush saves most of
  // the time. Neither outlives this connection.
  await client.query('set session_replication_role = replica');
  await client.query('set synchronous_commit = off');
  const types = new Map<string, string>();
  for (const row of (
    await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public'`,
    )
  ).rows)
    types.set(`${row.table_name}.${row.column_name}`, row.data_type);
  const deferred = (
    await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes
       where schemaname = 'public' and tablename = any($1)
         and indexname not in (select conname from pg_constraint)`,
      [LOADED_TABLES],
    )
  ).rows;
  for (const index of deferred) await client.query(`drop index ${index.indexname}`);

  const insert = async (table: string, rows: Row[]) => {
    const columns = Object.keys(rows[0]!);
    const arrays = columns.map((column) => rows.map((row) => row[column] ?? null));
    const casts = columns.map((column, i) => {
      const type = ARRAY_TYPES[types.get(`${table}.${column}`) ?? ''];
      if (!type) throw new Error(`The seed does not know the type of ${table}.${column}`);
      return `$${i + 1}::${type}`;
    });
    await client.query(
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${casts.join(', ')})`,
      arrays,
    );
  };
  return {
    write: async (rows) => {
      await client.query('begin');
      try {
        for (const [table, list] of Object.entries(rows) as [string, Row[]][])
          if (list.length > 0) await insert(table, list);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    finish: async () => {
      for (const index of deferred) await client.query(index.indexdef);
      // Fresh statistics and visibility maps, as autovacuum would leave them after a while.
      for (const table of LOADED_TABLES) await client.query(`vacuum analyze ${table}`);
      await client.end();
    },
  };
}
