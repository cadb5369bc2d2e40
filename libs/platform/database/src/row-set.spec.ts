import fc from 'fast-check';
import { Client } from 'pg';
import { queryRows, rowSet } from './row-set';

describe('row sets', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  /** Every row of `SELECT <columns>::text FROM <set>` in the set's order. */
  async function asText(columns: string, rows: readonly object[], order = ''): Promise<unknown[][]> {
    const names = columns.split(',').map((c) => c.trim().split(/\s+/)[0]);
    const result = await queryRows<{ rows: Record<string, unknown>[] }>(
      client,
      columns,
      rows,
      (from) => `SELECT ${names.map((n) => `u.${n}::text AS ${n}`).join(', ')} FROM ${from} ${order}`,
    );
    return result.rows.map((r) => names.map((n) => r[n]));
  }

  /** What PostgreSQL's own text input makes of each value (the form every column had before binary arrays). */
  async function textInput(type: string, values: unknown[]): Promise<unknown[]> {
    const result = await client.query<{ v: string | null }>(`SELECT v::text AS v FROM unnest($1::${type}[]) AS u(v)`, [
      values,
    ]);
    return result.rows.map((r) => r.v);
  }

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
    expect(await asText('id integer, at timestamptz', rows.slice(3))).toEqual(
      await textInput('timestamptz', ['2026-03-29T01:30:00.123456+01:00']).then((at) => [['4', at[0]]]),
    );
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

  it('reads uuids as PostgreSQL’s input does, in any form it takes', async () => {
    const forms = [
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      'a0eebc99-9C0B-4ef8-BB6D-6bb9bd380a11',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      null,
    ];
    const canonical = rowSet(
      'id uuid',
      forms.map((id) => ({ id })),
    );
    expect(canonical.params[0]).toBeInstanceOf(Buffer);
    expect(
      (
        await asText(
          'id uuid',
          forms.map((id) => ({ id })),
        )
      ).map(([id]) => id),
    ).toEqual(await textInput('uuid', forms));
    // Other forms PostgreSQL accepts are left to it: the column goes as text.
    const other = [...forms, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11'];
    expect(
      rowSet(
        'id uuid',
        other.map((id) => ({ id })),
      ).params[0],
    ).toEqual(other);
    expect(
      (
        await asText(
          'id uuid',
          other.map((id) => ({ id })),
        )
      ).map(([id]) => id),
    ).toEqual(await textInput('uuid', other));
    for (const wrong of [
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g',
      'a0eebc99x9c0b-4ef8-bb6d-6bb9bd380a11',
      'é'.repeat(36),
    ])
      await expect(asText('id uuid', [{ id: forms[0] }, { id: wrong }])).rejects.toThrow(
        /invalid input syntax for type uuid/,
      );
  });

  it('reads instants as PostgreSQL’s input does, to the microsecond, whatever their offset', async () => {
    const session = await client.query<{ TimeZone: string }>('SHOW TimeZone');
    await client.query(`SET TimeZone = 'Europe/Amsterdam'`);
    try {
      const instants = [
        '2026-11-24T08:00:00.000Z',
        '2026-11-24T08:00:00Z',
        '2026-11-24T08:00:00.5Z',
        '2026-11-24T08:00:00.000001Z',
        '2026-11-24T09:30:00.123456+05:30',
        '2026-11-24T00:00:00-03:00',
        '2026-11-24T00:00:00+15:59',
        '2024-02-29T23:59:59.999999Z',
        '2000-01-01T00:00:00Z',
        '1999-12-31T23:59:59.999999Z',
        '1969-07-20T20:17:40Z',
        '1716-01-01T00:00:00Z',
        '2280-06-01T00:00:00Z',
        new Date('2026-03-29T01:00:00.001Z'),
        new Date('1900-01-01T00:00:00Z'),
        null,
      ];
      const rows = instants.map((at) => ({ at }));
      expect(rowSet('at timestamptz', rows).params[0]).toBeInstanceOf(Buffer);
      const expected = await textInput(
        'timestamptz',
        instants.map((at) => (at instanceof Date ? at.toISOString() : at)),
      );
      expect((await asText('at timestamptz', rows)).map(([at]) => at)).toEqual(expected);
      // Forms it leaves to PostgreSQL (the session's zone, leap seconds, names, more digits): the column goes as text.
      for (const other of [
        '2026-11-24T08:00:00',
        '2026-11-24 08:00:00+00',
        '2026-11-24T08:00:00.1234567Z',
        '2016-12-31T23:59:60Z',
        '2026-03-29T02:30:00 Europe/Amsterdam',
        'infinity',
        '0999-01-01T00:00:00Z',
        '1000-01-01T00:00:00Z',
        '2300-01-01T00:00:00Z',
        '2026-11-24T08:00:00+0100',
      ]) {
        const set = [...rows, { at: other }];
        expect(rowSet('at timestamptz', set).params[0]).not.toBeInstanceOf(Buffer);
        expect((await asText('at timestamptz', set)).map(([at]) => at)).toEqual([
          ...expected,
          ...(await textInput('timestamptz', [other])),
        ]);
      }
      for (const wrong of [
        '2026-02-30T00:00:00Z',
        '2026-13-01T00:00:00Z',
        '2026-11-24T24:00:01Z',
        '2026-11-24T08:00:00+16:00',
      ])
        await expect(asText('at timestamptz', [{ at: wrong }])).rejects.toThrow(/out of range|invalid input/);
    } finally {
      await client.query(`SET TimeZone = '${session.rows[0].TimeZone}'`);
    }
  });

  it('reads any instant written in ISO form with an offset as PostgreSQL does', async () => {
    const iso = fc
      .record({
        micros: fc.integer({ min: -9_000_000_000_000_000, max: 9_000_000_000_000_000 }),
        digits: fc.integer({ min: 0, max: 6 }),
        offset: fc.integer({ min: -(15 * 60 + 59), max: 15 * 60 + 59 }),
      })
      .map(({ micros, digits, offset }) => {
        // micros since 2000 shown in the offset's local time, with `digits` fractional digits.
        const us = micros - (micros % 10 ** (6 - digits));
        const ms = Math.floor(us / 1000) + 946_684_800_000;
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
        const fraction =
          digits === 0
            ? ''
            : `.${String(((us % 1_000_000) + 1_000_000) % 1_000_000)
                .padStart(6, '0')
                .slice(0, digits)}`;
        const zone =
          offset === 0 && digits % 2 === 0
            ? 'Z'
            : `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        return `${local}${fraction}${zone}`;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(iso), { minLength: 1, maxLength: 30 }), async (instants) => {
        const rows = instants.map((at) => ({ at }));
        expect((await asText('at timestamptz', rows)).map(([at]) => at)).toEqual(
          await textInput('timestamptz', instants),
        );
      }),
      { numRuns: 60 },
    );
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
