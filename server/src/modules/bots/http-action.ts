// The HTTP action: calls an external system with a templated request, within the node's timeout,
// retrying as configured, and maps the JSON answer to variables. A failure is an outcome, not an
// exception: the flow takes its `failed` exit (or offers a person) and nothing hangs.
import type { FlowNode } from '@frontline/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { outboundRefusalOf, type OutboundHttp } from '../../outbound-http.js';
import type { HttpOutcome } from './engine.js';
import { fillTemplate, jsonStringContent, valueAtPath, type Variables } from './logic.js';

type ActionNode = Extract<FlowNode, { type: 'action' }>;

/** The largest answer read from an external system. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export async function callHttpAction(
  node: ActionNode,
  variables: Variables,
  http: OutboundHttp,
  log: FastifyBaseLogger,
): Promise<HttpOutcome> {
  const url = fillTemplate(node.url, variables, encodeURIComponent);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.headers)) headers[name] = fillTemplate(value, variables);
  const body =
    node.body && node.method !== 'GET' ? fillTemplate(node.body, variables, jsonStringContent) : undefined;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  let lastError = 'The action was not attempted';
  for (let attempt = 0; attempt <= node.retries; attempt++) {
    try {
      const response = await http.fetch(url, {
        method: node.method,
        headers,
        body,
        signal: AbortSignal.timeout(node.timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (text.length > MAX_ANSWER_BYTES) throw new Error('The answer is larger than 1 MiB');
      return { ok: true, variables: mapAnswer(node, text) };
    } catch (error) {
      log.warn({ err: error, nodeId: node.id, attempt }, 'bot HTTP action failed');
      const refusal = outboundRefusalOf(error);
      // A refused address stays refused: no point retrying it.
      if (refusal) return { ok: false, variables: {}, error: refusal.message };
      lastError = describeFailure(error, node.timeoutMs);
    }
  }
  return { ok: false, variables: {}, error: lastError };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `No answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

function mapAnswer(node: ActionNode, text: string): Variables {
  if (node.responseMap.length === 0) return {};
  const json: unknown = text === '' ? null : JSON.parse(text);
  const mapped: Variables = {};
  for (const { variable, path } of node.responseMap) {
    const value = valueAtPath(json, path);
    if (value !== undefined) mapped[variable] = value;
  }
  return mapped;
}
