import type { DataSource } from 'typeorm';
import type { RequestNumbers } from '../domain/ports';

/**
 * The year's counter, incremented in an autocommit statement of its own (not in the caller's
 * transaction): the row lock lasts one statement, so registrations run in parallel. The cost
 * is a gap when a registration rolls back after drawing its number.
 */
export class RequestNumberCounter implements RequestNumbers {
  constructor(private readonly dataSource: DataSource) {}

  async next(year: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `INSERT INTO request_number_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = request_number_counter.last_number + 1
       RETURNING last_number`,
      [year],
    );
    return row.last_number as number;
  }
}
