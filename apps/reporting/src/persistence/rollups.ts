import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { OPEN_DAY_RECOUNT, OPEN_REQUEST_SELECT } from '../migrations/1764000000440-OpenRequestState';
import { OPEN_RESPONSE_BUCKET_RECOUNT, OPEN_RESPONSE_RECOUNT } from '../migrations/1764000000460-OpenResponseCounters';
import type { Granularity } from './sql';

/**
 * The rollup tables kept at event time (migration 1764000000420, docs/reporting.md "Rollups").
 * `rp_sla_target_day` is maintained by a trigger on rp_sla_target; this is the same count done
 * from scratch over the targets, for a change of the report time zone (and for the specs,
 * which check that the incrementally kept counters equal it).
 */
export const SLA_TARGET_DAY_RECOUNT = (zone: string) => `
  INSERT INTO rp_sla_target_day (day, customer_id, product_group_id, product_id, priority, type, kind, outcome, targets, within_budget, within_hard)
  SELECT (c.at AT TIME ZONE ${zone})::date, customer_id, coalesce(product_group_id, ''), coalesce(product_id, ''), priority, type, kind, c.state,
         count(*)::int, count(*) FILTER (WHERE elapsed_ms <= budget_ms)::int, count(*) FILTER (WHERE NOT hard_limit_exceeded)::int
    FROM rp_sla_target t
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t.outcome IS NOT NULL AND t.completed_at IS NOT NULL THEN t.completed_at
                  WHEN t.outcome IS NULL AND t.breached_at IS NOT NULL THEN t.breached_at END AS at,
             CASE WHEN t.outcome IS NOT NULL AND t.completed_at IS NOT NULL THEN t.outcome
                  WHEN t.outcome IS NULL AND t.breached_at IS NOT NULL THEN 'RUNNING_BREACHED' END AS state
    ) c
   WHERE c.at IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

/** rp_request_day from scratch (migration 1764000000430). */
export const REQUEST_DAY_RECOUNT = (zone: string) => `
  INSERT INTO rp_request_day (day, customer_id, team_id, product_group_id, product_id, priority, type, completion_reason, registered, solved_same_day)
  SELECT (registered_at AT TIME ZONE ${zone})::date, customer_id, coalesce(team_id, ''), coalesce(product_group_id, ''), coalesce(product_id, ''),
         effective_priority, type, coalesce(completion_reason, ''), count(*)::int,
         count(*) FILTER (WHERE (first_solution_at AT TIME ZONE ${zone})::date = (registered_at AT TIME ZONE ${zone})::date
           OR (status = 'CLOSED' AND completion_reason IN ('SOLVED', 'WORKAROUND')
               AND (closed_at AT TIME ZONE ${zone})::date = (registered_at AT TIME ZONE ${zone})::date))::int
    FROM rp_request GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

/** rp_survey_day from scratch. */
export const SURVEY_DAY_RECOUNT = (zone: string) => `
  INSERT INTO rp_survey_day (day, customer_id, product_group_id, product_id, priority, score, answers, commented)
  SELECT (answered_at AT TIME ZONE ${zone})::date, customer_id, coalesce(product_group_id, ''), coalesce(product_id, ''),
         coalesce(priority, ''), score, count(*)::int, count(*) FILTER (WHERE comment IS NOT NULL AND comment <> '')::int
    FROM rp_survey GROUP BY 1, 2, 3, 4, 5, 6`;

/** rp_booking_day from scratch (work dates are dates: no zone). */
export const BOOKING_DAY_RECOUNT = `
  INSERT INTO rp_booking_day (customer_id, work_date, hours, bookings)
  SELECT customer_id, work_date, sum(hours), count(*)::int FROM rp_booking GROUP BY 1, 2`;

/** Every rollup and current-state table with its count from scratch ($1: the report time zone). */
export const ROLLUPS: readonly { table: string; recount: string; zoned: boolean }[] = [
  { table: 'rp_open_request', recount: `INSERT INTO rp_open_request ${OPEN_REQUEST_SELECT}`, zoned: false },
  { table: 'rp_open_day', recount: OPEN_DAY_RECOUNT, zoned: false },
  // Counted over rp_open_request (kept by a trigger on it): after it.
  { table: 'rp_open_response', recount: OPEN_RESPONSE_RECOUNT, zoned: false },
  { table: 'rp_open_response_bucket', recount: OPEN_RESPONSE_BUCKET_RECOUNT, zoned: false },
  { table: 'rp_sla_target_day', recount: SLA_TARGET_DAY_RECOUNT('$1'), zoned: true },
  { table: 'rp_request_day', recount: REQUEST_DAY_RECOUNT('$1'), zoned: true },
  { table: 'rp_survey_day', recount: SURVEY_DAY_RECOUNT('$1'), zoned: true },
  { table: 'rp_booking_day', recount: BOOKING_DAY_RECOUNT, zoned: false },
];

/**
 * Sets the zone the rollups count days in; if it differs from the one they were counted in,
 * recounts them in the same transaction (a changed REPORTING_TIME_ZONE). Returns whether it did.
 */
export async function syncRollupZone(manager: EntityManager, zone: string): Promise<boolean> {
  return manager.transaction(async (m) => {
    const rows: { value: string }[] = await m.query(
      `SELECT value FROM rp_rollup_setting WHERE key = 'time_zone' FOR UPDATE`,
    );
    if (rows[0]?.value === zone) return false;
    await m.query(
      `INSERT INTO rp_rollup_setting (key, value) VALUES ('time_zone', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [zone],
    );
    for (const rollup of ROLLUPS.filter((r) => r.zoned)) {
      await m.query(`DELETE FROM ${rollup.table}`);
      await m.query(rollup.recount, [zone]);
    }
    return true;
  });
}

/**
 * The period as whole calendar days in the zone, when it is one (months, quarters, years and
 * ranges from midnight to midnight): the rollups answer exactly. Undefined otherwise (a range
 * starting mid-day is read from the rows).
 */
export function wholeDays(from: Date, to: Date, zone: string): { fromDay: string; toDay: string } | undefined {
  const f = DateTime.fromJSDate(from, { zone });
  const t = DateTime.fromJSDate(to, { zone });
  if (!f.isValid || !t.isValid) return undefined;
  if (+f.startOf('day') !== +f || +t.startOf('day') !== +t) return undefined;
  return { fromDay: f.toISODate() as string, toDay: t.toISODate() as string };
}

/** The period key of a day column (a date, already in the report time zone). */
export const dayPeriodKey = (g: Granularity, column: string) =>
  g === 'MONTH'
    ? `to_char(date_trunc('month', ${column}::timestamp), 'YYYY-MM')`
    : `to_char(date_trunc('quarter', ${column}::timestamp), 'YYYY-"Q"Q')`;
