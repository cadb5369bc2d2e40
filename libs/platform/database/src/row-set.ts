interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const parsed = new Map<string, { name: string; type: string }[]>();

/** `request_id uuid, at timestamptz` → names and SQL types (a type may have spaces: `double precision`). */
function columnsOf(spec: string): { name: string; type: string }[] {
  let columns = parsed.get(spec);
  if (!columns) {
    columns = spec.split(',').map((column) => {
      const [name, ...type] = column.trim().split(/\s+/);
      if (!name || type.length === 0) throw new Error(`row set column "${column}" needs a name and a type`);
      return { name, type: type.join(' ') };
    });
    parsed.set(spec, columns);
  }
  return columns;
}

/**
 * Many rows as one statement parameter per column, read back with `unnest`, e.g.
 * `rowSet('request_id uuid, at timestamptz', rows)` gives
 * `unnest($1::uuid[], $2::timestamptz[]) AS u(request_id, at)` and the arrays taken from each
 * row's property of that name (a jsonb column takes any JSON value).
 *
 * `unnest` of array parameters tells PostgreSQL's planner how many rows there are, so a set of
 * a few rows joins through the primary key instead of scanning the table (`jsonb_to_recordset`
 * is always estimated at 100 rows, which makes small tables scan). `offset`: the parameters
 * already used in the statement.
 */
export function rowSet(columns: string, rows: readonly object[], offset = 0): { sql: string; params: unknown[] } {
  const list = columnsOf(columns);
  return {
    sql: `unnest(${list.map((c, i) => `$${offset + i + 1}::${c.type}[]`).join(', ')}) AS u(${list.map((c) => c.name).join(', ')})`,
    params: list.map((c) =>
      rows.map((row) => {
        const value = (row as Record<string, unknown>)[c.name] ?? null;
        if (value === null) return value;
        if (c.type === 'jsonb') return JSON.stringify(value);
        // node-postgres writes a Date of an array in local time with padding, digit by digit;
        // ISO is the same instant for a timestamptz (not for a timestamp without time zone).
        return c.type === 'timestamptz' && value instanceof Date ? value.toISOString() : value;
      }),
    ),
  };
}

/** Runs a statement over a row set (see `rowSet`): `statement` gets the `unnest(...) AS u(...)` to select from. */
export function queryRows<T = unknown>(
  db: Queryable,
  columns: string,
  rows: readonly object[],
  statement: (from: string) => string,
): Promise<T> {
  const set = rowSet(columns, rows);
  return db.query(statement(set.sql), set.params) as Promise<T>;
}
