// Opaque keyset cursors for lists sorted by (time, id), newest first.
import { AppError } from '../errors.js';

export interface CursorPosition {
  time: number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.time}:${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const parsed = Number(time);
  if (!id || !Number.isSafeInteger(parsed)) {
    throw new AppError('validation_failed', 'The cursor is not one this API returned', 'query.cursor');
  }
  return { time: parsed, id };
}
