// Rate limits on the abuse-prone actions: login attempts, new conversations, messages. In memory
// on one node; in Redis when REDIS_URL is set, so every node counts against the same budget (each
// node falls back to its own count while Redis is down).
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from './config.js';
import { AppError } from './errors.js';

export type LimitedAction =
  'login' | 'loginFromAddress' | 'conversation' | 'message' | 'api' | 'help' | 'draft';

/** What is left of a budget after a call: for X-RateLimit-* headers. */
export interface Budget {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface RateLimits {
  /** Counts one `action` for `key` and throws a rate_limited error when the budget is spent. */
  consume(action: LimitedAction, key: string): Promise<Budget>;
  /** Throws rate_limited if `key`'s budget is already spent, without counting this call. */
  assertNotSpent(action: LimitedAction, key: string): Promise<void>;
}

const MESSAGES = {
  login: 'Too many failed logins for this account; wait a minute and try again',
  loginFromAddress: 'Too many login attempts from this address; wait a minute and try again',
  conversation: 'Too many new conversations from here; try again later',
  message: 'You are sending messages too fast; wait a moment',
  api: 'This API token made too many requests; wait for the time in Retry-After',
  help: 'Too many help-centre requests from this address; wait a minute and try again',
  draft: 'You asked for too many answer drafts; wait a minute and try again',
} satisfies Record<LimitedAction, string>;

/**
 * `points` per `duration` seconds for each key: in memory on one node, or in Redis under
 * `shared.keyPrefix` so that every node counts against the same budget.
 */
export function createLimiter(
  budget: { keyPrefix: string; points: number; duration: number },
  shared?: { redis: Redis; keyPrefix: string },
): RateLimiterAbstract {
  const local = new RateLimiterMemory(budget);
  if (!shared) return local;
  // While Redis is unreachable each node counts on its own instead of refusing every request.
  return new RateLimiterRedis({
    ...budget,
    storeClient: shared.redis,
    keyPrefix: shared.keyPrefix,
    insuranceLimiter: local,
  });
}

export function createRateLimits(config: Config, redis?: Redis): RateLimits {
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
    createLimiter(
      { keyPrefix, points, duration },
      redis && { redis, keyPrefix: `${config.redisKeyPrefix}rl:${keyPrefix}` },
    );
  const limiters: Record<LimitedAction, RateLimiterAbstract> = {
    login: make('login', config.rateLimits.loginPerMinute, 60),
    // A whole office can share one address, so it gets several people's budget.
    loginFromAddress: make('login-ip', config.rateLimits.loginPerMinute * 5, 60),
    conversation: make('conversation', config.rateLimits.conversationsPerHour, 3600),
    message: make('message', config.rateLimits.messagesPerMinute, 60),
    api: make('api', config.rateLimits.apiPerMinute, 60),
    // Searching and reading the public knowledge base: by address, as no one is signed in.
    help: make('help', config.rateLimits.helpPerMinute, 60),
    // Each draft is a paid call to the model provider: per operator.
    draft: make('draft', config.rateLimits.draftsPerMinute, 60),
  };
  const refuse = (action: LimitedAction, msBeforeNext: number) =>
    new AppError('rate_limited', MESSAGES[action], undefined, Math.max(1, Math.ceil(msBeforeNext / 1000)));
  return {
    async assertNotSpent(action, key) {
      const state = await limiters[action].get(key);
      if (state && state.remainingPoints <= 0) throw refuse(action, state.msBeforeNext);
    },
    async consume(action, key) {
      try {
        const state = await limiters[action].consume(key);
        return {
          limit: limiters[action].points,
          remaining: state.remainingPoints,
          resetSeconds: Math.ceil(state.msBeforeNext / 1000),
        };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw refuse(action, rejection.msBeforeNext);
        throw rejection;
      }
    },
  };
}
