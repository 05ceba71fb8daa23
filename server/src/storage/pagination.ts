// Cursor pagination for any list sorted newest first by (time, id): ask the repo for one row more
// than the page, and this turns the rows into the page and the cursor of the next one. A new list
// adopts it with CursorQuery and pageOf(...) in its protocol schemas and these two calls.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor.js';

/** Where the page starts: after the row the cursor names, or at the top. */
export function cursorStart(cursor: string | undefined): CursorPosition | undefined {
  return cursor ? decodeCursor(cursor) : undefined;
}

/** `rows` was fetched with limit + 1: the extra row only says there is a next page. */
export function keysetPage<Row, Item>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => CursorPosition,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null,
  };
}

/**
 * The rows after `start` in newest-first order: `(time, id) < (start.time, start.id)`, a row-value
 * comparison both engines answer from an index on (workspace_id, time, id).
 */
export function after(timeColumn: string, start: CursorPosition): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(timeColumn)}, ${sql.ref('id')}) < (${start.time}, ${start.id})`;
}
