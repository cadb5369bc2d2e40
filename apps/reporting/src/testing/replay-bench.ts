import { readFileSync } from 'node:fs';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { EventConsumer, InProcessTransport, type DeliveredMessage } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { ServiceRuntime } from '@servicecenter/platform-service';
import { cpuMsOfProcess } from '@servicecenter/testing';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { registerReportingHandlers } from '../events/reporting.consumer';
import { migrations } from '../migrations';
import { importBacklog } from './backlog';

/**
 * The live consumer's work under a backlog, measured: a fresh reporting database (migrations
 * only), the events of an import of REQUESTS requests (testing/backlog.ts), applied in batches
 * of BATCH through the service's consumer (inbox, journal, projections, rollup triggers) as a
 * Kafka partition's backlog would be. Prints events/s, the process's CPU and the PostgreSQL
 * backend's CPU (/proc, when the server runs on this machine).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> npx tsx apps/reporting/src/testing/replay-bench.ts
 */
async function main() {
  const requests = Number(process.env.REQUESTS ?? 2_000);
  const batch = Number(process.env.BATCH ?? 200);
  // Partitions applied at once (Kafka's partitionsConsumedConcurrently); events keyed by subject.
  const partitions = Number(process.env.PARTITIONS ?? 1);
  const config = {
    ...loadSubgraphConfig('reporting', { ...process.env, LOG_LEVEL: 'silent' }),
    poolSize: partitions + 1,
  };
  const runtime = await ServiceRuntime.open({
    config,
    entities: [],
    migrations,
    transport: new InProcessTransport(),
    logger: silentLogger,
  });
  try {
    const { dataSource } = runtime;
    const consumer = new EventConsumer({
      groupId: 'servicecenter.reporting',
      dataSource,
      transport: new InProcessTransport(),
      logger: silentLogger,
      actor: 'system:reporting',
      batchSize: batch,
    });
    registerReportingHandlers(consumer);
    // CUSTOMERS=1 GROUPS=1 DAYS=1: every request on the same few counter rows.
    const events = importBacklog(requests, {
      seed: 7,
      customers: Number(process.env.CUSTOMERS ?? 20),
      groups: Number(process.env.GROUPS ?? 4),
      days: Number(process.env.DAYS ?? 300),
    });
    const partitionOf = (subject: string) =>
      [...subject].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0) % partitions;
    const messages: DeliveredMessage[] = events.map((e, i) => ({
      topic: e.contract.topic,
      partition: partitionOf(e.envelope.subject),
      offset: String(i),
      envelope: e.envelope,
      headers: {},
    }));
    const byPartition = Array.from({ length: partitions }, (_, p) => messages.filter((m) => m.partition === p));
    const backendCpu = async () => {
      const rows: { pid: number }[] = await dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
      );
      let total = 0;
      for (const { pid } of rows) {
        const ms = cpuMsOfProcess(pid);
        if (!Number.isFinite(ms)) return NaN;
        total += ms;
      }
      return total;
    };
    // Connections opened before the measurement (the pool's).
    await Promise.all(Array.from({ length: partitions + 1 }, () => dataSource.query('SELECT pg_sleep(0.01)')));
    // Statements sent (round trips), BEGIN and COMMIT included.
    // and, per kind of statement (its first words), the milliseconds until its answer.
    let statements = 0;
    const spent = new Map<string, { n: number; ms: number }>();
    const query = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = async function (
      this: PostgresQueryRunner,
      ...args: Parameters<typeof query>
    ) {
      statements++;
      const kind = args[0].replace(/\s+/g, ' ').trim().slice(0, 60);
      const started = performance.now();
      try {
        return await query.apply(this, args);
      } finally {
        const entry = spent.get(kind) ?? { n: 0, ms: 0 };
        entry.n++;
        entry.ms += performance.now() - started;
        spent.set(kind, entry);
      }
    } as typeof query;
    const pg0 = await backendCpu();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      byPartition.map(async (list) => {
        for (let i = 0; i < list.length; i += batch) await consumer.handleBatch(list.slice(i, i + batch));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const pg = (await backendCpu()) - pg0;
    PostgresQueryRunner.prototype.query = query;
    const [{ n }]: { n: string }[] = await dataSource.query(`SELECT count(*) AS n FROM event_journal`);
    console.log(
      JSON.stringify({
        requests,
        events: events.length,
        journaled: Number(n),
        batch,
        partitions,
        statementsPerBatch: +(statements / byPartition.reduce((n, l) => n + Math.ceil(l.length / batch), 0)).toFixed(1),
        seconds: +seconds.toFixed(2),
        eventsPerSecond: Math.round(events.length / seconds),
        nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        postgresCpuMs: pg,
        load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      }),
    );
    if (process.env.STATEMENTS)
      for (const [kind, { n, ms }] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
        console.log(`${Math.round(ms).toString().padStart(7)} ms ${String(n).padStart(6)}x  ${kind}`);
  } finally {
    await runtime.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
