// Group commit on both engines: writes arriving together share one transaction, and a write that
// fails is undone alone; writes keyed by different rows never deadlock each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import { insertWorkspaceRow, openTestStorage, type OpenedTestStorage } from '../test/harness.js';
import { accumulatorIn, type CommitAccumulator } from './commit-group.js';
import type { Storage } from './database.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

let opened: OpenedTestStorage;
let storage: Storage;

beforeAll(async () => {
  opened = await openTestStorage('commit-group');
  storage = opened.storage;
});
afterAll(() => opened.close());

const stored = async (names: string[]) =>
  (await storage.db.selectFrom('workspaces').select('name').where('name', 'in', names).execute())
    .map((r) => r.name)
    .sort();

describe('CommitGroup', () => {
  it('puts writes that arrive together into one transaction', async () => {
    const transactions = new Set<Transaction<Database>>();
    await Promise.all(
      ['together-1', 'together-2', 'together-3'].map((name) =>
        storage.commitGroup.run('one-key', async (trx) => {
          transactions.add(trx);
          await insertWorkspaceRow(trx, name);
        }),
      ),
    );
    expect(transactions.size).toBe(1);
    expect(await stored(['together-1', 'together-2', 'together-3'])).toEqual([
      'together-1',
      'together-2',
      'together-3',
    ]);
  });

  it('commits a write someone waits on (ahead) first, in a commit of its own', async () => {
    const ran: { name: string; trx: Transaction<Database> }[] = [];
    const write = (name: string, order?: 'ahead') =>
      storage.commitGroup.run(
        'one-key',
        async (trx) => {
          ran.push({ name, trx });
          await insertWorkspaceRow(trx, name);
        },
        order,
      );
    await Promise.all([write('arrived-1'), write('arrived-2'), write('reply', 'ahead')]);
    expect(ran.map((r) => r.name)).toEqual(['reply', 'arrived-1', 'arrived-2']);
    expect(ran[0]?.trx).not.toBe(ran[1]?.trx);
    expect(ran[1]?.trx).toBe(ran[2]?.trx);
    expect(await stored(['arrived-1', 'arrived-2', 'reply'])).toEqual(['arrived-1', 'arrived-2', 'reply']);
  });

  it('undoes only the write that failed and gives its caller that error', async () => {
    const results = await Promise.allSettled([
      storage.commitGroup.run('one-key', (trx) => insertWorkspaceRow(trx, 'kept-1')),
      storage.commitGroup.run('one-key', async (trx) => {
        await insertWorkspaceRow(trx, 'undone');
        throw new Error('the rule said no');
      }),
      storage.commitGroup.run('one-key', (trx) => insertWorkspaceRow(trx, 'kept-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('the rule said no'));
    expect(await stored(['kept-1', 'undone', 'kept-2'])).toEqual(['kept-1', 'kept-2']);
  });

  it('applies the work writes leave for the commit once per batch, without the share of a write that failed', async () => {
    /** Counts the writes that added to it; writes one row naming the total when the batch commits. */
    class Tally implements CommitAccumulator {
      constructor(public count = 0) {}
      merge(other: Tally): void {
        this.count += other.count;
      }
      async flush(trx: Transaction<Database>): Promise<void> {
        flushes += 1;
        await insertWorkspaceRow(trx, `tally-${this.count}`);
      }
    }
    let flushes = 0;
    const counted = (trx: Transaction<Database>) => {
      const tally = accumulatorIn(trx, 'test.tally', () => new Tally());
      if (!tally) throw new Error('not a grouped write');
      tally.count += 1;
    };
    expect(accumulatorIn(storage.db, 'test.tally', () => new Tally())).toBeNull();
    await Promise.allSettled([
      storage.commitGroup.run('one-key', async (trx) => counted(trx)),
      storage.commitGroup.run('one-key', async (trx) => {
        counted(trx);
        throw new Error('undone, and its count with it');
      }),
      storage.commitGroup.run('one-key', async (trx) => counted(trx)),
    ]);
    expect(flushes).toBe(1);
    expect(await stored(['tally-1', 'tally-2', 'tally-3'])).toEqual(['tally-2']);
  });

  it('keeps going after a database error inside one write', async () => {
    const duplicateKey = newId();
    const insertWithKey = (trx: Transaction<Database>, name: string) =>
      insertWorkspaceRow(trx, name, { widgetKey: duplicateKey });
    const results = await Promise.allSettled([
      storage.commitGroup.run('one-key', (trx) => insertWithKey(trx, 'first-key')),
      storage.commitGroup.run('one-key', (trx) => insertWithKey(trx, 'second-key')),
      storage.commitGroup.run('one-key', (trx) => insertWorkspaceRow(trx, 'after-error')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored(['first-key', 'second-key', 'after-error'])).toEqual(['after-error', 'first-key']);
  });
  it('never deadlocks when batches in flight together write the same rows in different orders', async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) => insertWorkspaceRow(storage.db, `row-${i}`, { createdAt: 0 })),
    );
    // Each write locks its key's row and holds it a moment; waves a millisecond apart start new
    // batches while earlier ones still hold their rows, each wave taking the rows in another order.
    const writes: Promise<unknown>[] = [];
    for (let wave = 0; wave < 12; wave++) {
      const order = [...ids].sort(() => Math.random() - 0.5);
      for (const id of order) {
        writes.push(
          storage.commitGroup.run(id, async (trx) => {
            await trx
              .updateTable('workspaces')
              .set((eb) => ({ created_at: eb('created_at', '+', 1) }))
              .where('id', '=', id)
              .execute();
            await new Promise((resolve) => setTimeout(resolve, 2));
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await storage.db
      .selectFrom('workspaces')
      .select('created_at')
      .where('id', 'in', ids)
      .execute();
    expect(rows.map((r) => r.created_at)).toEqual(ids.map(() => 12));
  });
});
