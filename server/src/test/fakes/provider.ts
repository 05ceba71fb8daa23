// A local stand-in for a provider's HTTP API: records every request (JSON, form or multipart
// bodies read the way the provider would), answers through the routes a fake defines, and can be
// told to fail the next N calls with an HTTP status, like a provider that is down for a while.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** JSON or url-encoded fields; multipart fields as strings, files as { name, type, size }. */
  body: Record<string, unknown>;
  /** The JSON the fake answered with. */
  answer?: unknown;
  /** When the request arrived (ms since the epoch). */
  receivedAt: number;
  /** Aborted when the client goes away before the answer (a long poll cut short). */
  signal: AbortSignal;
}

export interface FakeAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  type?: string;
  headers?: Record<string, string>;
}

/** An answer now, or later (a long poll held open). */
export type FakeRoute = (request: FakeRequest) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;

export interface FakeProvider {
  url: string;
  requests: FakeRequest[];
  /** Answer the next `count` calls with `status` (a provider outage), or with `answer` where given. */
  failNext(count: number, status?: number, answer?: FakeAnswer): void;
  /** Calls whose path ends with `suffix`, in order. */
  calls(suffix: string): FakeRequest[];
  close(): Promise<void>;
}

/** A webhook delivery as the provider makes it: the raw body and its signature headers. */
export interface WebhookCall {
  body: string;
  headers: Record<string, string>;
  /** Appended to the webhook URL (Viber's ?sig=). */
  query?: string;
}

/** Delivers a webhook call over HTTP, as the provider would. */
export function postWebhook(webhookUrl: string, call: WebhookCall): Promise<Response> {
  return fetch(`${webhookUrl}${call.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...call.headers },
    body: call.body,
  });
}

export async function startFakeProvider(route: FakeRoute): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  let failures = 0;
  let failStatus = 500;
  let failAnswer: FakeAnswer | undefined;
  const server: Server = createServer((req, res) => {
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://fake');
        const request: FakeRequest = {
          receivedAt: Date.now(),
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          raw,
          body: await readBody(req.headers, raw),
          signal: gone.signal,
        };
        if (failures > 0) {
          failures--;
          const answer = failAnswer ?? { json: { error: 'temporarily unavailable' } };
          res
            .writeHead(answer.status ?? failStatus, {
              'content-type': 'application/json',
              ...answer.headers,
            })
            .end(JSON.stringify(answer.json));
          return;
        }
        requests.push(request);
        const answer = (await route(request)) ?? {
          status: 404,
          json: { error: `fake: no route for ${request.path}` },
        };
        const headers = {
          'content-type': answer.type ?? (answer.json !== undefined ? 'application/json' : 'text/plain'),
          ...answer.headers,
        };
        request.answer = answer.json;
        res.writeHead(answer.status ?? 200, headers);
        res.end(
          answer.bytes ?? (answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '')),
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext(count, status = 500, answer) {
      failures = count;
      failStatus = status;
      failAnswer = answer;
    },
    calls: (suffix) => requests.filter((r) => r.path.endsWith(suffix)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(headers: IncomingHttpHeaders, raw: Buffer): Promise<Record<string, unknown>> {
  const type = headers['content-type'] ?? '';
  if (raw.length === 0) return {};
  if (type.includes('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type.includes('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    const body: Record<string, unknown> = {};
    form.forEach((value, name) => {
      body[name] =
        typeof value === 'string' ? value : { name: value.name, type: value.type, size: value.size };
    });
    return body;
  }
  return { text: raw.toString('utf8') };
}
