import type { EntityManager } from 'typeorm';
import type { RequestNumbers } from '../domain/ports';

/**
 * The year's counter, incremented on the registration's own connection and in its
 * transaction: a rollback takes the increment back (no gaps), and no second pooled
 * connection is needed while the transaction holds one. The row lock lasts until the
 * registration commits, which is why the use case draws its number last.
 */
export class RequestNumberCounter implements RequestNumbers {
  constructor(private readonly manager: EntityManager) {}

  async next(year: number): Promise<number> {
    const [row] = await this.manager.query(
      `INSERT INTO request_number_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = request_number_counter.last_number + 1
       RETURNING last_number`,
      [year],
    );
    return row.last_number as number;
  }
}
