// What to tell the operator when a request fails. The server's message says what to do, but only
// in English; where the situation is clear from the code, the interface language says it instead.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/http.js';

export function describeError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.code === 'network') return t('errors.network');
  if (error.code === 'rate_limited' && error.retryAfterSeconds !== null)
    return t('errors.rateLimited', { seconds: error.retryAfterSeconds });
  return error.message;
}
