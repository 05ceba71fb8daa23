// The job runner on both engines: a job committed while the runner sleeps between polls waits for
// the next poll, unless the runner is woken (a visitor's answer to a bot must not wait a poll).
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWorkspaceRow, openTestStorage, type OpenedTestStorage } from '../test/harness.js';
import { JobRepo } from './repo.js';
import { DEFAULT_JOB_OPTIONS, JobRunner } from './runner.js';

let opened: OpenedTestStorage;

beforeAll(async () => {
  opened = await openTestStorage('jobs');
});
afterAll(() => opened.close());

describe('the job runner', () => {
  it('runs a job committed between polls at once when woken, and only at the next poll when not', async () => {
    const { storage } = opened;
    const repo = new JobRepo(storage.db, storage.engine);
    const runner = new JobRunner(repo, pino({ level: 'silent' }), { ...DEFAULT_JOB_OPTIONS, pollMs: 60_000 });
    const ran: string[] = [];
    runner.register('note', async (payload) => void ran.push(String(payload.name)));
    runner.start();
    // The first poll finds nothing; the next one is a minute away.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const workspace = await insertWorkspaceRow(storage.db, 'Jobs');
    const enqueue = (name: string) =>
      repo.enqueue({ workspaceId: workspace, kind: 'note', payload: { name }, runAt: Date.now() });

    await enqueue('left waiting');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ran).toEqual([]);

    await enqueue('woken for');
    const woken = Date.now();
    runner.wake();
    while (ran.length < 2 && Date.now() - woken < 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(ran.sort()).toEqual(['left waiting', 'woken for']);
    expect(Date.now() - woken).toBeLessThan(1_000);
    await runner.stop();
  });
});
