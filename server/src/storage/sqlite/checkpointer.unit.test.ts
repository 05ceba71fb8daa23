// The main connection never checkpoints; the worker thread must, or the database file would
// never receive what was committed.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openSqlite } from '../database.js';

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
