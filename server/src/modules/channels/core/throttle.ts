// Per-provider send rates (docs/channels.md): each channel account may send only as fast as its
// provider accepts, overall and per chat, so a burst of replies is spread out instead of being
// refused with 429s and retried with back-off. Counted in Redis when REDIS_URL is set, so every
// node draws on the account's one budget (each node counts alone while Redis is down).
import type { Redis } from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createLimiter } from '../../../rate-limits.js';
import { Turns } from '../../../turns.js';
import type { ChannelSendRate } from './adapter.js';

export class SendThrottle {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  /** Sends to one chat, in the order their jobs started on this node. */
  private readonly chatTurns = new Turns();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly keyPrefix: string,
  ) {}

  /**
   * Runs `send` after the chat's earlier sends on this node have settled, so replies held back by
   * the rate still leave in the order their jobs started. Call it before awaiting anything.
   */
  inTurn<T>(chat: string, send: () => Promise<T>): Promise<T> {
    return this.chatTurns.run(chat, send);
  }

  /**
   * Takes one send from the chat's budget and the account's. Returns 0 when the send may go now,
   * otherwise how many milliseconds to wait before asking again. The chat is asked first: a send
   * waiting for its chat must not use up the account's budget that other chats need.
   */
  async reserve(accountId: string, address: string, rate: ChannelSendRate): Promise<number> {
    if (rate.perChatPerSecond !== null) {
      const chat = await this.take(
        `chat:${rate.perChatPerSecond}`,
        rate.perChatPerSecond,
        `${accountId}:${address}`,
      );
      if (chat > 0) return chat;
    }
    return this.take(`account:${rate.perSecond}`, rate.perSecond, accountId);
  }

  private async take(name: string, perSecond: number, key: string): Promise<number> {
    try {
      await this.limiter(name, perSecond).consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  }

  /** One limiter per distinct rate, counting in one-second windows. */
  private limiter(name: string, perSecond: number): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (limiter) return limiter;
    limiter = createLimiter(
      { keyPrefix: `send:${name}`, points: perSecond, duration: 1 },
      this.redis && { redis: this.redis, keyPrefix: `${this.keyPrefix}send:${name}` },
    );
    this.limiters.set(name, limiter);
    return limiter;
  }
}
