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

export interface RowSetOptions {
  /** The parameters the statement already uses: the set's are numbered after them. */
  offset?: number;
  /** The name of a bigint column numbering the rows 1, 2, … in the order given. */
  ordinality?: string;
}

/** The name the set's own row number takes when the caller did not ask for one. */
const ROW_NUMBER = '"row set ordinality"';

/**
 * Many rows as one statement parameter per column, read back with `unnest`, e.g.
 * `rowSet('request_id uuid, at timestamptz', rows)` gives
 * `unnest($1::uuid[], $2::timestamptz[]) AS u(request_id, at)` and the arrays taken from each
 * row's property of that name (`undefined` and `null` are SQL NULL). `offset`: the parameters
 * already used in the statement (or `{ offset, ordinality }`: `ordinality` names a column that
 * numbers the rows from 1 in the order given).
 *
 * `unnest` of array parameters tells PostgreSQL's planner how many rows there are, so a set of
 * a few rows joins through the primary key instead of scanning the table (`jsonb_to_recordset`
 * is always estimated at 100 rows, which makes small tables scan). Read per element it is also
 * the cheapest text form for the backend (docs/performance.md change 47: a `json_to_recordset`
 * of the same rows costs it ≈ 1.5×, `jsonb_to_recordset` ≈ 2×).
 *
 * A `jsonb` column travels as one JSON array of all its values, each row's taken by position
 * (`-> ordinal`): as elements of a `jsonb[]` each value's JSON was escaped once more into the
 * array literal (≈ 3× the Node CPU and ≈ 1.2–1.3× the backend's for documents of 0.5–2 kB,
 * change 47). A JSON `null` is SQL NULL. The set is then a subquery over the other columns' `unnest`
 * (the planner still counts its rows; a statement that does not read the column never
 * extracts it).
 */
export function rowSet(
  columns: string,
  rows: readonly object[],
  options: number | RowSetOptions = 0,
): { sql: string; params: unknown[] } {
  const { offset = 0, ordinality } = typeof options === 'number' ? { offset: options } : options;
  const list = columnsOf(columns);
  const params = list.map((c) => parameterOf(c.type, rows as readonly Record<string, unknown>[], c.name));
  const param = (i: number) => `$${offset + i + 1}::${list[i].type}${list[i].type === 'jsonb' ? '' : '[]'}`;
  const arrays = list.map((c, i) => ({ c, i })).filter(({ c }) => c.type !== 'jsonb');
  const names = list.map((c) => c.name);
  if (arrays.length === list.length) {
    const from = `unnest(${arrays.map(({ i }) => param(i)).join(', ')})`;
    return {
      sql: ordinality
        ? `${from} WITH ORDINALITY AS u(${[...names, ordinality].join(', ')})`
        : `${from} AS u(${names.join(', ')})`,
      params,
    };
  }
  const number = ordinality ?? ROW_NUMBER;
  // The rows are the arrays' (or, with documents only, as many as given), numbered from 1.
  const driver =
    arrays.length > 0
      ? `unnest(${arrays.map(({ i }) => param(i)).join(', ')}) WITH ORDINALITY AS u(${[...arrays.map(({ c }) => c.name), number].join(', ')})`
      : `generate_series(1::bigint, ${rows.length}) AS u(${number})`;
  const select = list.map((c, i) =>
    c.type === 'jsonb' ? `NULLIF(${param(i)} -> (u.${number}::integer - 1), 'null') AS ${c.name}` : `u.${c.name}`,
  );
  if (ordinality) select.push(`u.${ordinality}`);
  return { sql: `(SELECT ${select.join(', ')} FROM ${driver}) AS u`, params };
}

function parameterOf(type: string, rows: readonly Record<string, unknown>[], name: string): unknown {
  const values = rows.map((row) => row[name] ?? null);
  if (type === 'jsonb') return JSON.stringify(values);
  // node-postgres writes a Date of an array in local time with padding, digit by digit;
  // ISO is the same instant for a timestamptz (not for a timestamp without time zone).
  if (type === 'timestamptz') return values.map((v) => (v instanceof Date ? v.toISOString() : v));
  return values;
}

/** Runs a statement over a row set (see `rowSet`): `statement` gets the set (`... AS u`) to select from. */
export function queryRows<T = unknown>(
  db: Queryable,
  columns: string,
  rows: readonly object[],
  statement: (from: string) => string,
  options?: RowSetOptions,
): Promise<T> {
  const set = rowSet(columns, rows, options);
  return db.query(statement(set.sql), set.params) as Promise<T>;
}
