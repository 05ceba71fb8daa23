// Opaque secrets (session cookies, API tokens): random, shown once, stored only as a hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
