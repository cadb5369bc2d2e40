import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { rowSet } from '@servicecenter/platform-database';
import { runNsOfProcess } from '@servicecenter/testing';
// why: node-postgres' own parameter preparation (what every query pays in Node), not exported by its types.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/**
 * `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx tools/bench-row-set.ts
 * [--sizes 50,200,500] [--rounds 7] [--repeat 40] [--only scalar,doc]`: what PostgreSQL's
 * backend spends reading a set of rows sent as statement parameters, per encoding, for the
 * set sizes and column types the consumers send (docs/performance.md change 47).
 *
 * Each statement is `SELECT count(*) FROM <set> WHERE NOT (ROW(<every column>) IS NULL)`
 * (every column of every row is produced, nothing else is done with it), sent as node-postgres
 * sends a repository's query: an unnamed statement, parsed, planned and run each time. Per
 * statement the backend's CPU is read from `/proc/<pid>/schedstat` (ns, exact) around `--repeat`
 * executions; the variants take turns within each of `--rounds` rounds and the median round is
 * reported (per statement and per row), beside the wall time of the same executions and the
 * Node CPU of building the parameters (the encoding plus node-postgres' `prepareValue`,
 * `process.cpuUsage` over many builds). Before timing, every encoding of a set is checked to
 * give the same rows (md5 of the rows as text, in order). A measurement tool, not a test:
 * run it under `flock /tmp/bench.lock` and note the load.
 *
 * Sets (nulls in a fifth of the nullable columns, unicode in the texts):
 * - `scalar`: uuid ×2, text ×4, timestamptz ×2 (ISO strings), integer ×2: the shape of
 *   reporting's, escalations' and the SLA clocks' row sets;
 * - `doc`: uuid, text ×6, integer, timestamptz ×2 and a jsonb document of ≈ 1.9 kB (the SLA
 *   state save);
 * - `payload`: text ×6, timestamptz and a jsonb payload of ≈ 500 bytes (reporting's journal);
 * - `uuid`, `text`, `integer`, `timestamptz`: four columns of that type (`scalar`'s values).
 *
 * Encodings: text arrays with a jsonb column as `jsonb[]` (`rowSet` before change 47); text
 * arrays with the documents as one JSON array, zipped by `ROWS FROM (…, jsonb_array_elements)`
 * (the SLA save and the journal before change 47) or taken by position (`-> ord`);
 * `json_to_recordset` and `jsonb_to_recordset` of one JSON array of objects; binary arrays of
 * every scalar column; and `rowSet` as it is.
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,200,500' },
    rounds: { type: 'string', default: '7' },
    repeat: { type: 'string', default: '40' },
    only: { type: 'string', default: 'scalar,doc,payload' },
  },
});

type Column = { name: string; type: string; value: (i: number) => unknown };
type Encoded = { sql: string; params: unknown[] };
type Encoding = { name: string; encode: (columns: Column[], rows: Record<string, unknown>[]) => Encoded };

const TEXTS = ['CUST-0001', 'Zoë’s “Kräuter” GmbH', 'PG-ÉTÉ', 'IN_HANDLING', 'a,b{c}"d\\e', 'HIGH'];
const iso = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 61_001).toISOString();
const maybe = (i: number, k: number, v: unknown) => ((i * 7 + k) % 5 === 0 ? null : v);
const ids = Array.from({ length: 1000 }, () => randomUUID());

function document(i: number, bytes: number): unknown {
  const clocks = [];
  for (let c = 0; clocks.length === 0 || JSON.stringify(clocks).length < bytes - 200; c++)
    clocks.push({
      kind: ['RESPONSE', 'WORKAROUND', 'RESOLUTION', 'ONSITE', 'UPDATE'][c % 5],
      state: 'RUNNING',
      startedAt: iso(i + c),
      budgetMs: 14_400_000 + c,
      pauses: [{ from: iso(i + c + 1), to: c % 2 ? null : iso(i + c + 2) }],
      stop: c % 3 ? null : { at: iso(i + c + 3), outcome: 'MET', note: 'Ålesund “ok”' },
    });
  return { requestId: ids[i % ids.length], version: i, type: 'INCIDENT', registeredAt: iso(i), clocks };
}

const SETS: Record<string, Column[]> = {
  scalar: [
    { name: 'request_id', type: 'uuid', value: (i) => ids[i % ids.length] },
    { name: 'customer_id', type: 'text', value: (i) => TEXTS[i % 6] },
    { name: 'product_id', type: 'text', value: (i) => maybe(i, 1, TEXTS[(i + 1) % 6]) },
    { name: 'status', type: 'text', value: (i) => TEXTS[(i + 2) % 6] },
    { name: 'sequence', type: 'text', value: (i) => String(i).padStart(12, '0') },
    { name: 'registered_at', type: 'timestamptz', value: (i) => iso(i) },
    { name: 'closed_at', type: 'timestamptz', value: (i) => maybe(i, 2, iso(i + 1)) },
    { name: 'version', type: 'integer', value: (i) => i },
    { name: 'closed_version', type: 'integer', value: (i) => maybe(i, 3, i + 1) },
    { name: 'escalation_id', type: 'uuid', value: (i) => maybe(i, 4, ids[(i + 1) % ids.length]) },
  ],
  doc: [
    { name: 'request_id', type: 'uuid', value: (i) => ids[i % ids.length] },
    { name: 'customer_id', type: 'text', value: (i) => TEXTS[i % 6] },
    { name: 'product_id', type: 'text', value: (i) => maybe(i, 1, TEXTS[(i + 1) % 6]) },
    { name: 'product_group_id', type: 'text', value: (i) => TEXTS[(i + 2) % 6] },
    { name: 'team_id', type: 'text', value: (i) => maybe(i, 2, TEXTS[(i + 3) % 6]) },
    { name: 'type', type: 'text', value: () => 'INCIDENT' },
    { name: 'priority', type: 'text', value: () => 'HIGH' },
    { name: 'version', type: 'integer', value: (i) => i },
    { name: 'updated_at', type: 'timestamptz', value: (i) => iso(i) },
    { name: 'registered_at', type: 'timestamptz', value: (i) => iso(i + 1) },
    { name: 'state', type: 'jsonb', value: (i) => document(i, 1900) },
  ],
  payload: [
    { name: 'event_id', type: 'text', value: () => randomUUID() },
    { name: 'type', type: 'text', value: () => 'servicecenter.request.replied.v1' },
    { name: 'source', type: 'text', value: () => '/servicecenter/requests' },
    { name: 'subject', type: 'text', value: (i) => ids[i % ids.length] },
    { name: 'sequence', type: 'text', value: (i) => String(i).padStart(12, '0') },
    { name: 'time', type: 'timestamptz', value: (i) => iso(i) },
    { name: 'topic', type: 'text', value: () => 'requests' },
    { name: 'data', type: 'jsonb', value: (i) => document(i, 500) },
  ],
};

// One type at a time (four columns of it), to see where the text form's cost is.
for (const { type, value } of SETS.scalar.filter((c, i, all) => all.findIndex((o) => o.type === c.type) === i))
  SETS[type] = [0, 1, 2, 3].map((k) => ({ name: `c${k}`, type, value: (i: number) => value(i + k) }));

const docColumn = (columns: Column[]) => columns.find((c) => c.type === 'jsonb');
const columnValues = (c: Column, rows: Record<string, unknown>[]) => rows.map((r) => r[c.name] ?? null);

/** node-postgres' binary array format (element type OIDs of pg_type), for the types the sets use. */
const OID: Record<string, number> = { uuid: 2950, text: 25, integer: 23, timestamptz: 1184 };
const EPOCH_2000_MS = Date.UTC(2000, 0, 1);
function binaryArray(type: string, values: unknown[]): Buffer {
  const parts: Buffer[] = [];
  let hasNull = 0;
  for (const v of values) {
    if (v === null) {
      hasNull = 1;
      const b = Buffer.alloc(4);
      b.writeInt32BE(-1);
      parts.push(b);
      continue;
    }
    let body: Buffer;
    if (type === 'uuid') body = Buffer.from((v as string).replace(/-/g, ''), 'hex');
    else if (type === 'text') body = Buffer.from(v as string, 'utf8');
    else if (type === 'integer') {
      body = Buffer.alloc(4);
      body.writeInt32BE(v as number);
    } else if (type === 'timestamptz') {
      body = Buffer.alloc(8);
      body.writeBigInt64BE(BigInt(Date.parse(v as string) - EPOCH_2000_MS) * 1000n);
    } else throw new Error(type);
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length);
    parts.push(len, body);
  }
  const head = Buffer.alloc(20);
  head.writeInt32BE(1, 0);
  head.writeInt32BE(hasNull, 4);
  head.writeInt32BE(OID[type], 8);
  head.writeInt32BE(values.length, 12);
  head.writeInt32BE(1, 16);
  return Buffer.concat([head, ...parts]);
}

const ENCODINGS: Encoding[] = [
  {
    // rowSet before change 47: a text array literal per column, a jsonb column as jsonb[] of JSON texts.
    name: 'text arrays, jsonb[]',
    encode: (columns, rows) => ({
      sql: `unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) AS u(${columns.map((c) => c.name).join(', ')})`,
      params: columns.map((c) =>
        columnValues(c, rows).map((v) => (v !== null && c.type === 'jsonb' ? JSON.stringify(v) : v)),
      ),
    }),
  },
  {
    // The SLA save and the journal: the arrays and the documents as one JSON array, zipped by ROWS FROM.
    name: 'text arrays + jsonb_array_elements',
    encode: (columns, rows) => {
      const doc = docColumn(columns);
      if (!doc) return { sql: '', params: [] };
      const scalar = columns.filter((c) => c !== doc);
      return {
        sql: `ROWS FROM (${scalar.map((c, i) => `unnest($${i + 1}::${c.type}[])`).join(', ')}, jsonb_array_elements($${scalar.length + 1}::jsonb)) AS u(${[...scalar, doc].map((c) => c.name).join(', ')})`,
        params: [...scalar.map((c) => columnValues(c, rows)), JSON.stringify(columnValues(doc, rows))],
      };
    },
  },
  {
    // The arrays WITH ORDINALITY and each document taken from the one JSON array by position.
    name: 'text arrays + jsonb -> ord',
    encode: (columns, rows) => {
      const doc = docColumn(columns);
      if (!doc) return { sql: '', params: [] };
      const scalar = columns.filter((c) => c !== doc);
      const n = scalar.length + 1;
      return {
        sql: `(SELECT ${scalar.map((c) => c.name).join(', ')}, $${n}::jsonb -> (ord::integer - 1) AS ${doc.name}
                FROM unnest(${scalar.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) WITH ORDINALITY AS u(${scalar.map((c) => c.name).join(', ')}, ord)) AS u`,
        params: [...scalar.map((c) => columnValues(c, rows)), JSON.stringify(columnValues(doc, rows))],
      };
    },
  },
  {
    name: 'json_to_recordset',
    encode: (columns, rows) => ({
      sql: `json_to_recordset($1::json) AS u(${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
      params: [JSON.stringify(rows)],
    }),
  },
  {
    name: 'jsonb_to_recordset',
    encode: (columns, rows) => ({
      sql: `jsonb_to_recordset($1::jsonb) AS u(${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
      params: [JSON.stringify(rows)],
    }),
  },
  {
    // Binary arrays (node-postgres sends a Buffer in binary format): no text parsing per element.
    name: 'binary arrays (uuid, text, integer, timestamptz)',
    encode: (columns, rows) => {
      const doc = docColumn(columns);
      const scalar = columns.filter((c) => c !== doc);
      const arrays = scalar.map((c, i) => `unnest($${i + 1}::${c.type}[])`);
      if (doc) arrays.push(`jsonb_array_elements($${scalar.length + 1}::jsonb)`);
      const params: unknown[] = scalar.map((c) => binaryArray(c.type, columnValues(c, rows)));
      if (doc) params.push(JSON.stringify(columnValues(doc, rows)));
      return {
        sql: `ROWS FROM (${arrays.join(', ')}) AS u(${[...scalar, ...(doc ? [doc] : [])].map((c) => c.name).join(', ')})`,
        params,
      };
    },
  },
  {
    // rowSet as it is (change 47): text arrays, a jsonb column as one JSON array taken by position.
    name: 'rowSet',
    encode: (columns, rows) => rowSet(columns.map((c) => `${c.name} ${c.type}`).join(', '), rows),
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const sizes = values.sizes.split(',').map(Number);
  const rounds = Number(values.rounds);
  const repeat = Number(values.repeat);
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; backend ${pid}; rounds ${rounds} × ${repeat}`,
  );
  try {
    for (const setName of values.only.split(',')) {
      const columns = SETS[setName];
      for (const size of sizes) {
        const rows = Array.from({ length: size }, (_, i) =>
          Object.fromEntries(columns.map((c) => [c.name, c.value(i)])),
        );
        const rowExpr = `ROW(${columns.map((c) => `u.${c.name}`).join(', ')})`;
        const variants = ENCODINGS.map((e) => ({
          name: e.name,
          encoded: e.encode(columns, rows),
          encode: e.encode,
          backend: [] as number[],
          wall: [] as number[],
        })).filter((v) => v.encoded.sql !== '');
        // The same rows, in the same order, from every encoding.
        const digests = new Set<string>();
        for (const v of variants) {
          const r = await client.query<{ d: string; n: string }>(
            `SELECT md5(string_agg(${rowExpr}::text, '|')) AS d, count(*) AS n FROM ${v.encoded.sql}`,
            v.encoded.params,
          );
          if (Number(r.rows[0].n) !== size) throw new Error(`${v.name}: ${r.rows[0].n} rows of ${size}`);
          digests.add(r.rows[0].d);
        }
        if (digests.size !== 1) throw new Error(`${setName} ${size}: the encodings read different rows`);
        for (let round = -1; round < rounds; round++)
          for (const v of round % 2 ? variants : [...variants].reverse()) {
            const sql = `SELECT count(*) FROM ${v.encoded.sql} WHERE NOT (${rowExpr} IS NULL)`;
            const ns0 = runNsOfProcess(pid);
            const t0 = process.hrtime.bigint();
            for (let k = 0; k < repeat; k++) await client.query(sql, v.encoded.params);
            const t1 = process.hrtime.bigint();
            const ns1 = runNsOfProcess(pid);
            if (round < 0) continue; // warm-up
            v.backend.push((ns1 - ns0) / repeat);
            v.wall.push(Number(t1 - t0) / repeat);
          }
        console.log(`\n${setName}, ${size} rows (${columns.length} columns)`);
        console.log(
          'encoding | backend µs/statement | backend µs/row | wall µs/statement | Node µs/row (encode + prepareValue)',
        );
        for (const v of variants) {
          const b = median(v.backend) / 1000;
          const w = median(v.wall) / 1000;
          const builds = Math.max(20, Math.round(20_000 / size));
          const cpu0 = process.cpuUsage();
          for (let k = 0; k < builds; k++) {
            const e = v.encode(columns, rows);
            for (const p of e.params) prepareValue(p);
          }
          const cpu = process.cpuUsage(cpu0);
          const node = (cpu.user + cpu.system) / builds / size;
          console.log(`${v.name} | ${b.toFixed(0)} | ${(b / size).toFixed(2)} | ${w.toFixed(0)} | ${node.toFixed(2)}`);
        }
      }
    }
  } finally {
    await client.end();
  }
  console.log(
    `\nload ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
