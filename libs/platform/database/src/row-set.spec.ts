import { Client } from 'pg';
import { queryRows, rowSet } from './row-set';

describe('row sets', () => {
  it('names one typed array parameter per column, after the statement’s own parameters', () => {
    const set = rowSet(
      'request_id uuid, elapsed double precision, data jsonb',
      [{ request_id: 'a', elapsed: 1.5, data: { n: 1 } }, { request_id: 'b' }],
      2,
    );
    expect(set.sql).toBe('unnest($3::uuid[], $4::double precision[], $5::jsonb[]) AS u(request_id, elapsed, data)');
    expect(set.params).toEqual([
      ['a', 'b'],
      [1.5, null],
      ['{"n":1}', null],
    ]);
  });

  it('round-trips rows, nulls and JSON through PostgreSQL, and lets the planner count them', async () => {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const rows = [
        { id: 1, at: '2026-11-24T08:00:00.000Z', note: 'it\'s "quoted"', data: { list: [1, 2], text: 'a,b{c}' } },
        { id: 2, at: null, note: null, data: null },
      ];
      const result = await queryRows<{ rows: unknown[] }>(
        client,
        'id integer, at timestamptz, note text, data jsonb',
        rows,
        (from) => `SELECT id, at, note, data FROM ${from} ORDER BY id`,
      );
      expect(result.rows).toEqual([
        {
          id: 1,
          at: new Date('2026-11-24T08:00:00.000Z'),
          note: 'it\'s "quoted"',
          data: { list: [1, 2], text: 'a,b{c}' },
        },
        { id: 2, at: null, note: null, data: null },
      ]);
      // The estimate is the number of rows, not a default: a few rows join through an index.
      const plan = await queryRows<{ rows: { 'QUERY PLAN': string }[] }>(
        client,
        'id integer',
        [{ id: 1 }, { id: 2 }, { id: 3 }],
        (from) => `EXPLAIN SELECT * FROM ${from}`,
      );
      expect(plan.rows[0]['QUERY PLAN']).toMatch(/rows=3 /);
    } finally {
      await client.end();
    }
  });
});
