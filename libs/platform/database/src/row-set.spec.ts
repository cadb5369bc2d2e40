import { Client } from 'pg';
import { queryRows, rowSet } from './row-set';

describe('row sets', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it('names one typed array parameter per column, after the statement’s own parameters', () => {
    const set = rowSet(
      'request_id text, elapsed double precision, seen boolean',
      [{ request_id: 'a', elapsed: 1.5, seen: true }, { request_id: 'b' }],
      2,
    );
    expect(set.sql).toBe('unnest($3::text[], $4::double precision[], $5::boolean[]) AS u(request_id, elapsed, seen)');
    expect(set.params).toEqual([
      ['a', 'b'],
      [1.5, null],
      [true, null],
    ]);
  });

  it('round-trips rows, nulls, unicode and JSON through PostgreSQL, and lets the planner count them', async () => {
    const rows = [
      {
        id: 1,
        key: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        at: '2026-11-24T08:00:00.000Z',
        note: 'it\'s "quoted", Zoë’s 𝄞 {a,b} \\ NULL',
        data: { list: [1, 2], text: 'a,b{c} "Ålesund" 🚀', nested: { empty: [], nothing: null } },
      },
      { id: 2, key: null, at: null, note: null, data: null },
      { id: 3, key: undefined, at: new Date('1999-12-31T23:59:59.999Z'), note: '', data: ['x', 2, true] },
      { id: 4, at: '2026-03-29T01:30:00.123456+01:00', note: 'NULL', data: 'a string' },
    ];
    const result = await queryRows<{ rows: unknown[] }>(
      client,
      'id integer, key uuid, at timestamptz, note text, data jsonb',
      rows,
      (from) => `SELECT id, key, at, note, data FROM ${from} ORDER BY id`,
    );
    expect(result.rows).toEqual([
      {
        id: 1,
        key: '6f9619ff-8b86-d011-b42d-00c04fc964ff',
        at: new Date('2026-11-24T08:00:00.000Z'),
        note: 'it\'s "quoted", Zoë’s 𝄞 {a,b} \\ NULL',
        data: { list: [1, 2], text: 'a,b{c} "Ålesund" 🚀', nested: { empty: [], nothing: null } },
      },
      { id: 2, key: null, at: null, note: null, data: null },
      { id: 3, key: null, at: new Date('1999-12-31T23:59:59.999Z'), note: '', data: ['x', 2, true] },
      { id: 4, key: null, at: new Date('2026-03-29T00:30:00.123Z'), note: 'NULL', data: 'a string' },
    ]);
    // The microseconds PostgreSQL keeps, which a Date cannot show.
    const micros = await queryRows<{ rows: unknown[] }>(
      client,
      'at timestamptz',
      rows.slice(3),
      (from) => `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at FROM ${from}`,
    );
    expect(micros.rows).toEqual([{ at: '2026-03-29 00:30:00.123456' }]);
    // The estimate is the number of rows, not a default, with a jsonb column too: a few rows join through an index.
    for (const columns of ['id integer', 'id integer, data jsonb']) {
      const plan = await queryRows<{ rows: { 'QUERY PLAN': string }[] }>(
        client,
        columns,
        [{ id: 1 }, { id: 2 }, { id: 3 }],
        (from) => `EXPLAIN SELECT * FROM ${from}`,
      );
      expect(plan.rows[0]['QUERY PLAN']).toMatch(/rows=3 /);
    }
  });

  it('numbers the rows in the order given and zips each JSON document to its row', async () => {
    const rows = ['α', 'β', 'γ', 'δ'].map((name, i) => ({ name, doc: i === 2 ? undefined : { name, i } }));
    const set = rowSet('name text, doc jsonb', rows, { offset: 1, ordinality: 'ord' });
    expect(set.params).toEqual([['α', 'β', 'γ', 'δ'], JSON.stringify(rows.map((r) => r.doc ?? null))]);
    const result = await client.query(`SELECT $1::text AS tag, u.* FROM ${set.sql} ORDER BY u.ord DESC`, [
      'x',
      ...set.params,
    ]);
    expect(result.rows).toEqual([
      { tag: 'x', name: 'δ', doc: { name: 'δ', i: 3 }, ord: '4' },
      { tag: 'x', name: 'γ', doc: null, ord: '3' },
      { tag: 'x', name: 'β', doc: { name: 'β', i: 1 }, ord: '2' },
      { tag: 'x', name: 'α', doc: { name: 'α', i: 0 }, ord: '1' },
    ]);
    // A missing document is SQL NULL, not JSON null.
    const missing = await client.query(`SELECT u.name FROM ${set.sql} WHERE u.doc IS NULL AND $1::text = 'x'`, [
      'x',
      ...set.params,
    ]);
    expect(missing.rows).toEqual([{ name: 'γ' }]);
    // Documents only.
    const docs = await queryRows<{ rows: unknown[] }>(
      client,
      'doc jsonb',
      rows,
      (from) => `SELECT doc, ord FROM ${from} ORDER BY ord`,
      { ordinality: 'ord' },
    );
    expect(docs.rows).toEqual(rows.map((r, i) => ({ doc: r.doc ?? null, ord: String(i + 1) })));
  });

  it('reads an empty set as no rows, with documents or without', async () => {
    for (const columns of ['id uuid, at timestamptz, n integer', 'id uuid, doc jsonb', 'doc jsonb'])
      for (const options of [{}, { ordinality: 'ord' }]) {
        const result = await queryRows<{ rows: unknown[] }>(
          client,
          columns,
          [],
          (from) => `SELECT * FROM ${from}`,
          options,
        );
        expect(result.rows).toEqual([]);
      }
  });

  it('sends a set of any size as one parameter per column (a statement takes at most 65,535)', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      doc: { i },
    }));
    const set = rowSet('id uuid, at timestamptz, doc jsonb', rows);
    expect(set.params).toHaveLength(3);
    const result = await client.query<{ n: string; ids: string; last: Date; sum: string }>(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, max(at) AS last, sum((doc->>'i')::integer) AS sum FROM ${set.sql}`,
      set.params,
    );
    expect(result.rows[0]).toEqual({
      n: '70000',
      ids: '70000',
      last: new Date(Date.UTC(2026, 0, 1) + 69_999_000),
      sum: String((69_999 * 70_000) / 2),
    });
  });
});
