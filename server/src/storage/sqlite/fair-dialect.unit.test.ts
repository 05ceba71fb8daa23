import { describe, expect, it } from 'vitest';
import { FifoLock } from './fair-dialect.js';

describe('FifoLock', () => {
  it('hands the lock to waiters in the order they asked', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    await lock.acquire();
    const waiting = [1, 2, 3].map((n) => lock.acquire().then(() => order.push(n)));
    for (let i = 0; i < 3; i++) {
      lock.release();
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it('is free again once every holder released it', async () => {
    const lock = new FifoLock();
    await lock.acquire();
    const second = lock.acquire();
    lock.release();
    await second;
    lock.release();
    let acquired = false;
    void lock.acquire().then(() => (acquired = true));
    await Promise.resolve();
    expect(acquired).toBe(true);
  });
});
