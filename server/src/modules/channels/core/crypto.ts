// The webhook signature checks the providers use: hex HMAC-SHA256 over the raw body, compared in
// constant time. (Secrets at rest are in server/src/secrets.ts.)
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacHex(key: string, body: Buffer): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `sha256=<hex>` headers (Meta's X-Hub-Signature-256, the API channel). */
export function verifySha256Header(
  secret: string | undefined,
  header: string | undefined,
  body: Buffer,
): boolean {
  if (!secret || !header?.startsWith('sha256=')) return false;
  return constantTimeEqual(header.slice('sha256='.length).toLowerCase(), hmacHex(secret, body));
}
