import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rollups kept per statement instead of per row (docs/reporting.md, "Rollups").
 *
 * Until now a row-level trigger on each projection added what a row's new version contributes
 * to its counter row and subtracted what its old version contributed, one upsert per projection
 * row. A multi-row statement of the consumer (a set of events) that touched many requests of
 * the same day, customer and group updated the same counter row once per request in one
 * transaction: a chain of row versions whose cost grows with the square of the updates
 * (docs/performance.md, "Open items"), and a plpgsql call per row.
 *
 * Now statement-level triggers with transition tables (old_rows, new_rows) do it: per statement,
 * the contributions of the old rows (−1) and the new rows (+1) are summed per counter key, and
 * each counter row is written once (keys in order, so concurrent writers lock them in the same
 * order); a key whose sums are all zero (an update that changed nothing counted) is not
 * written, and a counter that reaches zero is deleted. The counters end exactly where the
 * row-level triggers left them: the same contributions, summed before instead of after.
 *
 * PostgreSQL allows transition tables only on a trigger of one event and without a column
 * list, so each table has three triggers (INSERT, UPDATE, DELETE), each with its own function.
 * An INSERT … ON CONFLICT DO UPDATE fires both the INSERT and the UPDATE ones.
 *
 * The row-level triggers are dropped; their functions (`rp_sla_target_count(rp_sla_target, …)`
 * etc.) stay for `down`.
 */
export class StatementLevelRollups1764000000480 implements MigrationInterface {
  name = 'StatementLevelRollups1764000000480';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, trigger] of ROW_TRIGGERS) await q.query(`DROP TRIGGER ${trigger} ON ${table}`);
    for (const { table, statements, unchanged } of MAINTAINED) {
      for (const op of OPS) {
        const fn = `${table}_counts_${op.toLowerCase()}`;
        const body = [
          // Nothing to count: a statement that touched no row, or (update) changed no counted column.
          `IF NOT EXISTS (SELECT FROM ${op === 'DELETE' ? 'old_rows' : 'new_rows'}) THEN RETURN NULL; END IF`,
          ...(op === 'UPDATE' && unchanged ? [`IF ${unchanged} THEN RETURN NULL; END IF`] : []),
          ...statements(op),
        ].map((s) => `${s.trim()};`);
        // The report time zone, read once per statement by the counters that take days in it.
        const zone = body.some((s) => s.includes('AT TIME ZONE zone'))
          ? `DECLARE zone text := (SELECT value FROM rp_rollup_setting WHERE key = 'time_zone');`
          : '';
        await q.query(`
          CREATE FUNCTION ${fn}() RETURNS trigger
          LANGUAGE plpgsql AS $$
          ${zone}
          BEGIN
            ${body.join('\n            ')}
            RETURN NULL;
          END $$`);
        await q.query(`
          CREATE TRIGGER ${fn} AFTER ${op} ON ${table} REFERENCING ${TRANSITION[op]}
            FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of MAINTAINED) {
      for (const op of OPS) {
        const fn = `${table}_counts_${op.toLowerCase()}`;
        await q.query(`DROP TRIGGER ${fn} ON ${table}`);
        await q.query(`DROP FUNCTION ${fn}()`);
      }
    }
    // The row-level triggers of migrations 1764000000420–460, as they were.
    await q.query(`
      CREATE TRIGGER rp_sla_target_rollup AFTER INSERT OR UPDATE OR DELETE ON rp_sla_target
        FOR EACH ROW EXECUTE FUNCTION rp_sla_target_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_request_rollup AFTER INSERT OR DELETE ON rp_request
        FOR EACH ROW EXECUTE FUNCTION rp_request_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_request_rollup_update AFTER UPDATE ON rp_request FOR EACH ROW
        WHEN ((OLD.registered_at, OLD.customer_id, OLD.team_id, OLD.product_group_id, OLD.product_id, OLD.effective_priority,
               OLD.type, OLD.completion_reason, OLD.status, OLD.first_solution_at, OLD.closed_at)
              IS DISTINCT FROM
              (NEW.registered_at, NEW.customer_id, NEW.team_id, NEW.product_group_id, NEW.product_id, NEW.effective_priority,
               NEW.type, NEW.completion_reason, NEW.status, NEW.first_solution_at, NEW.closed_at))
        EXECUTE FUNCTION rp_request_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_survey_rollup AFTER INSERT OR DELETE OR UPDATE ON rp_survey FOR EACH ROW
        EXECUTE FUNCTION rp_survey_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_booking_rollup AFTER INSERT OR DELETE OR UPDATE ON rp_booking FOR EACH ROW
        EXECUTE FUNCTION rp_booking_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_open_request_keep AFTER INSERT OR DELETE ON rp_request
        FOR EACH ROW EXECUTE FUNCTION rp_open_request_keep()`);
    await q.query(`
      CREATE TRIGGER rp_open_request_keep_update AFTER UPDATE ON rp_request FOR EACH ROW
        WHEN ((OLD.request_id, OLD.number, OLD.type, OLD.customer_id, OLD.product_id, OLD.product_group_id, OLD.effective_priority,
               OLD.status, OLD.title, OLD.registered_at, OLD.first_response_at, OLD.change_ref)
              IS DISTINCT FROM
              (NEW.request_id, NEW.number, NEW.type, NEW.customer_id, NEW.product_id, NEW.product_group_id, NEW.effective_priority,
               NEW.status, NEW.title, NEW.registered_at, NEW.first_response_at, NEW.change_ref))
        EXECUTE FUNCTION rp_open_request_keep()`);
    await q.query(`
      CREATE TRIGGER rp_open_response_keep AFTER INSERT OR DELETE ON rp_open_request
        FOR EACH ROW EXECUTE FUNCTION rp_open_response_keep()`);
    await q.query(`
      CREATE TRIGGER rp_open_response_keep_update AFTER UPDATE ON rp_open_request FOR EACH ROW
        WHEN ((OLD.customer_id, OLD.product_id, OLD.product_group_id, OLD.effective_priority, OLD.registered_at, OLD.first_response_at)
              IS DISTINCT FROM
              (NEW.customer_id, NEW.product_id, NEW.product_group_id, NEW.effective_priority, NEW.registered_at, NEW.first_response_at))
        EXECUTE FUNCTION rp_open_response_keep()`);
  }
}

type Op = 'INSERT' | 'UPDATE' | 'DELETE';
const OPS: readonly Op[] = ['INSERT', 'UPDATE', 'DELETE'];

const TRANSITION: Record<Op, string> = {
  INSERT: 'NEW TABLE AS new_rows',
  UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  DELETE: 'OLD TABLE AS old_rows',
};

/** The statement's rows with the sign of their contribution: new versions +1, old versions −1. */
const CHANGES: Record<Op, string> = {
  INSERT: `SELECT n.*, 1 AS sign FROM new_rows n`,
  UPDATE: `SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o`,
  DELETE: `SELECT o.*, -1 AS sign FROM old_rows o`,
};
const OLD_ONLY = `SELECT o.*, -1 AS sign FROM old_rows o`;

/**
 * A counter table kept from a projection: its key columns and measures as expressions over a
 * changed row `c` (with `c.sign`), an optional lateral join and filter.
 */
interface Counter {
  table: string;
  keys: readonly (readonly [column: string, expression: string])[];
  /** What one row contributes, already multiplied by c.sign. */
  measures: readonly (readonly [column: string, expression: string])[];
  join?: string;
  where?: string;
  /** The counter row counts nothing any more (deleted). */
  empty: string;
}

/** One upsert: the contributions summed per key, only the keys whose sums are not all zero, in key order. */
function addTo(counter: Counter, changes: string): string {
  const { table, keys, measures, join = '', where } = counter;
  const positions = keys.map((_, i) => i + 1).join(', ');
  return `
    INSERT INTO ${table} AS d (${[...keys, ...measures].map(([c]) => c).join(', ')})
    SELECT * FROM (
      SELECT ${keys.map(([c, e]) => `${e} AS ${c}`).join(', ')}, ${measures.map(([c, e]) => `sum(${e}) AS ${c}`).join(', ')}
        FROM (${changes}) c ${join}
       ${where ? `WHERE ${where}` : ''}
       GROUP BY ${positions}
    ) g
    WHERE (${measures.map(([c]) => `g.${c}`).join(', ')}) IS DISTINCT FROM (${measures.map(() => '0').join(', ')})
    ORDER BY ${positions}
    ON CONFLICT (${keys.map(([c]) => c).join(', ')}) DO UPDATE
      SET ${measures.map(([c]) => `${c} = d.${c} + EXCLUDED.${c}`).join(', ')}`;
}

/** The counters an old row contributed to and that count nothing any more (only a subtraction empties one). */
function removeEmpty(counter: Counter): string {
  const { table, keys, join = '', where, empty } = counter;
  return `
    DELETE FROM ${table} d
     USING (SELECT DISTINCT ${keys.map(([c, e]) => `${e} AS ${c}`).join(', ')}
              FROM (${OLD_ONLY}) c ${join} ${where ? `WHERE ${where}` : ''}) k
     WHERE ${keys.map(([c]) => `d.${c} = k.${c}`).join(' AND ')} AND ${empty}`;
}

function counterStatements(counter: Counter, op: Op): string[] {
  return op === 'INSERT' ? [addTo(counter, CHANGES[op])] : [addTo(counter, CHANGES[op]), removeEmpty(counter)];
}

const zoned = (column: string) => `(${column} AT TIME ZONE zone)::date`;

/** A settled target counts on its completion day under its outcome; a running breached one on its breach day. */
const SLA_TARGET_DAY: Counter = {
  table: 'rp_sla_target_day',
  join: `CROSS JOIN LATERAL (
      SELECT CASE WHEN c.outcome IS NOT NULL AND c.completed_at IS NOT NULL THEN c.completed_at
                  WHEN c.outcome IS NULL AND c.breached_at IS NOT NULL THEN c.breached_at END AS at,
             CASE WHEN c.outcome IS NOT NULL AND c.completed_at IS NOT NULL THEN c.outcome
                  WHEN c.outcome IS NULL AND c.breached_at IS NOT NULL THEN 'RUNNING_BREACHED' END AS state) x`,
  where: 'x.at IS NOT NULL',
  keys: [
    ['day', zoned('x.at')],
    ['customer_id', 'c.customer_id'],
    ['product_group_id', `coalesce(c.product_group_id, '')`],
    ['product_id', `coalesce(c.product_id, '')`],
    ['priority', 'c.priority'],
    ['type', 'c.type'],
    ['kind', 'c.kind'],
    ['outcome', 'x.state'],
  ],
  measures: [
    ['targets', 'c.sign'],
    ['within_budget', 'CASE WHEN c.elapsed_ms <= c.budget_ms THEN c.sign ELSE 0 END'],
    ['within_hard', 'CASE WHEN NOT c.hard_limit_exceeded THEN c.sign ELSE 0 END'],
  ],
  empty: 'd.targets = 0',
};

const REQUEST_DAY: Counter = {
  table: 'rp_request_day',
  keys: [
    ['day', zoned('c.registered_at')],
    ['customer_id', 'c.customer_id'],
    ['team_id', `coalesce(c.team_id, '')`],
    ['product_group_id', `coalesce(c.product_group_id, '')`],
    ['product_id', `coalesce(c.product_id, '')`],
    ['priority', 'c.effective_priority'],
    ['type', 'c.type'],
    ['completion_reason', `coalesce(c.completion_reason, '')`],
  ],
  measures: [
    ['registered', 'c.sign'],
    [
      'solved_same_day',
      `CASE WHEN ${zoned('c.first_solution_at')} = ${zoned('c.registered_at')}
              OR (c.status = 'CLOSED' AND c.completion_reason IN ('SOLVED', 'WORKAROUND')
                  AND ${zoned('c.closed_at')} = ${zoned('c.registered_at')})
            THEN c.sign ELSE 0 END`,
    ],
  ],
  empty: 'd.registered = 0',
};

/** Open requests per UTC day of registration (the age buckets are durations, not calendar days). */
const OPEN_DAY: Counter = {
  table: 'rp_open_day',
  where: `c.status <> 'CLOSED'`,
  keys: [
    ['day', `date_trunc('day', c.registered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`],
    ['customer_id', 'c.customer_id'],
    ['product_group_id', `coalesce(c.product_group_id, '')`],
    ['product_id', `coalesce(c.product_id, '')`],
    ['effective_priority', 'c.effective_priority'],
    ['status', 'c.status'],
  ],
  measures: [['requests', 'c.sign']],
  empty: 'd.requests = 0',
};

const SURVEY_DAY: Counter = {
  table: 'rp_survey_day',
  keys: [
    ['day', zoned('c.answered_at')],
    ['customer_id', 'c.customer_id'],
    ['product_group_id', `coalesce(c.product_group_id, '')`],
    ['product_id', `coalesce(c.product_id, '')`],
    ['priority', `coalesce(c.priority, '')`],
    ['score', 'c.score'],
  ],
  measures: [
    ['answers', 'c.sign'],
    ['commented', `CASE WHEN c.comment IS NOT NULL AND c.comment <> '' THEN c.sign ELSE 0 END`],
  ],
  empty: 'd.answers = 0',
};

const BOOKING_DAY: Counter = {
  table: 'rp_booking_day',
  keys: [
    ['customer_id', 'c.customer_id'],
    ['work_date', 'c.work_date'],
  ],
  measures: [
    ['hours', 'c.sign * c.hours'],
    ['bookings', 'c.sign'],
  ],
  empty: 'd.bookings = 0',
};

const RESPONSE_KEYS = [
  ['product_group_id', `coalesce(c.product_group_id, '')`],
  ['customer_id', 'c.customer_id'],
  ['product_id', `coalesce(c.product_id, '')`],
  ['effective_priority', 'c.effective_priority'],
] as const;

/** The open requests responded to (with their response seconds) and waiting (with their registration epochs). */
const OPEN_RESPONSE: Counter = {
  table: 'rp_open_response',
  keys: RESPONSE_KEYS,
  measures: [
    ['responded', 'CASE WHEN c.first_response_at IS NOT NULL THEN c.sign ELSE 0 END'],
    ['response_seconds', 'CASE WHEN c.first_response_at IS NOT NULL THEN c.sign * c.response_seconds ELSE 0 END'],
    ['waiting', 'CASE WHEN c.first_response_at IS NULL THEN c.sign ELSE 0 END'],
    [
      'waiting_registered_epoch',
      'CASE WHEN c.first_response_at IS NULL THEN c.sign * extract(epoch FROM c.registered_at) ELSE 0 END',
    ],
  ],
  empty: 'd.responded = 0 AND d.waiting = 0',
};

const OPEN_RESPONSE_BUCKET: Counter = {
  table: 'rp_open_response_bucket',
  where: 'c.first_response_at IS NOT NULL',
  keys: [...RESPONSE_KEYS, ['bucket', 'c.response_bucket']],
  measures: [['responded', 'c.sign']],
  empty: 'd.responded = 0',
};

/** The columns of rp_open_request taken from rp_request (the as-of-now reports' columns). */
const OPEN_COLUMNS = [
  'request_id',
  'number',
  'type',
  'customer_id',
  'product_id',
  'product_group_id',
  'effective_priority',
  'status',
  'title',
  'registered_at',
  'first_response_at',
  'change_ref',
];

/** rp_open_request follows rp_request: a request is in it while it is not CLOSED. */
function openRequests(op: Op): string[] {
  const upsert = (from: string) => `
    INSERT INTO rp_open_request AS o (${OPEN_COLUMNS.join(', ')})
    ${from}
    ORDER BY n.request_id
    ON CONFLICT (request_id) DO UPDATE
      SET ${OPEN_COLUMNS.filter((c) => c !== 'request_id')
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(', ')}`;
  const columns = (alias: string) => OPEN_COLUMNS.map((c) => `${alias}.${c}`).join(', ');
  switch (op) {
    case 'INSERT':
      return [upsert(`SELECT ${columns('n')} FROM new_rows n WHERE n.status <> 'CLOSED'`)];
    case 'DELETE':
      return [`DELETE FROM rp_open_request WHERE request_id IN (SELECT request_id FROM old_rows)`];
    case 'UPDATE':
      // Closed (or re-keyed) ones out; the open ones whose reported columns changed in.
      return [
        `DELETE FROM rp_open_request o WHERE o.request_id IN (SELECT request_id FROM old_rows)
            AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.request_id = o.request_id AND n.status <> 'CLOSED')`,
        upsert(`SELECT ${columns('n')} FROM new_rows n
                 WHERE n.status <> 'CLOSED'
                   AND NOT EXISTS (SELECT 1 FROM old_rows p
                                    WHERE p.request_id = n.request_id AND (${columns('p')}) IS NOT DISTINCT FROM (${columns('n')}))`),
      ];
  }
}

/**
 * An update changed none of these columns of any row (every new row has an old row of the same
 * key with the same values): nothing it keeps can move. The columns of the row-level triggers'
 * WHEN clauses (migrations 1764000000430, 440 and 460).
 */
function unchangedIn(key: string, columns: readonly string[]): string {
  const of = (alias: string) => columns.map((c) => `${alias}.${c}`).join(', ');
  return `NOT EXISTS (SELECT FROM new_rows n WHERE NOT EXISTS (
      SELECT FROM old_rows o WHERE o.${key} = n.${key} AND (${of('o')}) IS NOT DISTINCT FROM (${of('n')})))`;
}

/** Per projection table, what its statements keep (in this order). */
const MAINTAINED: readonly { table: string; statements: (op: Op) => string[]; unchanged?: string }[] = [
  { table: 'rp_sla_target', statements: (op) => counterStatements(SLA_TARGET_DAY, op) },
  {
    table: 'rp_request',
    statements: (op) => [
      ...counterStatements(REQUEST_DAY, op),
      ...counterStatements(OPEN_DAY, op),
      ...openRequests(op),
    ],
    unchanged: unchangedIn('request_id', [
      ...new Set([...OPEN_COLUMNS, 'team_id', 'completion_reason', 'first_solution_at', 'closed_at']),
    ]),
  },
  { table: 'rp_survey', statements: (op) => counterStatements(SURVEY_DAY, op) },
  { table: 'rp_booking', statements: (op) => counterStatements(BOOKING_DAY, op) },
  {
    table: 'rp_open_request',
    statements: (op) => [...counterStatements(OPEN_RESPONSE, op), ...counterStatements(OPEN_RESPONSE_BUCKET, op)],
    unchanged: unchangedIn('request_id', [
      'customer_id',
      'product_id',
      'product_group_id',
      'effective_priority',
      'registered_at',
      'first_response_at',
    ]),
  },
];

/** The row-level triggers this migration replaces. */
const ROW_TRIGGERS: readonly (readonly [table: string, trigger: string])[] = [
  ['rp_sla_target', 'rp_sla_target_rollup'],
  ['rp_request', 'rp_request_rollup'],
  ['rp_request', 'rp_request_rollup_update'],
  ['rp_survey', 'rp_survey_rollup'],
  ['rp_booking', 'rp_booking_rollup'],
  ['rp_request', 'rp_open_request_keep'],
  ['rp_request', 'rp_open_request_keep_update'],
  ['rp_open_request', 'rp_open_response_keep'],
  ['rp_open_request', 'rp_open_response_keep_update'],
];
