import { Client } from 'pg';
import { ROLLUPS } from '../../apps/reporting/src/persistence/rollups';
import type { GraphClient } from '@servicecenter/testing';
import { summarise, round, type LatencySummary } from './stats';
import type { Log } from './throughput';

/**
 * The report queries timed at `--report-requests` requests (default 1,000,000), through the
 * gateway as the manager Service Center. A report is measured only when the supergraph has
 * its root field; the read models it aggregates are generated first by `generateReadModels`.
 */
export interface ReportQuery {
  name: string;
  rootField: string;
  query: string;
  /** The customer is the one the generated requests belong to. */
  variables: (generated: { customerId: string }) => Record<string, unknown>;
}

const YEAR = new Date().getUTCFullYear();
const QUARTER = `${YEAR}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;

export const REPORT_QUERIES: ReportQuery[] = [
  {
    name: 'openRequestsReport (as of now, oldest 10)',
    rootField: 'openRequestsReport',
    query: `query { openRequestsReport(oldest: 10) { total ages { lessThan1Day from1To3Days from3To7Days from7To30Days moreThan30Days } rows { productGroupId priority count oldestRegisteredAt } oldest { __typename } } }`,
    variables: () => ({}),
  },
  {
    name: 'responseTimeReport (as of now)',
    rootField: 'responseTimeReport',
    query: `query { responseTimeReport { rows { productGroupId open responded averageResponseHours medianResponseHours waiting longestWaitingHours } } }`,
    variables: () => ({}),
  },
  {
    name: `slaComplianceReport (${YEAR}, per month)`,
    rootField: 'slaComplianceReport',
    query: `query($year: Int) { slaComplianceReport(filter: { period: { year: $year } }, granularity: MONTH) { rows { period target met missed total rate } totals { target met missed rate } highWorkaround { completed met } } }`,
    variables: () => ({ year: YEAR }),
  },
  {
    name: `sameDayResolutionReport (${YEAR}, per month)`,
    rootField: 'sameDayResolutionReport',
    query: `query($year: Int) { sameDayResolutionReport(filter: { period: { year: $year } }, granularity: MONTH) { total { registered solvedSameDay rate } rows { period registered solvedSameDay rate } } }`,
    variables: () => ({ year: YEAR }),
  },
  {
    name: `satisfactionReport (${YEAR}, per month, 20 comments)`,
    rootField: 'satisfactionReport',
    query: `query($year: Int) { satisfactionReport(filter: { period: { year: $year } }, granularity: MONTH) { total { responses tnps averageScore } rows { period responses promoters passives detractors tnps } comments(first: 20) { edges { cursor } pageInfo { hasNextPage } } } }`,
    variables: () => ({ year: YEAR }),
  },
  {
    name: `bundleUseReport (${YEAR}, every customer)`,
    rootField: 'bundleUseReport',
    query: `query($year: Int) { bundleUseReport(filter: { period: { year: $year } }) { year rows { customerId bookedHours baseUsed creditUsed left overrun } } }`,
    variables: () => ({ year: YEAR }),
  },
  {
    name: 'consultingChangesReport (as of now, 20 requests)',
    rootField: 'consultingChangesReport',
    query: `query { consultingChangesReport { total rows { productGroupId priority count oldestRegisteredAt ages { lessThan1Day moreThan30Days } } requests(first: 20) { totalCount edges { cursor node { number } } pageInfo { hasNextPage } } } }`,
    variables: () => ({}),
  },
  {
    name: `escalationsReport (${YEAR}, 20 notices)`,
    rootField: 'escalationsReport',
    query: `query($year: Int) { escalationsReport(filter: { period: { year: $year } }) { escalations { opened closed openNow averageDurationHours longestDurationHours priorityChangesAsked urgentCalls } disruptions { published resolved averageDurationHours updatesDue updatesOnTime onTimeUpdateRate } notices(first: 20) { totalCount edges { cursor } pageInfo { hasNextPage } } } }`,
    variables: () => ({ year: YEAR }),
  },
  {
    // Every section of the quarterly review of the customer all generated requests belong to.
    name: `serviceManagementReview (${QUARTER}, every section)`,
    rootField: 'serviceManagementReview',
    query: `query($input: ServiceManagementReviewInput!) { serviceManagementReview(input: $input) {
      customer { name } sla { months { period target met missed rate } quarter { target rate } highWorkaround { met } highWorkaroundMonths { met } sameDay { registered rate } }
      openRequests { total byPriority { priority count ages { moreThan30Days } } byStatus { status count } oldest { number ageDays } }
      bundle { bookedHours baseUsed creditUsed left overrun } escalations { opened closed openNow urgentCalls }
      disruptions { figures { published resolved onTimeUpdateRate } notices { number } } satisfaction { figures { responses tnps } comments { comment } }
      changes { changeRef customerCount requests { number } } htmlPath } }`,
    variables: ({ customerId }) => ({ input: { customerId, quarter: QUARTER } }),
  },
];

/**
 * Answers timed per report, after one that warms caches and plans. 100, so the p99 is the
 * 99th of 100 ordered answers (nearest rank), not the slowest of a handful.
 */
const REPEATS = 100;
const CHUNK = 100_000;

export interface ReportsResult {
  requests?: number;
  generateSeconds?: number;
  /** `via`: how it was asked (default: a GraphQL query through the gateway). */
  measured: { name: string; latency: LatencySummary; via?: string }[];
  notMeasured?: string;
}

/**
 * rp_request and rp_sla_target rows for `total` requests, copied from a request the reporting
 * service projected from real events: two years of registrations, 10 % still open (one in
 * twenty of them a change handed over to Consulting), one SLA target outcome per request (10 %
 * missed, 10 % breached and running), a survey answer for every third closed request (scores
 * 0–10, a comment on one in five), a time booking on every other request, an escalation per 200
 * requests (one in ten still open, four activities each: priority change, status update
 * asked and answered, urgent call) and a disruption notice per 2,000 requests (three
 * promised updates, the first two given, one in five flagged overdue). Returns the seconds
 * taken and the customer the requests belong to.
 */
async function generateReadModels(
  databaseUrl: string,
  total: number,
): Promise<{ seconds: number; customerId: string }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // The registration reaches the reporting consumer a moment after the SLA service.
    const first = () =>
      db.query<{ request_id: string; customer_id: string }>(`SELECT request_id, customer_id FROM rp_request LIMIT 1`);
    let template = await first();
    for (const deadline = Date.now() + 30_000; template.rows.length === 0 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 200));
      template = await first();
    }
    if (template.rows.length === 0)
      throw new Error('no request in the reporting read model to copy: the registrations did not reach it');
    const started = performance.now();
    await db.query(`SET synchronous_commit = off`);
    // The rows go in without the rollup triggers (row by row: an upsert per generated row); the
    // rollups are then counted from scratch with the same SQL a change of time zone uses.
    // (Setting it needs a superuser; without one the triggers run and the recount below
    // replaces what they counted with the same figures.)
    const triggersOff = await db.query(`SET session_replication_role = replica`).then(
      () => true,
      () => false,
    );
    const id = `overlay(overlay(md5('screport-' || g) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
    const registered = `(now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second')`;
    for (let from = 1; from <= total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK - 1);
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO rp_request (request_id, number, type, customer_id, product_id, product_group_id, team_id, requested_priority, priority, effective_priority,
                                 status, title, registered_at, first_response_at, first_solution_at, closed_at, completion_reason, handed_over_to,
                                 version, sequence)
         SELECT ${id}, 'SC-BENCH-' || g,
                CASE WHEN g % 200 = 0 THEN 'CHANGE' ELSE (ARRAY['INCIDENT','CHANGE','INFORMATION','APPLICATION_SERVICE'])[1 + g % 4] END,
                t.customer_id, t.product_id, (ARRAY['grp-payroll','grp-hr'])[1 + g % 2], t.team_id, p.pri, p.pri, p.pri,
                CASE WHEN g % 200 = 0 THEN 'HANDED_OVER' WHEN g % 10 = 0 THEN 'IN_HANDLING' ELSE 'CLOSED' END, t.title, ${registered},
                CASE WHEN g % 7 = 0 THEN NULL ELSE ${registered} + (g % 30) * interval '1 hour' END,
                CASE WHEN g % 10 = 0 THEN NULL ELSE ${registered} + (g % 50) * interval '1 hour' END,
                CASE WHEN g % 10 = 0 THEN NULL ELSE ${registered} + (g % 50) * interval '1 hour' END,
                CASE WHEN g % 10 = 0 THEN NULL ELSE 'SOLVED' END, CASE WHEN g % 200 = 0 THEN 'CONSULTING' END, 1, t.sequence
           FROM generate_series($1::int, $2::int) g
           CROSS JOIN LATERAL (SELECT (ARRAY['HIGH','MEDIUM','LOW'])[1 + g % 3] AS pri) p,
                (SELECT * FROM rp_request WHERE request_id = $3) t`,
        [from, to, template.rows[0].request_id],
      );
      await db.query(
        `INSERT INTO rp_sla_target (request_id, kind, customer_id, product_id, product_group_id, type, priority, outcome, started_at, completed_at, due_at,
                                    elapsed_ms, paused_ms, budget_ms, hard_limit_ms, hard_limit_exceeded, breached_at)
         SELECT r.request_id, (ARRAY['FIRST_RESPONSE','ASSIGNMENT','ACCEPTANCE','WORKAROUND','RESOLUTION'])[1 + g % 5], r.customer_id, r.product_id,
                r.product_group_id, r.type, r.effective_priority,
                CASE WHEN g % 10 = 1 THEN NULL WHEN g % 10 = 2 THEN 'MISSED' ELSE 'MET' END,
                r.registered_at, CASE WHEN g % 10 = 1 THEN NULL ELSE r.registered_at + (g % 40) * interval '1 hour' END,
                r.registered_at + interval '24 hours', (g % 40) * 3600000.0, 0, 86400000, 172800000, g % 97 = 0,
                CASE WHEN g % 10 IN (1, 2) THEN r.registered_at + interval '24 hours' END
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}`,
        [from, to],
      );
      await db.query(
        `INSERT INTO rp_survey (request_id, customer_id, product_group_id, product_id, priority, score, comment, answered_at)
         SELECT r.request_id, r.customer_id, r.product_group_id, r.product_id, r.effective_priority, g % 11,
                CASE WHEN g % 5 = 0 THEN 'Bench comment ' || g END, r.closed_at + interval '2 hours'
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}
          WHERE g % 3 = 0 AND r.closed_at IS NOT NULL`,
        [from, to],
      );
      await db.query(
        `INSERT INTO rp_booking (booking_id, request_id, customer_id, product_group_id, product_id, hours, work_date, booked_by)
         SELECT overlay(overlay(md5('scbooking-' || g) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid, r.request_id, r.customer_id,
                r.product_group_id, r.product_id, 0.25 * (1 + g % 16), (r.registered_at AT TIME ZONE 'Europe/Amsterdam')::date, 'bench'
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}
          WHERE g % 2 = 0`,
        [from, to],
      );
      // An escalation per 200 requests, about the request it is numbered after.
      const escalationId = `overlay(overlay(md5('scescalation-' || g) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
      await db.query(
        `INSERT INTO rp_escalation (escalation_id, number, customer_id, request_ids, status, opened_at, closed_at, version)
         SELECT ${escalationId}, 'ESC-BENCH-' || g, r.customer_id, ARRAY[r.request_id], CASE WHEN g % 2000 = 3 THEN 'OPEN' ELSE 'CLOSED' END,
                r.registered_at + interval '2 hours', CASE WHEN g % 2000 = 3 THEN NULL ELSE r.registered_at + (3 + g % 72) * interval '1 hour' END, 1
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}
          WHERE g % 200 = 3`,
        [from, to],
      );
      await db.query(
        `INSERT INTO rp_escalation_activity (event_id, kind, customer_id, request_id, occurred_at)
         SELECT 'bench-activity-' || g || '-' || k, (ARRAY['PRIORITY_CHANGE_ASKED','STATUS_UPDATE_ASKED','STATUS_UPDATE_ANSWERED','URGENT_CALL'])[k],
                r.customer_id, r.request_id, r.registered_at + (2 + k) * interval '1 hour'
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}, generate_series(1, 4) k
          WHERE g % 200 = 3`,
        [from, to],
      );
      // A disruption notice per 2,000 requests, affecting the customer; updates promised hourly.
      const noticeId = `overlay(overlay(md5('scnotice-' || g) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
      await db.query(
        `INSERT INTO rp_disruption (notice_id, number, product_id, title, status, started_at, published_at, resolved_at, affected_customer_ids, version)
         SELECT ${noticeId}, 'DN-BENCH-' || g, coalesce(r.product_id, 'prod-bench'), 'Bench disruption ' || g,
                CASE WHEN g % 20000 = 7 THEN 'PUBLISHED' ELSE 'CLOSED' END, r.registered_at, r.registered_at + interval '10 minutes',
                CASE WHEN g % 20000 = 7 THEN NULL ELSE r.registered_at + (1 + g % 6) * interval '1 hour' END, ARRAY[r.customer_id], 1
           FROM generate_series($1::int, $2::int) g JOIN rp_request r ON r.request_id = ${id}
          WHERE g % 2000 = 7`,
        [from, to],
      );
      await db.query(
        `INSERT INTO rp_disruption_promise (notice_id, due_at, promised_at, overdue)
         SELECT d.notice_id, d.published_at + k * interval '1 hour', d.published_at + (k - 1) * interval '1 hour', k = 3 AND g % 10000 = 7
           FROM generate_series($1::int, $2::int) g JOIN rp_disruption d ON d.notice_id = ${noticeId}, generate_series(1, 3) k
          WHERE g % 2000 = 7`,
        [from, to],
      );
      await db.query(
        `INSERT INTO rp_disruption_update (notice_id, given_at)
         SELECT d.notice_id, d.published_at + (k - 1) * interval '1 hour' + interval '50 minutes'
           FROM generate_series($1::int, $2::int) g JOIN rp_disruption d ON d.notice_id = ${noticeId}, generate_series(1, 2) k
          WHERE g % 2000 = 7`,
        [from, to],
      );
      await db.query('COMMIT');
    }
    const [{ value: zone }] = (
      await db.query<{ value: string }>(`SELECT value FROM rp_rollup_setting WHERE key = 'time_zone'`)
    ).rows;
    // Still without the triggers: each rollup is counted from scratch in order (rp_open_response
    // from rp_open_request), so what a trigger would add row by row is replaced anyway.
    await db.query('BEGIN');
    for (const { table, recount, zoned } of ROLLUPS) {
      await db.query(`DELETE FROM ${table}`);
      await db.query(recount, zoned ? [zone] : []);
    }
    await db.query('COMMIT');
    if (triggersOff) await db.query(`SET session_replication_role = origin`);
    for (const table of [
      'rp_request',
      'rp_sla_target',
      'rp_survey',
      'rp_booking',
      'rp_escalation',
      'rp_escalation_activity',
      'rp_disruption',
      'rp_disruption_promise',
      'rp_disruption_update',
      ...ROLLUPS.map((r) => r.table),
    ])
      await db.query(`VACUUM ANALYZE ${table}`);
    // The generated pages written out now, as a desk that has run for a while has them, so the
    // checkpointer is not flushing ~1 GB of them while the reports are timed. Needs superuser
    // (or pg_checkpoint); without it the checkpointer does it in its own time.
    await db.query('CHECKPOINT').catch(() => undefined);
    return { seconds: round((performance.now() - started) / 1000, 1), customerId: template.rows[0].customer_id };
  } finally {
    await db.end();
  }
}

export async function measureReports(
  client: GraphClient,
  token: string,
  databaseUrl: string,
  total: number,
  log: Log,
  /** The root query fields of the supergraph the gateway serves (queryRootFields; no introspection in production). */
  fields: ReadonlySet<string>,
  /** The reporting service's base URL: the review's HTML page is timed there too. */
  reportingUrl?: string,
): Promise<ReportsResult> {
  const available = REPORT_QUERIES.filter((r) => fields.has(r.rootField));
  if (available.length === 0)
    return {
      measured: [],
      notMeasured: 'not measured yet: reporting not built (the supergraph has no report queries)',
    };

  log(`reports: generating ${total} requests and their SLA outcomes in the reporting read models`);
  const { seconds: generateSeconds, customerId } = await generateReadModels(databaseUrl, total);
  log(`  generated in ${generateSeconds} s`);
  const measured: ReportsResult['measured'] = [];
  for (const report of available) {
    const times: number[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const t = performance.now();
      const answer = await client.request(report.query, report.variables({ customerId }), token);
      if (answer.errors?.length) throw new Error(`${report.name}: ${JSON.stringify(answer.errors).slice(0, 400)}`);
      if (i > 0) times.push(performance.now() - t); // the first one warms caches and plans
    }
    const latency = summarise(times);
    measured.push({ name: report.name, latency });
    log(`  ${report.name}: median ${latency.median} ms, p99 ${latency.p99} ms`);
  }
  if (reportingUrl && fields.has('serviceManagementReview')) {
    // The printable page (GET on the reporting service with the same bearer token).
    const name = `review page ${QUARTER}.html`;
    const url = `${reportingUrl}/reviews/${encodeURIComponent(customerId)}/${QUARTER}.html`;
    const times: number[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const t = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      if (!res.ok) throw new Error(`${name}: ${res.status} ${body.slice(0, 200)}`);
      if (i > 0) times.push(performance.now() - t);
    }
    const latency = summarise(times);
    measured.push({ name, latency, via: 'GET on the reporting service' });
    log(`  ${name}: median ${latency.median} ms, p99 ${latency.p99} ms`);
  }
  return { requests: total, generateSeconds, measured };
}
