// A company's own app on the other end of the API channel: it receives the signed replies and
// checks the signature as docs/channels.md tells such apps to (HMAC-SHA256 over "<t>.<raw body>"),
// answering 401 to anything unsigned.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startFakeProvider, type FakeProvider, type WebhookCall } from './provider.js';

export const APP_SECRET = 'api-channel-secret-0123456789';

export function appSignature(body: string, secret = APP_SECRET, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** A message from the app to the API channel's webhook, signed as docs/channels.md describes. */
export function appWebhook(payload: unknown, secret = APP_SECRET): WebhookCall {
  const body = JSON.stringify(payload);
  return { body, headers: { 'frontline-signature': appSignature(body, secret) } };
}

function signedBy(secret: string, header: string | undefined, raw: Buffer): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=')));
  const t = String(parts.t ?? '');
  const expected = createHmac('sha256', secret)
    .update(`${t}.${raw.toString('utf8')}`)
    .digest('hex');
  const given = String(parts.v1 ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** `secret`: the channel's signing secret the app was given (the Channels page generates one). */
export async function startFakeApp(secret = APP_SECRET): Promise<FakeProvider> {
  return startFakeProvider((request) => {
    if (request.path.startsWith('/files/')) return { bytes: Buffer.from('app file'), type: 'text/plain' };
    if (request.path !== '/hooks') return undefined;
    const header = request.headers['frontline-signature'];
    if (!signedBy(secret, Array.isArray(header) ? header[0] : header, request.raw))
      return { status: 401, text: 'bad signature' };
    return { status: 200, json: { received: true } };
  });
}
