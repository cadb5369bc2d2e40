import type { DataSource } from 'typeorm';
import { sharedLoad, withTimeout, type Metrics } from './metrics';

export interface DatabaseMetricsOptions {
  dataSource: DataSource;
  /** The service's clock: timers are due by it (tests move it). */
  clock: () => Date;
  /** Longest a scrape waits for the database (statement timeout and overall); default 2 s. */
  timeoutMs?: number;
  /** A live timer this long past due counts as overdue (default 60 s). */
  overdueAfterMs?: number;
}

/** The pending outbox rows counted at most; a bigger backlog shows as this (bounded cost). */
export const OUTBOX_PENDING_COUNT_LIMIT = 1_000_000;

interface Snapshot {
  outboxPending: number;
  outboxOldestAgeSeconds: number;
  timersDue: number;
  timersOverdue: number;
  timersDead: number;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * Gauges read when Prometheus scrapes: the TypeORM pg pool (in memory) and, in one round trip
 * under a statement timeout, the outbox backlog and the timers. The outbox counts read the
 * pending table (`outbox_pending`), the due timers a partial index (`timer_live_due`); the dead timers' count reads the
 * timer table (live timers only, fired ones are deleted). No query runs per GraphQL request.
 */
export function watchDatabase(metrics: Metrics, options: DatabaseMetricsOptions): void {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const failures = metrics.counter(
    'metrics_collect_failures_total',
    'Scrapes whose database gauges could not be read in time (those gauges are left out)',
    ['collector'],
  );
  const snapshot = sharedLoad(async (): Promise<Snapshot> => {
    const now = options.clock();
    const overdue = new Date(now.getTime() - (options.overdueAfterMs ?? 60_000));
    const work = options.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      const [row] = await manager.query(
        `SELECT
           (SELECT count(*) FROM (SELECT 1 FROM outbox_pending LIMIT $3) p)::int AS outbox_pending,
           COALESCE((SELECT extract(epoch FROM now() - created_at) FROM outbox
                      WHERE seq = (SELECT min(seq) FROM outbox_pending)), 0)::float8 AS outbox_oldest_age,
           (SELECT count(*) FROM timer WHERE due_at <= $1 AND dead_at IS NULL)::int AS timers_due,
           (SELECT count(*) FROM timer WHERE due_at <= $2 AND dead_at IS NULL)::int AS timers_overdue,
           (SELECT count(*) FROM timer WHERE dead_at IS NOT NULL)::int AS timers_dead`,
        [now, overdue, OUTBOX_PENDING_COUNT_LIMIT],
      );
      return row;
    });
    try {
      const row = await withTimeout(work, timeoutMs + 500, 'reading the outbox and timer gauges');
      return {
        outboxPending: Number(row.outbox_pending),
        outboxOldestAgeSeconds: Math.max(0, Number(row.outbox_oldest_age)),
        timersDue: Number(row.timers_due),
        timersOverdue: Number(row.timers_overdue),
        timersDead: Number(row.timers_dead),
      };
    } catch (error) {
      failures.inc({ collector: 'database' });
      throw error;
    }
  }, 1_000);

  const fromSnapshot = (name: string, help: string, pick: (s: Snapshot) => number) =>
    metrics.gauge(name, help, [], async function () {
      try {
        this.set(pick(await snapshot()));
      } catch {
        this.reset(); // no sample rather than a stale one
      }
    });
  fromSnapshot('outbox_pending_events', 'Outbox rows not yet published', (s) => s.outboxPending);
  fromSnapshot(
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest unpublished outbox row by the database clock (0 when none)',
    (s) => s.outboxOldestAgeSeconds,
  );
  fromSnapshot('timers_due', 'Live durable timers due by the service clock', (s) => s.timersDue);
  fromSnapshot('timers_overdue', 'Live durable timers due for more than a minute', (s) => s.timersOverdue);
  fromSnapshot('timers_dead', 'Durable timers whose handler kept failing (kept, not retried)', (s) => s.timersDead);

  const pool = () => (options.dataSource.driver as unknown as { master?: PgPool }).master;
  const poolGauge = (name: string, help: string, pick: (p: PgPool) => number | undefined) =>
    metrics.gauge(name, help, [], function () {
      const p = pool();
      const value = p ? pick(p) : undefined;
      if (value === undefined) this.reset();
      else this.set(value);
    });
  poolGauge('db_pool_connections', 'Connections the pg pool holds (busy and idle)', (p) => p.totalCount);
  poolGauge('db_pool_idle_connections', 'Idle connections in the pg pool', (p) => p.idleCount);
  poolGauge('db_pool_waiting_clients', 'Callers waiting for a pooled connection', (p) => p.waitingCount);
  poolGauge('db_pool_max_connections', 'Size limit of the pg pool', (p) => p.options?.max);
}
