import { describe, expect, it } from 'vitest';
import { detectContentType } from './content-type.js';

const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('detectContentType', () => {
  it('believes content over the declared type', async () => {
    await expect(detectContentType(PNG_HEADER, 'application/octet-stream')).resolves.toBe('image/png');
    await expect(detectContentType(PNG_HEADER, 'image/png')).resolves.toBe('image/png');
  });

  it('accepts the names browsers use for the same format', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
    await expect(detectContentType(jpeg, 'image/jpg')).resolves.toBe('image/jpeg');
  });

  it('refuses content that contradicts the declaration', async () => {
    await expect(detectContentType(PNG_HEADER, 'application/pdf')).rejects.toMatchObject({
      code: 'unsupported_media_type',
      status: 415,
    });
    await expect(detectContentType(Buffer.from([0, 1, 2, 3, 255]), 'text/plain')).rejects.toMatchObject({
      code: 'unsupported_media_type',
    });
  });

  it('treats valid UTF-8 without NUL bytes as text, keeping a declared text type', async () => {
    await expect(detectContentType(Buffer.from('Привет, мир'), '')).resolves.toBe('text/plain');
    await expect(detectContentType(Buffer.from('a,b\n1,2'), 'text/csv')).resolves.toBe('text/csv');
    await expect(detectContentType(Buffer.from('<html></html>'), 'text/html')).resolves.toBe('text/html');
  });

  it('claims nothing for unknown binary declared as generic', async () => {
    await expect(
      detectContentType(Buffer.from([0, 159, 146, 150]), 'application/octet-stream'),
    ).resolves.toBe('application/octet-stream');
  });
});
