// Secrets at rest (AES-256-GCM keyed from SECRET_KEY) and the webhook signature checks the
// providers use: hex HMAC-SHA256 over the raw body, compared in constant time.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const VERSION = 'v1';

function keyOf(secretKey: string): Buffer {
  return createHash('sha256').update(`frontline-channels:${secretKey}`).digest();
}

export function encryptSecrets(secretKey: string, secrets: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secretKey), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64'),
    cipher.getAuthTag().toString('base64'),
    data.toString('base64'),
  ].join(':');
}

export function decryptSecrets(secretKey: string, stored: string): Record<string, string> {
  const [version, iv, tag, data] = stored.split(':');
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error('Channel secrets are unreadable; enter them again on the Channels page');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secretKey), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(plain) as Record<string, string>;
}

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
