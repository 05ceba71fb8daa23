// The workspace's one way to call the REST API: same-origin cookie, the session's CSRF token on
// every write, and failures as ApiError carrying the server's ErrorBody (its code to branch on, its
// message for a person). A 401 outside login means the session ended: the app goes back to login.
import type { ErrorBody, ErrorCode } from '@frontline/protocol';

export type ApiErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** From Retry-After on 429: how long until trying again makes sense. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let onSessionEnded: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function whenSessionEnds(listener: () => void): void {
  onSessionEnded = listener;
}

/** The socket, too, can learn that the session is over (its handshake is refused). */
export function reportSessionEnded(): void {
  onSessionEnded();
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const SESSION_PATHS = ['/api/auth/login', '/api/auth/session'];

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const isForm = body instanceof FormData;
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return data as T;
  const error = errorOf(data);
  if (response.status === 401 && !SESSION_PATHS.includes(path)) onSessionEnded();
  throw new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `HTTP ${response.status}`,
    retryAfterOf(response),
  );
}

function errorOf(data: unknown): ErrorBody['error'] | null {
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const { error } = data as ErrorBody;
  return typeof error?.code === 'string' && typeof error.message === 'string' ? error : null;
}

function retryAfterOf(response: Response): number | null {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
