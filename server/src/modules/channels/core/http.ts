// Provider HTTP calls: a deadline on every request, and failures classified for the outbox:
// 429, 5xx and network errors are retried with back-off (no sooner than the provider's Retry-After,
// or the wait its body names); other 4xx fail the message with the provider's own words.
import { outboundRefusalOf, type OutboundHttp } from '../../../outbound-http.js';
import { ProviderError, type InboundFileRef } from './adapter.js';

const TIMEOUT_MS = 15_000;
const EXCERPT = 300;

export interface ProviderResponse {
  status: number;
  text: string;
  json: unknown;
}

export interface ProviderRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
  /** A long poll's deadline, longer than the default. */
  timeoutMs?: number;
  /** Cuts the request short (a long poll whose reader stops). */
  signal?: AbortSignal;
  /** Seconds to wait that the provider names in its answer's body rather than a Retry-After header. */
  retryAfterIn?: (json: unknown) => number | undefined;
}

export async function providerFetch(
  http: OutboundHttp,
  provider: string,
  url: string,
  init: ProviderRequest,
): Promise<ProviderResponse> {
  let response: Response;
  const deadline = AbortSignal.timeout(init.timeoutMs ?? TIMEOUT_MS);
  try {
    response = await http.fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: init.signal ? AbortSignal.any([deadline, init.signal]) : deadline,
    });
  } catch (error) {
    const refusal = outboundRefusalOf(error);
    // The address will not become allowed by retrying.
    if (refusal) throw new ProviderError(`${provider}: ${refusal.message}`, false);
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new ProviderError(`${provider} could not be reached: ${cause}`, true);
  }
  const text = await response.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status === 429 || response.status >= 500) {
    const inBody = init.retryAfterIn?.(json);
    const retryAfterMs =
      inBody !== undefined ? inBody * 1000 : retryAfterMsOf(response.headers.get('retry-after'), Date.now());
    const code = response.status;
    throw new ProviderError(
      code === 429 && retryAfterMs !== undefined
        ? `${provider} limits how fast we send (HTTP 429) and asked to wait ${Math.ceil(retryAfterMs / 1000)} s`
        : `${provider} answered HTTP ${code}: ${text.slice(0, EXCERPT)}`,
      true,
      { code, retryAfterMs },
    );
  }
  return { status: response.status, text, json };
}

/** A Retry-After header (RFC 9110: whole seconds, or an HTTP date) as milliseconds from `now`. */
export function retryAfterMsOf(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse takes almost anything ("1.5" is a day in 2001): only an HTTP date, which is in GMT.
  if (!/ GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** GET of a file's bytes (with the provider's auth headers where it needs them). */
export async function providerDownload(
  http: OutboundHttp,
  provider: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ bytes: Buffer; mime: string | null }> {
  let response: Response;
  try {
    response = await http.fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ProviderError(`${provider} file could not be fetched: ${String(error)}`, true);
  }
  if (!response.ok)
    throw new ProviderError(
      `${provider} file download answered HTTP ${response.status}`,
      response.status >= 500,
    );
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    mime: response.headers.get('content-type'),
  };
}

export function excerpt(value: unknown): string {
  return (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, EXCERPT);
}

/** Download of a file a provider gave a plain URL for (Viber, VK, Messenger, the API channel). */
export async function downloadByUrl(
  http: OutboundHttp,
  provider: string,
  file: InboundFileRef,
): Promise<{ bytes: Buffer; name: string; mime: string }> {
  const fetched = await providerDownload(http, provider, file.ref);
  return {
    bytes: fetched.bytes,
    name: file.name ?? 'file',
    mime: file.mime ?? fetched.mime ?? 'application/octet-stream',
  };
}

/** JSON.parse that answers null for text that is not JSON (payload fields providers echo back). */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
