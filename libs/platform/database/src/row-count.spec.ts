import { Client } from 'pg';
import { countRows, type Queryable } from './row-count';

describe('row counts for status figures', () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  /** The pg client answering with rows, as TypeORM's `query` does. */
  const db: Queryable = { query: async (sql, parameters) => (await client.query(sql, parameters)).rows };

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('counts exactly up to the limit and gives the planner estimate above it', async () => {
    await client.query('CREATE TEMP TABLE row_count_spec (n int)');
    await client.query('INSERT INTO row_count_spec SELECT generate_series(1, 50)');
    await client.query('ANALYZE row_count_spec');
    // Written after the statistics: only an exact count sees them.
    await client.query('INSERT INTO row_count_spec SELECT generate_series(51, 55)');

    expect(await countRows(db, 'row_count_spec')).toEqual({ count: 55, estimated: false });
    expect(await countRows(db, 'row_count_spec', 10)).toEqual({ count: 50, estimated: true });
  });

  it('counts a table the planner has no statistics for yet', async () => {
    await client.query('CREATE TEMP TABLE row_count_fresh (n int)');
    await client.query('INSERT INTO row_count_fresh SELECT generate_series(1, 3)');
    expect(await countRows(db, 'row_count_fresh', 0)).toEqual({ count: 3, estimated: false });
  });
});
