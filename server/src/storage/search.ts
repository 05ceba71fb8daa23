// Search without engine-specific features: each searchable row keeps a normalised `search_text`
// and queries match it with LIKE, so SQLite and PostgreSQL return the same results.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

export function normaliseForSearch(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .join(' ')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A LIKE pattern matching `query` anywhere, with LIKE's wildcards in the query taken literally. */
export function containsPattern(query: string): string {
  return `%${normaliseForSearch(query).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` holds `query` anywhere. The ESCAPE clause is spelled out because SQLite, unlike
 * PostgreSQL, has no default escape character: without it "100%" would match "1000".
 */
export function contains(column: string | Expression<string | null>, query: string): RawBuilder<SqlBool> {
  const target = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`${target} like ${containsPattern(query)} escape '\\'`;
}
