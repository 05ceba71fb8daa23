import { describe, expect, it } from 'vitest';
import { Turns } from './turns.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('turns', () => {
  it('runs work of one key in order, after a failure too, and other keys alongside', async () => {
    const turns = new Turns();
    const done: string[] = [];
    const slow =
      (name: string, ms: number, fail = false) =>
      async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        done.push(name);
        if (fail) throw new Error(name);
        return name;
      };
    const first = turns.run('chat', slow('a1', 30, true));
    const second = turns.run('chat', slow('a2', 1));
    const other = turns.run('other', slow('b1', 1));
    await expect(first).rejects.toThrow('a1');
    expect(await second).toBe('a2');
    expect(await other).toBe('b1');
    expect(done).toEqual(['b1', 'a1', 'a2']);
    await tick();
    expect(await turns.run('chat', async () => 'free again')).toBe('free again');
  });
});
