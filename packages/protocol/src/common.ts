// Building blocks shared by every schema: ids, time, paging and the one error shape.
import { z } from 'zod';

export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** Milliseconds since the Unix epoch; every timestamp on the wire uses it. */
export const Timestamp = z.number().int().nonnegative();

export const Locale = z.enum(['ru', 'en']);
export type Locale = z.infer<typeof Locale>;

export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'csrf_invalid',
  'origin_not_allowed',
  'token_expired',
  'token_invalid',
  'unavailable',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every failed request and socket ack carries this body: a code to branch on and a message for a person. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** The request field the problem is in, when there is one (`body.text`, `query.limit`). */
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const CursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** The response schema of a 204: the action is done and there is nothing to return. */
export const NoContent = z.null().describe('Done; no body');
