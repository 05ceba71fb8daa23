// One HTTP attempt at a webhook: POST with a deadline, no redirects followed (a redirect is an
// answer the receiver must fix), and a short excerpt of a failing answer kept for the log.
import { outboundRefusalOf, type OutboundHttp } from '../../outbound-http.js';

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const ERROR_EXCERPT_CHARS = 300;

export async function postWebhook(
  http: OutboundHttp,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await http.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Frontline-Webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300)
      return { ok: true, statusCode: response.status, error: null, durationMs: elapsed() };
    const excerpt = text.slice(0, ERROR_EXCERPT_CHARS).trim();
    return {
      ok: false,
      statusCode: response.status,
      error: `The receiver answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
      durationMs: elapsed(),
    };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs), durationMs: elapsed() };
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `No answer within ${timeoutMs} ms`;
  const refusal = outboundRefusalOf(error);
  if (refusal) return refusal.message;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return `The receiver could not be reached: ${cause ?? (error instanceof Error ? error.message : String(error))}`;
}
