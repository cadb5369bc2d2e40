/** Something that runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Above this many rows a status figure is PostgreSQL's estimate rather than a count. */
export const EXACT_ROW_COUNT_LIMIT = 1_000_000;

/**
 * The number of rows of a table for a status or freshness figure: exact (`count(*)`) while
 * the table holds at most `exactUpTo` rows, above that the planner's estimate
 * (`pg_class.reltuples`, refreshed by autovacuum and ANALYZE), because a count over tens of
 * millions of rows reads them all and takes seconds for a figure polled by dashboards.
 * `estimated` says which. `table` is an identifier of ours, never caller input.
 */
export async function countRows(
  db: Queryable,
  table: string,
  exactUpTo = EXACT_ROW_COUNT_LIMIT,
): Promise<{ count: number; estimated: boolean }> {
  const [{ estimate }] = (await db.query(
    `SELECT COALESCE((SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)), -1) AS estimate`,
    [table],
  )) as { estimate: string | number }[];
  const approx = Number(estimate);
  // -1: never vacuumed or analysed (PostgreSQL 14+); 0 may mean the same before 14.
  if (approx > exactUpTo) return { count: approx, estimated: true };
  const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM ${table}`)) as { count: number }[];
  return { count, estimated: false };
}
