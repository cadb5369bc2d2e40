import { Client } from 'pg';
import { systemActor } from '@servicecenter/platform-auth';
import { silentLogger } from '@servicecenter/platform-logging';
import type { ServiceRuntime } from '@servicecenter/platform-service';
import { SlaScanner } from '../../apps/sla/src/events/sla-scanner';
import { PgAgreementBook } from '../../apps/sla/src/persistence/agreement.repository';
import { median, percentile, round, summarise, type LatencySummary } from './stats';
import type { Log } from './throughput';

const BATCH = 200;
const SCANS = 10;
/** Scans before the measured ones: the scanner's code paths compiled, its agreement cache filled, as in a running service. */
const WARM_UP_SCANS = 2;
const QUERY_REPEATS = 30;
const CHUNK = 50_000;

export interface SlaScanResult {
  runningClocks: number;
  clockRows: number;
  requests: number;
  generateSeconds: number;
  /** The scanner's due query (the claim's indexed part, LIMIT 200) at this size. */
  dueQuery: LatencySummary;
  /**
   * One `scanOnce` over a batch of due clocks (claim, evaluate, record and publish, as one set),
   * the scans back to back: each runs while the in-process relay and consumers still apply the
   * previous scan's events (the catch-up after downtime).
   */
  scanOnce: LatencySummary;
  /**
   * The same, each scan started once the previous scan's events were handled by every
   * consumer group (nothing left in the SLA outbox's `outbox_pending`), as at the scanner's
   * poll interval on a desk that keeps up; the wait is not timed.
   */
  scanOnceSettled?: LatencySummary;
  /** Process CPU during the settled scans' own calls (ms per scan). */
  cpuMsPerSettledScan?: number;
  clocksPerScan: number;
  eventsPerScan: number;
  /**
   * CPU of the bench process per measured scan (user + system): the scanner's own, plus what
   * the in-process relay and consumers did meanwhile with the published events.
   */
  cpuMsPerScan: number;
  /** The unmeasured scans before (ms). */
  warmUpScans: number[];
  plan: string[];
  indexUsed: boolean;
}

/**
 * Fills the SLA service's own tables with copies of a real request's state (jsonb) and clock
 * rows until `target` clocks run, each copy with its own id and next check instant. The next
 * checks lie days ahead, so the stack's own scanner (real time) leaves them alone; the
 * measured scanner gets a clock at which a few thousand are due.
 */
export async function measureSlaScan(
  rt: ServiceRuntime,
  databaseUrl: string,
  target: number,
  log: Log,
): Promise<SlaScanResult> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const template = await db.query<{ request_id: string; running: number }>(
      `SELECT request_id, count(*)::int AS running FROM sla_clock WHERE state = 'RUNNING' AND next_check_at IS NOT NULL GROUP BY request_id ORDER BY running DESC LIMIT 1`,
    );
    if (template.rows.length === 0)
      throw new Error('no running SLA clock to copy: the registrations did not reach the SLA service');
    const { request_id: templateId, running } = template.rows[0];
    const requests = Math.ceil(target / running);
    // A valid v4 uuid per copy (the event contracts check the version nibble).
    const id = `overlay(overlay(md5('scbench-' || g) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
    const base = new Date(Date.now() + 3 * 86_400_000);
    log(
      `sla scan: generating ${requests} requests x ${running} running clocks (${requests * running}) in the SLA tables`,
    );
    const started = performance.now();
    await db.query(`SET synchronous_commit = off`);
    for (let from = 1; from <= requests; from += CHUNK) {
      const to = Math.min(requests, from + CHUNK - 1);
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO request_sla_state (request_id, customer_id, product_id, product_group_id, team_id, type, priority, version, state, updated_at, registered_at)
         SELECT ${id}, t.customer_id, t.product_id, t.product_group_id, t.team_id, t.type, t.priority, t.version,
                jsonb_set(t.state, '{requestId}', to_jsonb((${id})::text)), t.updated_at, t.registered_at
           FROM generate_series($1::int, $2::int) g, (SELECT * FROM request_sla_state WHERE request_id = $3) t`,
        [from, to, templateId],
      );
      await db.query(
        `INSERT INTO sla_clock (request_id, kind, state, unit, budget_ms, due_at, next_check_at, next_threshold)
         SELECT ${id}, c.kind, c.state, c.unit, c.budget_ms, c.due_at + (g % 10000) * interval '1 minute',
                CASE WHEN c.next_check_at IS NULL THEN NULL ELSE $4::timestamptz + g * interval '1 second' END, c.next_threshold
           FROM generate_series($1::int, $2::int) g, (SELECT * FROM sla_clock WHERE request_id = $3) c`,
        [from, to, templateId, base],
      );
      await db.query('COMMIT');
    }
    // Vacuumed, analysed and written out, as tables of a desk that has run for a while: else
    // autovacuum's insert-triggered vacuum of the million new rows and the checkpointer's
    // flush of them run during the timed scans.
    await db.query('VACUUM ANALYZE request_sla_state');
    await db.query('VACUUM ANALYZE sla_clock');
    await db.query('CHECKPOINT').catch(() => undefined);
    const generateSeconds = round((performance.now() - started) / 1000, 1);
    const counts = await db.query<{ running: number; total: number }>(
      `SELECT count(*) FILTER (WHERE state = 'RUNNING')::int AS running, count(*)::int AS total FROM sla_clock`,
    );
    log(
      `  ${counts.rows[0].running} running clocks, ${counts.rows[0].total} clock rows, generated in ${generateSeconds} s`,
    );

    // Due: the first `dueRequests` copies (their next checks are one second apart from `base`).
    const dueRequests = Math.min(requests, Math.ceil(((WARM_UP_SCANS + 2 * SCANS) * BATCH) / running) + 10);
    const now = new Date(base.getTime() + dueRequests * 1000);
    const dueSql = `SELECT request_id, kind FROM sla_clock WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2`;
    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${dueSql}`, [now, BATCH])
    ).rows.map((r) => r['QUERY PLAN']);
    const times: number[] = [];
    for (let i = 0; i < QUERY_REPEATS; i++) {
      const t = performance.now();
      await db.query(dueSql, [now, BATCH]);
      times.push(performance.now() - t);
    }

    const scanner = new SlaScanner({
      dataSource: rt.dataSource,
      uow: rt.uow,
      clock: () => now,
      logger: silentLogger,
      agreements: new PgAgreementBook(rt.dataSource.manager),
      actor: systemActor('sla'),
      pollMs: 60_000,
      batchSize: BATCH,
    });
    const warmUp: number[] = [];
    for (let i = 0; i < WARM_UP_SCANS; i++) {
      const t = performance.now();
      await scanner.scanOnce();
      warmUp.push(performance.now() - t);
    }
    const scans: number[] = [];
    const events: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < SCANS; i++) {
      const t = performance.now();
      events.push(await scanner.scanOnce());
      scans.push(performance.now() - t);
    }
    const used = process.cpuUsage(cpu);
    const cpuMsPerScan = round((used.user + used.system) / 1000 / SCANS);
    const scanOnce = summarise(scans);
    log(
      `  due query ${round(median(times))} ms (p99 ${round(percentile(times, 99))}), scanOnce over ${BATCH} clocks ${scanOnce.median} ms (p99 ${scanOnce.p99}), ${median(events)} events per scan, process CPU ${cpuMsPerScan} ms per scan; the ${WARM_UP_SCANS} warm-up scans before ${warmUp.map((ms) => round(ms)).join(', ')} ms`,
    );

    // At the scanner's cadence: each scan once the previous one's events were handled.
    const settled: number[] = [];
    let settledCpuMicros = 0;
    for (let i = 0; i < SCANS; i++) {
      await outboxHandled(db);
      const cpuBefore = process.cpuUsage();
      const t = performance.now();
      events.push(await scanner.scanOnce());
      settled.push(performance.now() - t);
      const spent = process.cpuUsage(cpuBefore);
      settledCpuMicros += spent.user + spent.system;
    }
    await outboxHandled(db);
    const scanOnceSettled = summarise(settled);
    const cpuMsPerSettledScan = round(settledCpuMicros / 1000 / SCANS);
    log(
      `  scanOnce with the previous scan's events handled ${scanOnceSettled.median} ms (p99 ${scanOnceSettled.p99}), process CPU during the scan ${cpuMsPerSettledScan} ms`,
    );
    return {
      runningClocks: counts.rows[0].running,
      clockRows: counts.rows[0].total,
      requests,
      generateSeconds,
      dueQuery: summarise(times),
      scanOnce,
      scanOnceSettled,
      cpuMsPerSettledScan,
      clocksPerScan: BATCH,
      eventsPerScan: median(events),
      cpuMsPerScan,
      warmUpScans: warmUp.map((ms) => round(ms)),
      plan,
      indexUsed: plan.some((l) => /Index (Only )?Scan using sla_clock_next_check/.test(l)),
    };
  } finally {
    await db.end();
  }
}

/**
 * Waits until the SLA outbox has nothing unpublished: in process the relay deletes a row's
 * `outbox_pending` entry once every consumer group handled it.
 */
async function outboxHandled(db: Client, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM outbox_pending) AS any');
    if (!rows[0].any) return;
    if (Date.now() > deadline) throw new Error(`the SLA outbox still had unpublished rows after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
