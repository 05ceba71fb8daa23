// Webhook signatures, Stripe's scheme: `Frontline-Signature: t=<unix seconds>,v1=<hex>` where the
// hex is HMAC-SHA256 over "<t>.<raw body>" with the endpoint's secret. While a rotated secret is
// still honoured, the header carries one v1 per secret. Verification: docs/webhooks.md.
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'frontline-signature';
export const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64url');
}

/** Enough to tell secrets apart, nothing to sign with: the prefix and the last four characters. */
export function secretHint(secret: string): string {
  return `${SECRET_PREFIX}…${secret.slice(-4)}`;
}

export function signature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

export function signatureHeader(secrets: string[], timestampSeconds: number, body: string): string {
  return [`t=${timestampSeconds}`, ...secrets.map((s) => `v1=${signature(s, timestampSeconds, body)}`)].join(
    ',',
  );
}
