// Group commit on both engines: writes arriving together share one transaction, and a write that
// fails is undone alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import { createDatabase, type TestDatabase } from '../test/harness.js';
import type { Storage } from './database.js';
import { newId } from './ids.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

let dataDir: string;
let database: TestDatabase;
let storage: Storage;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-commit-group-'));
  database = await createDatabase(dataDir);
  storage = database.open();
  // A fresh test database holds no secrets to seal; any key will do.
  await migrateToLatest(storage, { secretKey: 'commit-group-test-holds-no-secrets' });
});
afterAll(async () => {
  await storage.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const insertWorkspace = (trx: Transaction<Database>, name: string) =>
  trx
    .insertInto('workspaces')
    .values({
      id: newId(),
      name,
      widget_key: newId(),
      visitor_token_secret: 's',
      default_locale: 'en',
      allowed_origins: '[]',
      settings: '{}',
      created_at: Date.now(),
    })
    .execute();

const stored = async (names: string[]) =>
  (await storage.db.selectFrom('workspaces').select('name').where('name', 'in', names).execute())
    .map((r) => r.name)
    .sort();

describe('CommitGroup', () => {
  it('puts writes that arrive together into one transaction', async () => {
    const transactions = new Set<Transaction<Database>>();
    await Promise.all(
      ['together-1', 'together-2', 'together-3'].map((name) =>
        storage.commitGroup.run(async (trx) => {
          transactions.add(trx);
          await insertWorkspace(trx, name);
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

  it('undoes only the write that failed and gives its caller that error', async () => {
    const results = await Promise.allSettled([
      storage.commitGroup.run((trx) => insertWorkspace(trx, 'kept-1')),
      storage.commitGroup.run(async (trx) => {
        await insertWorkspace(trx, 'undone');
        throw new Error('the rule said no');
      }),
      storage.commitGroup.run((trx) => insertWorkspace(trx, 'kept-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('the rule said no'));
    expect(await stored(['kept-1', 'undone', 'kept-2'])).toEqual(['kept-1', 'kept-2']);
  });

  it('keeps going after a database error inside one write', async () => {
    const duplicateKey = newId();
    const insertWithKey = (trx: Transaction<Database>, name: string) =>
      trx
        .insertInto('workspaces')
        .values({
          id: newId(),
          name,
          widget_key: duplicateKey,
          visitor_token_secret: 's',
          default_locale: 'en',
          allowed_origins: '[]',
          settings: '{}',
          created_at: Date.now(),
        })
        .execute();
    const results = await Promise.allSettled([
      storage.commitGroup.run((trx) => insertWithKey(trx, 'first-key')),
      storage.commitGroup.run((trx) => insertWithKey(trx, 'second-key')),
      storage.commitGroup.run((trx) => insertWorkspace(trx, 'after-error')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored(['first-key', 'second-key', 'after-error'])).toEqual(['after-error', 'first-key']);
  });
});
