import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdentifyRequest } from '@frontline/protocol';
import { isValidSignature, signIdentity, verifyIdentity } from './identity.js';

const SECRET = 'f'.repeat(64);

describe('identity signatures', () => {
  it('are the hex HMAC-SHA256 of the id, as docs/widget.md tells host sites to compute it', () => {
    expect(signIdentity(SECRET, 'user-1')).toBe(createHmac('sha256', SECRET).update('user-1').digest('hex'));
  });

  it('accept only the exact signature of the exact id', () => {
    const signature = signIdentity(SECRET, 'user-1');
    expect(isValidSignature(SECRET, 'user-1', signature)).toBe(true);
    expect(isValidSignature(SECRET, 'user-1', signature.toUpperCase())).toBe(true);
    expect(isValidSignature(SECRET, 'user-2', signature)).toBe(false);
    expect(isValidSignature('other', 'user-1', signature)).toBe(false);
    expect(isValidSignature(SECRET, 'user-1', signature.slice(0, 62))).toBe(false);
  });

  it('never downgrade a bad signature to an unverified identify', async () => {
    const request = IdentifyRequest.parse({ id: 'user-1', name: 'A', signature: '0'.repeat(64) });
    await expect(verifyIdentity(SECRET, request, false)).rejects.toMatchObject({ code: 'forbidden' });
    const unsigned = IdentifyRequest.parse({ id: 'user-1', name: 'A' });
    await expect(verifyIdentity(SECRET, unsigned, false)).resolves.toEqual({
      externalId: null,
      name: 'A',
      verified: false,
    });
    await expect(verifyIdentity(SECRET, unsigned, true)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
