// The HTTP action: calls an external system with a templated request (variables and the workspace's
// secrets), within the node's timeout, retrying as configured, and maps the JSON answer to
// variables, to a list offered as buttons, and to files sent into the chat. A failure is an
// outcome, not an exception: the flow takes its `failed` exit (or offers a person) and nothing hangs.
// Secrets go into the request only: never into variables, messages, errors or the log.
import type { FlowNode } from '@frontline/protocol';
import { ACTION_CHOICES_MAX, LIMITS } from '@frontline/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../errors.js';
import { outboundRefusalOf, type OutboundHttp } from '../../outbound-http.js';
import type { ActionChoice, ActionFile, HttpOutcome } from './engine.js';
import {
  fillItemTemplate,
  fillTemplate,
  jsonAtPath,
  jsonStringContent,
  redactSecrets,
  secretVariables,
  valueAtPath,
  type Variables,
} from './logic.js';

type ActionNode = Extract<FlowNode, { type: 'action' }>;

/** The largest answer read from an external system. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** A file the answer names, fetched or decoded, before the file storage checks and keeps it. */
export interface FileUpload {
  bytes: Buffer;
  filename: string;
  declaredMime: string;
}

export interface ActionDeps {
  http: OutboundHttp;
  log: FastifyBaseLogger;
  /** The workspace's bot secrets, by name. */
  secrets: Record<string, string>;
  /** Largest file accepted (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** Checks (type against content) and keeps the files; throws AppError when one is refused. */
  keepFiles(files: FileUpload[]): Promise<ActionFile[]>;
}

/** Why an answer cannot be used: reported as the action's failure, not retried. */
class UnusableAnswer extends Error {}

/** A file the answer names could not be fetched this time (no answer, 5xx, 429): worth another try. */
class FileNotFetchedYet extends Error {}

export async function callHttpAction(
  node: ActionNode,
  variables: Variables,
  deps: ActionDeps,
): Promise<HttpOutcome> {
  const request = { ...variables, ...secretVariables(deps.secrets) };
  const url = fillTemplate(node.url, request, encodeURIComponent);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.headers)) headers[name] = fillTemplate(value, request);
  const body =
    node.body && node.method !== 'GET' ? fillTemplate(node.body, request, jsonStringContent) : undefined;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  const failed = (error: string): HttpOutcome => ({
    ok: false,
    variables: {},
    error: redactSecrets(error, deps.secrets),
  });
  let lastError = 'The action was not attempted';
  for (let attempt = 0; attempt <= node.retries; attempt++) {
    let text: string;
    try {
      const response = await deps.http.fetch(url, {
        method: node.method,
        headers,
        body,
        signal: AbortSignal.timeout(node.timeoutMs),
      });
      text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (text.length > MAX_ANSWER_BYTES) throw new Error('The answer is larger than 1 MiB');
    } catch (error) {
      const refusal = outboundRefusalOf(error);
      const reason = refusal ? refusal.message : describeFailure(error, node.timeoutMs);
      deps.log.warn(
        { nodeId: node.id, attempt, reason: redactSecrets(reason, deps.secrets) },
        'bot HTTP action failed',
      );
      // A refused address stays refused: no point retrying it.
      if (refusal) return failed(reason);
      lastError = reason;
      continue;
    }
    try {
      return await useAnswer(node, text, deps);
    } catch (error) {
      const reason =
        error instanceof UnusableAnswer || error instanceof AppError
          ? error.message
          : describeFailure(error, node.timeoutMs);
      deps.log.warn(
        { nodeId: node.id, reason: redactSecrets(reason, deps.secrets) },
        'bot HTTP action answer refused',
      );
      return failed(reason);
    }
  }
  return failed(lastError);
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `No answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

async function useAnswer(node: ActionNode, text: string, deps: ActionDeps): Promise<HttpOutcome> {
  const needsJson = node.responseMap.length > 0 || node.choices !== null || node.files !== null;
  if (!needsJson) return { ok: true, variables: {} };
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new UnusableAnswer('The answer is not JSON');
  }
  const variables: Variables = {};
  for (const { variable, path } of node.responseMap) {
    const value = valueAtPath(json, path);
    if (value !== undefined) variables[variable] = value;
  }
  const outcome: HttpOutcome = { ok: true, variables };
  if (node.choices) outcome.choices = choicesIn(json, node.choices);
  if (node.files) outcome.files = await deps.keepFiles(await filesIn(json, node.files.listPath, node, deps));
  return outcome;
}

function listAt(json: unknown, path: string, what: string): unknown[] {
  const list = jsonAtPath(json, path);
  if (!Array.isArray(list))
    throw new UnusableAnswer(`The answer has no list of ${what} at "${path || '(the answer itself)'}"`);
  return list;
}

/** The answer's items as buttons: a label and a value each; items without either are skipped. */
function choicesIn(json: unknown, choices: NonNullable<ActionNode['choices']>): ActionChoice[] {
  const found: ActionChoice[] = [];
  for (const item of listAt(json, choices.listPath, 'items')) {
    const label = fillItemTemplate(choices.label, item).trim().slice(0, LIMITS.buttonLabelMaxChars).trim();
    const value = valueAtPath(item, choices.valuePath);
    if (label && value !== undefined) found.push({ label, value });
    if (found.length === ACTION_CHOICES_MAX) break;
  }
  return found;
}

const FileItem = (item: unknown) => {
  const field = (name: string) => {
    const value = jsonAtPath(item, name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return { name: field('name'), url: field('url'), content: field('content'), mime: field('mime') };
};

async function filesIn(
  json: unknown,
  listPath: string,
  node: ActionNode,
  deps: ActionDeps,
): Promise<FileUpload[]> {
  const uploads: FileUpload[] = [];
  for (const item of listAt(json, listPath, 'files').slice(0, LIMITS.attachmentsPerMessage)) {
    const file = FileItem(item);
    if (!file.name || (!file.url && !file.content))
      throw new UnusableAnswer('Each file in the answer needs a "name" and a "url" or base64 "content"');
    const fetched = file.url
      ? await download(file.url, file.name, node, deps)
      : { bytes: Buffer.from(file.content ?? '', 'base64'), mime: '' };
    if (fetched.bytes.length > deps.fileMaxBytes) throw tooLarge(file.name, deps.fileMaxBytes);
    uploads.push({ bytes: fetched.bytes, filename: file.name, declaredMime: file.mime ?? fetched.mime });
  }
  return uploads;
}

const tooLarge = (name: string, max: number) =>
  new UnusableAnswer(`The file ${name} is larger than ${max} bytes (FILE_MAX_BYTES)`);

/** Fetches a file, and again after a failure that may pass, as many times as the node's `retries`. */
async function download(
  url: string,
  name: string,
  node: ActionNode,
  deps: ActionDeps,
): Promise<{ bytes: Buffer; mime: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(url, name, node.timeoutMs, deps);
    } catch (error) {
      // A refused address or an unusable file stays so: only a failure that may pass is retried.
      const passing =
        error instanceof FileNotFetchedYet ||
        (!(error instanceof UnusableAnswer) && !outboundRefusalOf(error));
      const reason =
        error instanceof FileNotFetchedYet ? error.message : describeFailure(error, node.timeoutMs);
      if (!passing || attempt >= node.retries)
        throw error instanceof FileNotFetchedYet ? new UnusableAnswer(reason) : error;
      deps.log.warn(
        { nodeId: node.id, attempt, reason: redactSecrets(reason, deps.secrets) },
        'bot HTTP action file fetch failed; trying again',
      );
    }
  }
}

/** Reads a file through the outbound guard, stopping as soon as it passes the size limit. */
async function downloadOnce(
  url: string,
  name: string,
  timeoutMs: number,
  deps: ActionDeps,
): Promise<{ bytes: Buffer; mime: string }> {
  const response = await deps.http.fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok || !response.body) {
    const failure = `The file ${name} could not be fetched: HTTP ${response.status}`;
    await response.body?.cancel();
    throw response.status >= 500 || response.status === 429
      ? new FileNotFetchedYet(failure)
      : new UnusableAnswer(failure);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > deps.fileMaxBytes) {
    await response.body.cancel();
    throw tooLarge(name, deps.fileMaxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > deps.fileMaxBytes) throw tooLarge(name, deps.fileMaxBytes);
    chunks.push(Buffer.from(chunk));
  }
  const mime = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  return { bytes: Buffer.concat(chunks), mime };
}
