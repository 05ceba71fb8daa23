import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToFloat32, bytesToBase64, float32ToBase64 } from './base64.js';

describe('base64', () => {
  it('encodes like the standard alphabet with padding', () => {
    const encoder = new TextEncoder();
    expect(bytesToBase64(encoder.encode('Man'))).toBe('TWFu');
    expect(bytesToBase64(encoder.encode('Ma'))).toBe('TWE=');
    expect(bytesToBase64(encoder.encode('M'))).toBe('TQ==');
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('round-trips bytes of every length remainder', () => {
    for (let length = 0; length < 10; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 13) % 256);
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    }
  });

  it('round-trips float32 arrays bit for bit', () => {
    const values = Float32Array.from([0, -0, 1.5, -3.25e-7, 123456.789, Number.MIN_VALUE]);
    expect(base64ToFloat32(float32ToBase64(values))).toEqual(values);
  });

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('ab$d')).toThrow(/not base64/);
  });
});
