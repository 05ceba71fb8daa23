// Turns every failure into the protocol's ErrorBody with the right status; never a stack trace.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from './errors.js';
import { isDatabaseUnavailable } from './storage/errors.js';

/** Fastify's own error codes that mean "your request is wrong", mapped to what to tell the caller. */
const FASTIFY_ERRORS: Record<string, AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: new AppError('bad_request', 'The request body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: new AppError('bad_request', 'The request body is empty; send a JSON object'),
  FST_ERR_CTP_BODY_TOO_LARGE: new AppError('payload_too_large', 'The request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new AppError('unsupported_media_type', 'Send the body as application/json'),
  FST_REQ_FILE_TOO_LARGE: new AppError(
    'payload_too_large',
    'The file is larger than the upload limit',
    'file',
  ),
  FST_INVALID_MULTIPART_CONTENT_TYPE: new AppError(
    'bad_request',
    'Send the file as multipart/form-data',
    'file',
  ),
  FST_FILES_LIMIT: new AppError('bad_request', 'Send one file per request', 'file'),
  // Raised while matching the route, before any handler: they reach handleError as frameworkErrors.
  FST_ERR_BAD_URL: new AppError(
    'bad_request',
    'The address holds a broken %-escape; encode each part of the path with encodeURIComponent',
  ),
  FST_ERR_MAX_PARAM_LENGTH: new AppError(
    'bad_request',
    'A part of the address is too long (ids have at most 100 characters); check the URL',
  ),
};

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = error.validationContext ?? 'body';
    const field = issue ? [where, ...issue.instancePath.split('/').filter(Boolean)].join('.') : where;
    return new AppError('validation_failed', `${field}: ${issue?.message ?? 'invalid value'}`, field);
  }
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    const known = FASTIFY_ERRORS[error.code];
    if (known) return known;
    if (error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
      return new AppError('bad_request', 'Content-Length does not match the body');
  }
  if (isDatabaseUnavailable(error))
    return new AppError('unavailable', 'The database is unreachable; try again in a moment');
  const status = (error as Partial<FastifyError>).statusCode;
  if (status === 413) return new AppError('payload_too_large', 'The request is too large');
  if (status === 415) return new AppError('unsupported_media_type', 'This content type is not accepted here');
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('bad_request', (error as Error).message || 'The request is not valid');
  }
  return undefined;
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (!appError) {
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on the server; try again' } });
  }
  if (appError.status >= 500) request.log.warn({ err: error }, appError.message);
  if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', appError.retryAfterSeconds);
  return reply.code(appError.status).send(appError.toBody());
}
