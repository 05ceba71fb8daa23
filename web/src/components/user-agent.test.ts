import { describe, expect, it } from 'vitest';
import { describeBrowser, describeSystem } from './user-agent.js';

const describeUserAgent = (ua: string) =>
  [describeBrowser(ua), describeSystem(ua)].filter(Boolean).join(' · ') || null;

describe('a visitor browser as operators read it', () => {
  it('names the browser and system, not the engines it pretends to be', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 156 · Linux');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 YaBrowser/24.7.0.0 Safari/537.36',
      ),
    ).toBe('Yandex Browser 24 · Windows');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 · iOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0',
      ),
    ).toBe('Firefox 128 · macOS');
  });

  it('gives nothing for what it cannot read', () => {
    expect(describeUserAgent('curl/8.5.0')).toBeNull();
  });
});
