import type { EntityManager } from 'typeorm';
import type { RequestNumbers } from '../domain/ports';
import { formatRequestNumber } from '../domain/request';

/**
 * The year's counter, incremented on the registration's own connection and in its
 * transaction: a rollback takes the increment back (no gaps), and no second pooled
 * connection is needed while the transaction holds one. The row lock lasts until the
 * registration commits, which is why the use cases draw their numbers last.
 */
export class RequestNumberCounter implements RequestNumbers {
  constructor(private readonly manager: EntityManager) {}

  async next(year: number): Promise<string> {
    const first = await this.reserve(new Map([[year, 1]]));
    return formatRequestNumber(year, first.get(year) as number);
  }

  /**
   * `count` numbers of each year in one statement; the first of each block. The years' rows
   * are locked in ascending order, so two imports spanning the same years cannot deadlock.
   */
  async reserve(counts: ReadonlyMap<number, number>): Promise<Map<number, number>> {
    const years = [...counts.keys()].sort((a, b) => a - b);
    if (years.some((y) => !((counts.get(y) as number) > 0)))
      throw new Error('request numbers: every year of a block needs a count above zero');
    if (years.length === 0) return new Map();
    const rows: { year: number; last_number: number }[] = await this.manager.query(
      `INSERT INTO request_number_counter (year, last_number)
       SELECT year, n FROM unnest($1::int[], $2::int[]) AS block(year, n) ORDER BY year
       ON CONFLICT (year) DO UPDATE SET last_number = request_number_counter.last_number + EXCLUDED.last_number
       RETURNING year, last_number`,
      [years, years.map((y) => counts.get(y))],
    );
    return new Map(rows.map((r) => [r.year, r.last_number - (counts.get(r.year) as number) + 1]));
  }
}
