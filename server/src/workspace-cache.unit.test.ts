import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkspaceCaches, type CacheNotices } from './workspace-cache.js';

/** Two nodes' notices, wired to each other as Redis would. */
function linkedNotices(): [CacheNotices, CacheNotices] {
  const receivers: [((c: string, w: string) => void)[], ((c: string, w: string) => void)[]] = [[], []];
  const side = (mine: number, theirs: number): CacheNotices => ({
    send: (cache, workspaceId) => receivers[theirs]?.forEach((r) => r(cache, workspaceId)),
    listen: (receiver) => receivers[mine]?.push(receiver),
  });
  return [side(0, 1), side(1, 0)];
}

afterEach(() => vi.useRealTimers());

describe('workspace caches', () => {
  it('reads once per workspace until a change, on this node and on the others', async () => {
    let stored = 'first';
    const load = vi.fn(async () => stored);
    const [a, b] = linkedNotices();
    const onA = new WorkspaceCaches(a).create('settings', load);
    const onB = new WorkspaceCaches(b).create('settings', load);
    expect(await onA.get('w1')).toBe('first');
    expect(await onB.get('w1')).toBe('first');
    expect(await onA.get('w1')).toBe('first');
    expect(load).toHaveBeenCalledTimes(2);

    stored = 'second';
    onA.changed('w1');
    expect(await onA.get('w1')).toBe('second');
    expect(await onB.get('w1')).toBe('second');
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('does not keep a read that was under way when the change came, nor a failed one', async () => {
    let release: (value: string) => void = () => undefined;
    const load = vi
      .fn<(workspaceId: string) => Promise<string>>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
      .mockRejectedValueOnce(new Error('database down'))
      .mockResolvedValue('fresh');
    const cache = new WorkspaceCaches(null).create('settings', load);
    const stale = cache.get('w1');
    cache.changed('w1');
    release('stale');
    expect(await stale).toBe('stale');
    await expect(cache.get('w1')).rejects.toThrow('database down');
    expect(await cache.get('w1')).toBe('fresh');
    expect(await cache.get('w1')).toBe('fresh');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('reads again after the age limit, should a notice have been lost', async () => {
    vi.useFakeTimers();
    const load = vi.fn(async () => 'value');
    const cache = new WorkspaceCaches(null).create('settings', load, 1000);
    await cache.get('w1');
    vi.advanceTimersByTime(999);
    await cache.get('w1');
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2);
    await cache.get('w1');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('refuses two caches of one name, whose notices would mix', () => {
    const caches = new WorkspaceCaches(null);
    caches.create('settings', async () => 1);
    expect(() => caches.create('settings', async () => 2)).toThrow(/exists already/);
  });
});
