// A small OpenAI-compatible chat completions server for tests: `POST /v1/chat/completions`, with
// the request and response shape of the OpenAI API reference ("Create chat completion",
// https://platform.openai.com/docs/api-reference/chat/create; the response below is its example
// with the content replaced). It records what it receives and can be made slow or broken.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MODEL_API_KEY = 'sk-test-draft-key';

/** The documented response, verbatim but for `content` (set per test). */
export function chatCompletion(content: string) {
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4.1-2025-04-14',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
  };
}

export interface ReceivedCompletion {
  path: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[] };
}

export interface FakeModel {
  /** The API base to configure: `http://127.0.0.1:port/v1`. */
  baseUrl: string;
  requests: ReceivedCompletion[];
  /** What the assistant message says. */
  reply: string;
  delayMs: number;
  /** Answer with this status and the documented error body instead. */
  failWith: number | null;
  close(): Promise<void>;
}

export async function startFakeModel(): Promise<FakeModel> {
  const model: FakeModel = {
    baseUrl: '',
    requests: [],
    reply: 'Your parcel arrives in 3 days [1].',
    delayMs: 0,
    failWith: null,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) =>
        setTimeout(() => {
          if (response.destroyed) return;
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        }, model.delayMs);
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions')
        return answer(404, { error: { message: 'Unknown route', type: 'invalid_request_error' } });
      model.requests.push({
        path: request.url,
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedCompletion['body'],
      });
      if (request.headers.authorization !== `Bearer ${MODEL_API_KEY}`)
        return answer(401, {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      if (model.failWith !== null)
        return answer(model.failWith, {
          error: { message: 'The server had an error while processing your request', type: 'server_error' },
        });
      return answer(200, chatCompletion(model.reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  model.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return model;
}
