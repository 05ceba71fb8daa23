// A transaction that reads before it writes must wait out another connection's write lock (the
// checkpointer's RESTART holds it a moment), not fail with "database is locked": SQLite does not
// wait when a read transaction asks to become a write one, so transactions take the lock at BEGIN.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openSqlite } from '../database.js';

const dir = mkdtempSync(path.join(tmpdir(), 'frontline-begin-immediate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another connection, on its own thread, holding the write lock for `holdMs`. */
const LOCK_HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.exec('begin immediate');
parentPort.postMessage('locked');
setTimeout(() => { db.exec('commit'); db.close(); parentPort.postMessage('released'); }, workerData.holdMs);
`;

describe('SQLite transactions', () => {
  it('wait for another connection holding the write lock, also when they read first', async () => {
    const file = path.join(dir, 'frontline.db');
    const storage = openSqlite(file);
    await sql`create table notes (body text not null)`.execute(storage.db);
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const holder = new Worker(LOCK_HOLDER, { eval: true, workerData: { file, driverPath, holdMs: 300 } });
    await once(holder, 'message');
    await storage.db.transaction().execute(async (trx) => {
      await sql`select count(*) from notes`.execute(trx);
      await sql`insert into notes (body) values ('written after the lock was freed')`.execute(trx);
    });
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(storage.db);
    expect(rows[0]?.n).toBe(1);
    await holder.terminate();
    await storage.close();
  });
});
