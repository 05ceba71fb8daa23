// Opening the benchmark's database: a SQLite file, or a PostgreSQL database created afresh.
import pg from 'pg';
import { openPostgres, openSqlite, type Storage } from '../../server/src/storage/database.js';
import { migrateToLatest } from '../../server/src/storage/migrate.js';

export interface Target {
  /** postgres://... names a database; otherwise a SQLite file path. */
  location: string;
  engine: 'sqlite' | 'postgres';
}

export function targetOf(value: string): Target {
  return { location: value, engine: /^postgres(ql)?:\/\//.test(value) ? 'postgres' : 'sqlite' };
}

/** Drops and creates the PostgreSQL database the URL names (the bench's own, never another). */
export async function recreatePostgres(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`Use a plain database name (letters, digits, _), not "${name}"`);
  parsed.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: parsed.toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

export async function openTarget(target: Target): Promise<Storage> {
  const storage = target.engine === 'postgres' ? openPostgres(target.location) : openSqlite(target.location);
  // Bench databases start empty: no stored secrets to seal, so any key will do.
  await migrateToLatest(storage, { secretKey: 'bench-databases-hold-no-secrets' });
  return storage;
}

/**
 * Closes the storage. The SQLite checkpointer's worker is unref'd, so awaiting its exit in a
 * script with nothing else pending would end the process first (exit code 13): a timer keeps the
 * event loop alive meanwhile.
 */
export async function closeTarget(storage: Storage): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await storage.close();
  } finally {
    clearInterval(keepAlive);
  }
}
