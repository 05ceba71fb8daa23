// One call to an OpenAI-compatible chat completions endpoint (`POST {base}/chat/completions`, the
// request and response shape of https://platform.openai.com/docs/api-reference/chat/create), made
// through the guarded outbound fetch. Every way it can fail becomes one message an operator can act on.
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { outboundRefusalOf, type OutboundHttp } from '../../outbound-http.js';
import type { ChatMessage } from './prompt.js';

/** A draft is a chat reply: more than this is not one, and is not read into memory. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** Low: a support answer should follow the articles, not improvise. */
const TEMPERATURE = 0.2;

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

export interface Endpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

const unavailable = (message: string) => new AppError('unavailable', message);

/** The model's reply text; throws AppError `unavailable` naming what went wrong. */
export async function complete(http: OutboundHttp, endpoint: Endpoint, messages: ChatMessage[]) {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  let response: Response;
  let text: string;
  // One deadline for connecting, waiting and reading the body: a server that trickles bytes
  // must not hold the operator's request past it.
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  try {
    response = await http.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: endpoint.model, messages, temperature: TEMPERATURE }),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted)
      throw unavailable(
        `The model did not answer within ${endpoint.timeoutMs} ms; try again, or ask an admin to raise the timeout`,
      );
    const refusal = outboundRefusalOf(error);
    throw unavailable(
      refusal
        ? `The model endpoint was not called: ${refusal.message}`
        : `The model endpoint ${url} could not be reached; ask an admin to check its address`,
    );
  }
  if (!response.ok) throw unavailable(providerRefusal(response.status, text));
  if (Buffer.byteLength(text) > MAX_ANSWER_BYTES)
    throw unavailable('The model endpoint answered with more than 256 KB; this is not a chat reply');
  const parsed = Completion.safeParse(safeJson(text));
  const content = parsed.data?.choices[0]?.message.content?.trim();
  if (!content)
    throw unavailable(
      'The model endpoint did not answer with a chat completion; check that it is OpenAI-compatible',
    );
  return content;
}

/** The provider's own error message when it gives one ({"error": {"message": ...}}), shortened. */
function providerRefusal(status: number, body: string): string {
  const said = z
    .object({ error: z.object({ message: z.string() }) })
    .safeParse(safeJson(body))
    .data?.error.message.slice(0, 300);
  const hint =
    status === 401 || status === 403
      ? 'ask an admin to check the API key'
      : status === 404
        ? 'ask an admin to check the address and the model name'
        : status === 429
          ? 'the provider is rate limiting; wait and try again'
          : 'try again later';
  return `The model endpoint answered HTTP ${status}${said ? ` (${said})` : ''}; ${hint}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
