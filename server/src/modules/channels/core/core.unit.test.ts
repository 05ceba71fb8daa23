// Pure pieces of the channels core: signature checks, bigint-safe Viber parsing,
// button payloads and text fallbacks, a provider's Retry-After.
import { describe, expect, it } from 'vitest';
import { verifyFrontlineSignature } from '../api/adapter.js';
import { signatureHeader } from '../../webhooks/signing.js';
import { parseViberJson } from '../viber/adapter.js';
import { hmacHex, verifySha256Header } from './crypto.js';
import { retryAfterMsOf } from './http.js';
import { buttonPayload, locationText, parseButtonPayload } from './fallback.js';

describe('signature checks', () => {
  it('X-Hub-Signature-256 is checked over the exact bytes', () => {
    const body = Buffer.from('{"text":"Привет \\u00e9"}');
    const good = `sha256=${hmacHex('app', body)}`;
    expect(verifySha256Header('app', good, body)).toBe(true);
    expect(verifySha256Header('app', good, Buffer.from('{"text":"Привет é"}'))).toBe(false);
    expect(verifySha256Header('other', good, body)).toBe(false);
    expect(verifySha256Header('app', undefined, body)).toBe(false);
    expect(verifySha256Header(undefined, good, body)).toBe(false);
  });

  it('Frontline-Signature accepts fresh signatures only', () => {
    const body = '{"type":"message"}';
    const now = Date.now();
    const fresh = signatureHeader(['s3cret-s3cret-s3cret'], Math.floor(now / 1000), body);
    expect(verifyFrontlineSignature('s3cret-s3cret-s3cret', fresh, Buffer.from(body), now)).toBe(true);
    expect(verifyFrontlineSignature('s3cret-s3cret-s3cret', fresh, Buffer.from(body), now + 301_000)).toBe(
      false,
    );
    expect(verifyFrontlineSignature('another-secret-here', fresh, Buffer.from(body), now)).toBe(false);
  });
});

describe('Viber bodies', () => {
  it('keep 64-bit message tokens exact', () => {
    const parsed = parseViberJson(
      '{"message_token":5466358343372472277,"timestamp":1457764197627}',
    ) as Record<string, unknown>;
    expect(parsed.message_token).toBe('5466358343372472277');
    expect(parsed.timestamp).toBe(1457764197627);
    expect(JSON.parse('{"t":5466358343372472277}')).toEqual(JSON.parse('{"t":5466358343372472278}'));
  });
});

describe('button payloads and fallbacks', () => {
  it('carry the message and the button, and read back', () => {
    const payload = buttonPayload('01a2-uuid', '3');
    expect(payload).toBe('01a2-uuid:3');
    expect(parseButtonPayload(payload)).toEqual({ messageId: '01a2-uuid', buttonId: '3' });
    expect(parseButtonPayload('m:Да: конечно')).toEqual({ messageId: 'm', buttonId: 'Да: конечно' });
    expect(parseButtonPayload('no-separator')).toBeNull();
    expect(parseButtonPayload(':x')).toBeNull();
  });

  it('write a location as a map link', () => {
    expect(locationText({ latitude: 55.75, longitude: 37.62, name: 'Офис', address: null })).toBe(
      'Офис\nhttps://maps.google.com/?q=55.75,37.62',
    );
  });
});

describe('Retry-After', () => {
  it('reads whole seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMsOf('120', now)).toBe(120_000);
    expect(retryAfterMsOf('Mon, 30 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMsOf('Mon, 30 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMsOf('soon', now)).toBeUndefined();
    expect(retryAfterMsOf('1.5', now)).toBeUndefined();
    expect(retryAfterMsOf(null, now)).toBeUndefined();
  });
});
