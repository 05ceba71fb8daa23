// The main connection never checkpoints; the worker thread must, or the database file would
// never receive what was committed.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openSqlite } from '../database.js';
import { WAL_LIMIT_BYTES } from './checkpointer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'frontline-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite checkpoints on a worker thread', () => {
  it('moves committed pages from the log into the database file while the app keeps writing', async () => {
    const file = path.join(dir, 'frontline.db');
    const storage = openSqlite(file);
    await sql`create table filler (body text not null)`.execute(storage.db);
    const sizeBefore = statSync(file).size;
    for (let i = 0; i < 200; i++) {
      await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(storage.db);
    }
    const deadline = Date.now() + 5_000;
    while (statSync(file).size < sizeBefore + 500_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 500_000);
    await storage.close();
  });
});

describe('the write-ahead log', () => {
  it('gives its space back once the log has started over (journal_size_limit)', async () => {
    const file = path.join(dir, 'shrinks.db');
    const storage = openSqlite(file);
    await sql`create table filler (body text not null)`.execute(storage.db);
    // One transaction far larger than the limit grows the log file past it.
    const body = 'y'.repeat(1000);
    await storage.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 70_000; i++) await sql`insert into filler (body) values (${body})`.execute(trx);
    });
    const grown = statSync(`${file}-wal`).size;
    expect(grown).toBeGreaterThan(WAL_LIMIT_BYTES);
    // Small writes after the checkpoint copied everything: the log starts over and is cut back.
    const deadline = Date.now() + 15_000;
    while (statSync(`${file}-wal`).size > WAL_LIMIT_BYTES && Date.now() < deadline) {
      await sql`insert into filler (body) values ('small')`.execute(storage.db);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_LIMIT_BYTES);
    await storage.close();
  }, 60_000);
});
