import { describe, expect, it } from 'vitest';
import { CHANNELS, RECENT_WINDOW_MS, ROUTING_STRATEGIES, USER_ROLES } from '@frontline/protocol';
import * as local from './constants.js';

describe('the workspace’s copies of protocol constants', () => {
  it('agree with the protocol', () => {
    expect(local.RECENT_WINDOW_MS).toBe(RECENT_WINDOW_MS);
    expect([...local.CHANNEL_CHOICES].sort()).toEqual([...CHANNELS].sort());
    expect([...local.USER_ROLE_CHOICES].sort()).toEqual([...USER_ROLES].sort());
    expect([...local.ROUTING_STRATEGY_CHOICES].sort()).toEqual([...ROUTING_STRATEGIES].sort());
  });
});
