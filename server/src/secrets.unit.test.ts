import { describe, expect, it } from 'vitest';
import { SecretBox, SecretUnreadableError } from './secrets.js';

const KEY = 'k'.repeat(64);

describe('secrets at rest', () => {
  it('round-trip, differ on every encryption, and hold no plaintext', () => {
    const box = new SecretBox(KEY, 'channels');
    const secrets = { botToken: '123:abc', appSecret: 'секрет' };
    const first = box.sealJson(secrets);
    expect(first).not.toContain('123:abc');
    expect(box.sealJson(secrets)).not.toBe(first);
    expect(box.openJson(first)).toEqual(secrets);
  });

  it('refuse a tampered value, another SECRET_KEY and another purpose with a clear error', () => {
    const sealed = new SecretBox(KEY, 'webhooks').seal('whsec_abc');
    const parts = sealed.split(':');
    const data = Buffer.from(parts[3]!, 'base64');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64');
    const box = new SecretBox(KEY, 'webhooks');
    expect(() => box.open(parts.join(':'))).toThrow(SecretUnreadableError);
    expect(() => new SecretBox('x'.repeat(64), 'webhooks').open(sealed)).toThrow(
      /webhooks secrets cannot be decrypted: SECRET_KEY is not the one they were saved with/,
    );
    expect(() => new SecretBox(KEY, 'customer-cards').open(sealed)).toThrow(SecretUnreadableError);
    expect(() => box.open('whsec_plaintext')).toThrow(SecretUnreadableError);
  });
});
