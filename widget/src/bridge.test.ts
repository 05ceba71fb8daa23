import { describe, expect, it } from 'vitest';
import { isFrameMessage, isLoaderMessage } from './bridge.js';

describe('loader and frame messages', () => {
  it('lets through only the messages meant for each side', () => {
    expect(isLoaderMessage({ type: 'frontline:open' })).toBe(true);
    expect(isLoaderMessage({ type: 'frontline:unread', count: 1 })).toBe(false);
    expect(isFrameMessage({ type: 'frontline:unread', count: 1 })).toBe(true);
    expect(isFrameMessage({ type: 'frontline:open' })).toBe(false);
  });

  it("ignores the host page's own messages", () => {
    for (const data of [
      null,
      'frontline:open',
      { type: 42 },
      { kind: 'frontline:open' },
      { type: 'webpackOk' },
    ])
      expect(isLoaderMessage(data) || isFrameMessage(data)).toBe(false);
  });
});
