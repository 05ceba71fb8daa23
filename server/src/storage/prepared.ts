// Statements every message runs, built with Kysely once and then run with new values. Building
// and compiling a query costs 5–15 µs and a dozen objects for the garbage collector, as much as
// SQLite's own work on a small row, and a message runs several of them. PostgreSQL keeps them
// prepared on each connection too.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/**
 * The SQL texts built here, each with a name: on PostgreSQL a named statement is parsed and planned
 * once per connection instead of on every call (storage/database.ts). Bounded, since a text comes
 * from a `prepare` in the code and a set of value names.
 */
const statementNames = new Map<string, string>();

function nameStatement(sql: string): void {
  if (!statementNames.has(sql)) statementNames.set(sql, `frontline_${statementNames.size + 1}`);
}

/** The name of a statement built by `prepare`, or undefined for any other SQL. */
export const statementNameOf = (sql: string): string | undefined => statementNames.get(sql);

/** Where a value goes in the compiled statement: the placeholder `build` received for `name`. */
class Slot {
  constructor(readonly name: string) {}
}

interface Compiled {
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  sql: string;
  /** For each parameter of the SQL, the value's name, or a constant the query itself holds. */
  parameters: (Slot | { constant: unknown })[];
}

export interface PreparedStatement<Values extends Record<string, unknown>, Row> {
  execute(db: Kysely<Database>, values: Values): Promise<QueryResult<Row>>;
}

/**
 * `build` gets a placeholder for each of the values and must not look at them: the SQL may depend
 * on which values are given (their names, in order; undefined counts as not given), never on what
 * they are. So an optional clause is a value left out, not a value that is null, and lists
 * (`in (…)`) do not belong here.
 * Compiled once per database dialect and set of names; a transaction shares its database's.
 */
export function prepare<Values extends Record<string, unknown>, Row>(
  build: (db: Kysely<Database>, values: Values) => Compilable<Row>,
): PreparedStatement<Values, Row> {
  const byDialect = new WeakMap<object, Map<string, Compiled>>();
  const compile = (db: Kysely<Database>, names: string[]): Compiled => {
    const placeholders = Object.fromEntries(names.map((name) => [name, new Slot(name)]));
    const compiled = build(db, placeholders as Values).compile();
    nameStatement(compiled.sql);
    return {
      query: compiled.query,
      queryId: compiled.queryId,
      sql: compiled.sql,
      parameters: compiled.parameters.map((p) => (p instanceof Slot ? p : { constant: p })),
    };
  };
  return {
    execute(db, values) {
      const dialect = db.getExecutor().adapter;
      let compiledByNames = byDialect.get(dialect);
      if (!compiledByNames) byDialect.set(dialect, (compiledByNames = new Map()));
      // Like Kysely, a value that is undefined is left out rather than bound.
      const names = Object.keys(values).filter((name) => values[name] !== undefined);
      const key = names.join();
      let compiled = compiledByNames.get(key);
      if (!compiled) compiledByNames.set(key, (compiled = compile(db, names)));
      const parameters = compiled.parameters.map((p) => (p instanceof Slot ? values[p.name] : p.constant));
      return db.executeQuery<Row>({
        query: compiled.query,
        queryId: compiled.queryId,
        sql: compiled.sql,
        parameters,
      });
    },
  };
}
