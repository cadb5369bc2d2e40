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
 * the cheapest form for the backend (docs/performance.md change 45: a `json_to_recordset` of
 * the same rows costs it ≈ 1.5×, `jsonb_to_recordset` ≈ 2×).
 *
 * The encodings, per column type (change 45):
 * - `uuid` and `timestamptz` go as binary arrays (16 and 8 bytes an element) when every value
 *   has the canonical form (a uuid's 36 characters; a `Date`, or an ISO instant with `Z` or an
 *   offset and at most microseconds): PostgreSQL's text input of either costs it 3–8× the
 *   binary one. A column with any other value goes as text, as every other type does, and
 *   PostgreSQL reads it as it always did.
 * - `jsonb`: all the column's values as one JSON array, each row's taken by position
 *   (`-> ordinal`); as elements of a `jsonb[]` each value's JSON was escaped once more into
 *   the array literal (≈ 3× the Node CPU, ≈ 1.3× the backend's). A JSON `null` is SQL NULL.
 *   The set is then a subquery over the arrays' `unnest` (the planner still counts its rows;
 *   a statement that does not read the column never extracts it).
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
  if (type === 'uuid') return uuidArray(values) ?? values;
  if (type === 'timestamptz')
    // node-postgres writes a Date of a text array in local time with padding, digit by digit;
    // ISO is the same instant for a timestamptz (not for a timestamp without time zone).
    return timestamptzArray(values) ?? values.map((v) => (v instanceof Date ? v.toISOString() : v));
  return values;
}

/**
 * PostgreSQL's binary array (array_recv): dimensions, whether there are NULLs, the element
 * type; one dimension of `count` elements from 1; then each element as its length (-1: NULL)
 * and its bytes. node-postgres sends a Buffer parameter in binary format.
 */
function binaryArray(elementType: number, count: number, nulls: number, size: number): Buffer {
  if (count === 0) {
    const empty = Buffer.alloc(12);
    empty.writeInt32BE(elementType, 8);
    return empty;
  }
  const buf = Buffer.allocUnsafe(20 + count * 4 + (count - nulls) * size);
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(nulls > 0 ? 1 : 0, 4);
  buf.writeInt32BE(elementType, 8);
  buf.writeInt32BE(count, 12);
  buf.writeInt32BE(1, 16);
  return buf;
}

const UUID_OID = 2950;
const TIMESTAMPTZ_OID = 1184;
/** A character's hex digit value, -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX['0123456789abcdef'.charCodeAt(c)] = HEX['0123456789ABCDEF'.charCodeAt(c)] = c;
const hexOf = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c < 128 ? HEX[c] : -1;
};

/** The values as a binary uuid[], or undefined when one is not a uuid in its 36-character form. */
function uuidArray(values: readonly unknown[]): Buffer | undefined {
  let nulls = 0;
  for (const v of values) if (v === null) nulls++;
  const buf = binaryArray(UUID_OID, values.length, nulls, 16);
  let at = 20;
  for (const v of values) {
    if (v === null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    if (typeof v !== 'string' || v.length !== 36) return undefined;
    buf.writeInt32BE(16, at);
    at += 4;
    for (let i = 0, b = 0; b < 16; b++, i += 2) {
      if (b === 4 || b === 6 || b === 8 || b === 10) {
        if (v.charCodeAt(i) !== 45) return undefined;
        i++;
      }
      const high = hexOf(v, i);
      const low = hexOf(v, i + 1);
      if (high < 0 || low < 0) return undefined;
      buf[at++] = (high << 4) | low;
    }
  }
  return buf;
}

/** PostgreSQL's epoch (2000-01-01 UTC) in Unix milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number) =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month - 1];

/** The number the decimal digits of `s` from `from` to `to` write, NaN if one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Microseconds since PostgreSQL's epoch of a Date, or of an ISO instant
 * `YYYY-MM-DDTHH:MM:SS[.f…]` with `Z` or `±HH:MM`, fields in range and at most six fractional
 * digits (which PostgreSQL reads as exactly that instant); undefined for anything else, which
 * PostgreSQL's own input then reads (other forms, zone names, leap seconds, instants more than
 * ≈ 285 years from 2000, where microseconds no longer fit a double exactly).
 */
function microsOf(v: unknown): number | undefined {
  let ms: number;
  let fraction = 0;
  if (v instanceof Date) ms = v.getTime();
  else {
    if (typeof v !== 'string') return undefined;
    const s = v;
    const n = s.length;
    if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
    if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
    const year = digits(s, 0, 4);
    const month = digits(s, 5, 7);
    const day = digits(s, 8, 10);
    const hour = digits(s, 11, 13);
    const minute = digits(s, 14, 16);
    const second = digits(s, 17, 19);
    let i = 19;
    if (s.charCodeAt(i) === 46) {
      let places = 0;
      for (i++; i < n && places < 7; i++, places++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        fraction = fraction * 10 + d;
      }
      if (places === 0 || places > 6) return undefined;
      for (; places < 6; places++) fraction *= 10;
    }
    let offset = 0;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) {
      if (n !== i + 6 || s.charCodeAt(i + 3) !== 58) return undefined;
      const hours = digits(s, i + 1, i + 3);
      const minutes = digits(s, i + 4, i + 6);
      if (!(hours <= 15 && minutes <= 59)) return undefined;
      offset = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else if (sign !== 90 || n !== i + 1) return undefined;
    // NaN (a non-digit) fails every comparison.
    if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) return undefined;
    if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
    ms = Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  }
  const micros = (ms - POSTGRES_EPOCH_MS) * 1000 + fraction;
  return Number.isSafeInteger(micros) ? micros : undefined;
}

/** The values as a binary timestamptz[], or undefined when one has no exact fast form (`microsOf`). */
function timestamptzArray(values: readonly unknown[]): Buffer | undefined {
  const micros: (number | null)[] = [];
  let nulls = 0;
  for (const v of values) {
    if (v === null) {
      nulls++;
      micros.push(null);
      continue;
    }
    const us = microsOf(v);
    if (us === undefined) return undefined;
    micros.push(us);
  }
  const buf = binaryArray(TIMESTAMPTZ_OID, values.length, nulls, 8);
  let at = 20;
  for (const us of micros) {
    if (us === null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    buf.writeInt32BE(8, at);
    // An int64, big-endian, as two 32-bit halves (exact below 2^53).
    const high = Math.floor(us / 4_294_967_296);
    buf.writeInt32BE(high, at + 4);
    buf.writeUInt32BE(us - high * 4_294_967_296, at + 8);
    at += 12;
  }
  return buf;
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
