// Prepared statements on both engines: the values of each call are the ones bound, the set of
// values given chooses the statement, and a transaction runs them on its own connection.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testEngine, type OpenedTestStorage } from '../test/harness.js';
import type { Storage } from './database.js';
import { prepare } from './prepared.js';

let opened: OpenedTestStorage;
let storage: Storage;

// A table of the test's own, outside the app's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (db: unknown) => db as Kysely<any>;

beforeAll(async () => {
  opened = await openTestStorage('prepared', { migrate: false });
  storage = opened.storage;
  await sql`create table counters (id text primary key, n integer not null, note text)`.execute(storage.db);
});
afterAll(() => opened.close());

const insertCounter = prepare((db, v: { id: string; n: number; note?: string | null }) =>
  untyped(db).insertInto('counters').values(v),
);

const bump = prepare((db, v: { id: string; note?: string | null }) =>
  untyped(db)
    .updateTable('counters')
    .set((eb) => ({ n: eb('n', '+', 1), ...('note' in v ? { note: v.note } : {}) }))
    .where('id', '=', v.id)
    .returning(['id', 'n', 'note']),
);

describe('prepared statements', () => {
  it('binds each call its own values and keeps the constants of the query', async () => {
    for (const [id, n] of [
      ['a', 1],
      ['b', 10],
    ] as const)
      await insertCounter.execute(storage.db, { id, n, note: null });
    const a = await bump.execute(storage.db, { id: 'a' });
    const b = await bump.execute(storage.db, { id: 'b' });
    expect(a.rows).toEqual([{ id: 'a', n: 2, note: null }]);
    expect(b.rows).toEqual([{ id: 'b', n: 11, note: null }]);
    expect((await bump.execute(storage.db, { id: 'nobody' })).rows).toEqual([]);
  });

  it('chooses the statement by the values given; undefined is not given, null is', async () => {
    await insertCounter.execute(storage.db, { id: 'c', n: 0, note: 'kept' });
    expect((await bump.execute(storage.db, { id: 'c', note: undefined })).rows).toEqual([
      { id: 'c', n: 1, note: 'kept' },
    ]);
    expect((await bump.execute(storage.db, { id: 'c', note: 'changed' })).rows).toEqual([
      { id: 'c', n: 2, note: 'changed' },
    ]);
    expect((await bump.execute(storage.db, { id: 'c', note: null })).rows).toEqual([
      { id: 'c', n: 3, note: null },
    ]);
    expect((await bump.execute(storage.db, { id: 'c' })).rows).toEqual([{ id: 'c', n: 4, note: null }]);
  });

  it('runs inside a transaction, undone with it', async () => {
    await insertCounter.execute(storage.db, { id: 'd', n: 0 });
    await expect(
      storage.db.transaction().execute(async (trx) => {
        const inside = await bump.execute(trx, { id: 'd' });
        expect(inside.rows[0]?.n).toBe(1);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const after = await untyped(storage.db)
      .selectFrom('counters')
      .select('n')
      .where('id', '=', 'd')
      .execute();
    expect(after).toEqual([{ n: 0 }]);
  });

  it.runIf(testEngine() === 'postgres')(
    'keeps them prepared on the PostgreSQL connection, and other SQL unnamed',
    async () => {
      const named = await storage.db.transaction().execute(async (trx) => {
        await bump.execute(trx, { id: 'a' });
        await sql`select 1`.execute(trx);
        const { rows } = await sql<{
          statement: string;
        }>`select statement from pg_prepared_statements where name like 'frontline_%'`.execute(trx);
        return rows.map((r) => r.statement);
      });
      expect(named.some((statement) => statement.startsWith('update "counters"'))).toBe(true);
      expect(named.some((statement) => statement.includes('select 1'))).toBe(false);
    },
  );
});
