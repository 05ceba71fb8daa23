// What WhatsApp Cloud API and Messenger share (both Meta Graph API): the GET hub.challenge
// verification, X-Hub-Signature-256 over the raw body with the app secret, and Graph calls whose
// errors are classified for the outbox (rate limits and Meta-side failures retry; the rest fail
// the message with Meta's own message).
import { ProviderError, header, type AccountContext, type RawWebhook } from '../core/adapter.js';
import { constantTimeEqual, verifySha256Header } from '../core/crypto.js';
import { excerpt, providerFetch } from '../core/http.js';
import type { OutboundHttp } from '../../../outbound-http.js';

export const DEFAULT_GRAPH_ORIGIN = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v23.0';
/** Throughput, pair-rate and spam limits, and Graph's own throttling: back off and try again. */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131056, 131000, 131016]);

export function metaHandshake(
  account: AccountContext,
  request: RawWebhook,
): { status: number; body: string } | null {
  if (request.method !== 'GET') return null;
  const mode = request.query['hub.mode'];
  const token = request.query['hub.verify_token'] ?? '';
  const challenge = request.query['hub.challenge'] ?? '';
  if (mode === 'subscribe' && constantTimeEqual(token, account.secrets.verifyToken ?? ''))
    return { status: 200, body: challenge };
  return { status: 403, body: 'Verify token does not match the one on the Channels page' };
}

export function metaVerify(account: AccountContext, request: RawWebhook): boolean {
  return verifySha256Header(account.secrets.appSecret, header(request, 'x-hub-signature-256'), request.body);
}

export function graphBase(account: AccountContext): string {
  const origin = String(account.config.graphOrigin ?? DEFAULT_GRAPH_ORIGIN).replace(/\/$/, '');
  return `${origin}/${String(account.config.graphVersion ?? DEFAULT_GRAPH_VERSION)}`;
}

interface GraphError {
  error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
}

export async function graphCall(
  http: OutboundHttp,
  provider: string,
  url: string,
  init: { method?: string; token?: string; json?: unknown; form?: FormData },
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await providerFetch(http, provider, url, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers,
    body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
  });
  if (response.status >= 200 && response.status < 300 && response.json && typeof response.json === 'object')
    return response.json as Record<string, unknown>;
  const error = (response.json as GraphError | null)?.error;
  const code = error?.code ?? 0;
  const reason =
    [error?.message, error?.error_data?.details].filter(Boolean).join(': ') || excerpt(response.text);
  throw new ProviderError(
    `${provider} refused the message (${code || response.status}): ${reason}`,
    RETRYABLE_CODES.has(code),
  );
}
