import type { DataSource } from 'typeorm';
import { ROLLUPS } from '../persistence/rollups';

/** Every rollup table's rows, in key order (dates as text). */
export async function rollups(db: Pick<DataSource, 'query'>): Promise<Record<string, Record<string, unknown>[]>> {
  const all: Record<string, Record<string, unknown>[]> = {};
  for (const { table } of ROLLUPS) {
    const rows: Record<string, unknown>[] = await db.query(`SELECT * FROM ${table}`);
    all[table] = rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return all;
}

/** The rollups counted from scratch over the projections (in a transaction rolled back). */
export async function recountedRollups(
  ds: DataSource,
  zone: string,
): Promise<Record<string, Record<string, unknown>[]>> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const { table, recount, zoned } of ROLLUPS) {
      await runner.query(`DELETE FROM ${table}`);
      await runner.query(recount, zoned ? [zone] : []);
    }
    return await rollups({ query: (sql: string) => runner.query(sql) } as Pick<DataSource, 'query'>);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
