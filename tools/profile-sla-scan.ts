import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { systemActor } from '@servicecenter/platform-auth';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { InProcessTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService } from '@servicecenter/platform-service';
import { cpuMsOfProcess } from '@servicecenter/testing';
import { SlaScanner } from '../apps/sla/src/events/sla-scanner';
import { PgAgreementBook } from '../apps/sla/src/persistence/agreement.repository';
import { slaDefinition } from '../apps/sla/src/service';
import { median, round } from '../bench/src/stats';
import { summariseProfile, type CpuProfile } from './profile-summary';

/**
 * `npx tsx tools/profile-sla-scan.ts --database <url> [--scans 40] [--no-relay] [--no-profile] [--out f.cpuprofile]`:
 * the bench's `scanOnce` (bench/src/sla-scan.ts) on an SLA database the bench kept
 * (`npm run bench -- --only sla --keep ...`: `scbench_main_sla_*`), alone in this process
 * (no consumers of the published events), under a V8 CPU profile. Each run takes the next
 * generated clocks that are still due (their next checks lie a second apart per request,
 * days ahead of real time), so a kept database serves many runs. Prints wall and CPU time
 * per scan (CPU of the whole process: with the relay on, its publishing too), the time per
 * statement kind and the top frames by self time. Earlier runs' unpublished events are marked
 * published first.
 */
const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    scans: { type: 'string', default: '40' },
    batch: { type: 'string', default: '200' },
    out: { type: 'string', default: 'sla-scan.cpuprofile' },
    'no-profile': { type: 'boolean', default: false },
    /** Stop the service's outbox relay: the process runs the scans alone. */
    'no-relay': { type: 'boolean', default: false },
  },
});
if (!values.database) throw new Error('--database <url of a kept scbench_main_sla_* database> is required');
const scans = Number(values.scans);
const batch = Number(values.batch);

/**
 * Per statement kind (first words of the SQL), summed over the measured scans: wall time, and
 * the part spent in the `query` call itself (serialising the parameters, writing to the socket).
 */
const statements = new Map<string, { n: number; ms: number; sendMs: number }>();
let timing = false;
function timeStatements(): void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const started = performance.now();
    const result = original.apply(this, args);
    const sent = performance.now();
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    if (!timing || !(result instanceof Promise)) return result;
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
    return result.finally(() => {
      const s = statements.get(key) ?? { n: 0, ms: 0, sendMs: 0 };
      s.n++;
      s.ms += performance.now() - started;
      s.sendMs += sent - started;
      statements.set(key, s);
    });
  };
}

/**
 * CPU time (ms) of this database's server processes so far, per pid, from /proc (the server
 * runs on this machine; 10 ms ticks): what the scans cost PostgreSQL, apart from waiting.
 */
async function serverCpu(db: Client): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const ms = cpuMsOfProcess(pid);
      if (Number.isFinite(ms)) cpu.set(pid, ms);
    } catch {
      // gone meanwhile, or not on this machine
    }
  }
  return cpu;
}

async function main(): Promise<void> {
  timeStatements();
  const db = new Client({ connectionString: values.database });
  await db.connect();
  // The generated clocks' next checks lie days ahead of real time (bench/src/sla-scan.ts).
  const { rows } = await db.query<{ first: Date | null }>(
    `SELECT min(next_check_at) AS first FROM sla_clock WHERE next_check_at > now() + interval '1 day'`,
  );
  // Earlier runs' events are not this run's work: the relay would publish them meanwhile.
  await db.query(`DELETE FROM outbox_pending`);
  const first = rows[0].first;
  if (!first) throw new Error('no generated clock is due any more: generate a new bench database');
  // Per request 5 clocks a second apart: `scans` batches plus the warm-up ones.
  const now = new Date(first.getTime() + Math.ceil(((scans + 5) * batch) / 4) * 1000);

  const service = createSubgraphService(slaDefinition, {
    config: {
      ...loadSubgraphConfig('sla', { NODE_ENV: 'development', SLA_DATABASE_URL: values.database, LOG_LEVEL: 'silent' }),
      port: 0,
    },
    transport: new InProcessTransport(),
    logger: silentLogger,
  });
  await service.start();
  const rt = service.runtime();
  if (values['no-relay']) await rt.relay.stop();
  const scanner = new SlaScanner({
    dataSource: rt.dataSource,
    uow: rt.uow,
    clock: () => now,
    logger: silentLogger,
    agreements: new PgAgreementBook(rt.dataSource.manager),
    actor: systemActor('sla'),
    pollMs: 60_000,
    batchSize: batch,
  });
  try {
    for (let i = 0; i < 5; i++) await scanner.scanOnce(); // warm-up (JIT, agreement cache)
    const session = new Session();
    if (!values['no-profile']) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const serverBefore = await serverCpu(db);
    timing = true;
    const wall: number[] = [];
    const cpu: number[] = [];
    const events: number[] = [];
    for (let i = 0; i < scans; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      events.push(await scanner.scanOnce());
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      wall.push(performance.now() - t);
    }
    timing = false;
    let serverMs = 0;
    for (const [pid, ms] of await serverCpu(db)) serverMs += ms - (serverBefore.get(pid) ?? 0);
    console.log(
      `${scans} scans of ${batch} clocks: wall median ${round(median(wall))} ms, CPU median ${round(median(cpu))} ms, PostgreSQL CPU ${round(serverMs / scans)} ms per scan, ${median(events)} events per scan`,
    );
    console.log('\n| Statement | n | ms per scan | of which sending |\n| --- | --- | --- | --- |');
    for (const [sql, s] of [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`| ${sql} | ${s.n} | ${round(s.ms / scans)} | ${round(s.sendMs / scans)} |`);
    if (!values['no-profile']) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(values.out, JSON.stringify(profile));
      console.log(`\n${summariseProfile(profile as unknown as CpuProfile, 30)}\n\nprofile written to ${values.out}`);
    }
  } finally {
    await service.stop();
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
