import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { Client } from 'pg';
import { createBenchDatabases, startBenchStack } from '../bench/src/bench-stack';
import { CONSULTANT, CUSTOMER, REGISTER, registerInput } from '../bench/src/graph';
import { createDesk } from '../apps/stack/src/testing/desk-fixture';
import { summariseProfile, type CpuProfile } from './profile-summary';

/**
 * `npx tsx tools/profile-events.ts [--samples 50]` (KAFKA_BROKERS set: over Kafka): the bench's
 * event latency (bench/src/events.ts) with the chain taken apart. Every statement the stack's
 * pg clients send is timed, by service (application_name), and each sample's stages are read
 * off them, relative to the registerRequest answer: the registration's COMMIT, the relay's
 * claim, the SLA consumer's inbox insert (its transaction started) and COMMIT, and the polls
 * through the gateway. Prints the median and p90 of each stage and of the SLA transaction's
 * statement count, and the stack process's CPU per sample (registration, every consumer, the
 * polls; the tool's own client is in the same process). Registrations are sequential, as in the bench; the first five warm up.
 */
const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '50' },
    profile: { type: 'string' },
    /** Pause after a sample's clock was seen before the next registration (the bench: 0). */
    gap: { type: 'string', default: '100' },
    /** Print the stages of the slowest samples, with what else ran and GC pauses in them. */
    slowest: { type: 'string', default: '0' },
  },
});
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SLA_OF = `query SlaOf($id: ID!) { request(id: $id) { id sla { targets { kind state dueAt } } } }`;

interface Statement {
  client: Client;
  service: string;
  sql: string;
  sent: number;
  done?: number;
}
const statements: Statement[] = [];
let recording = false;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const result = query.apply(this, args);
  if (!recording) return result;
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
  const application = (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters
    ?.application_name;
  const entry: Statement = {
    client: this,
    service: String(application ?? '').replace(/^servicecenter-/, ''),
    sql: String(text).replace(/\s+/g, ' ').trim(),
    sent: performance.now(),
  };
  statements.push(entry);
  if (result && typeof (result as Promise<unknown>).then === 'function')
    (result as Promise<unknown>).then(
      () => (entry.done = performance.now()),
      () => (entry.done = performance.now()),
    );
  return result;
} as never;

/** The statements of the transaction that ran `first` on its connection, from its START to its COMMIT. */
function transactionOf(first: Statement): Statement[] {
  const mine = statements.filter((s) => s.client === first.client);
  const at = mine.indexOf(first);
  let start = at;
  while (start > 0 && mine[start].sql !== 'START TRANSACTION') start--;
  let end = at;
  while (end < mine.length - 1 && mine[end].sql !== 'COMMIT') end++;
  return mine.slice(start, end + 1);
}

const quantile = (values: number[], q: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] * 10) / 10 : NaN;
};

async function main() {
  const samples = Number(values.samples);
  const kafka = process.env.KAFKA_BROKERS;
  const databases = await createBenchDatabases(databaseUrl, 'profev');
  const bs = await startBenchStack(databases, kafka ? { KAFKA_BROKERS: kafka } : {});
  const rows: Record<string, number>[] = [];
  const detail: { i: number; byService: Record<string, number>; gc: string; timeline: string[] }[] = [];

  try {
    await createDesk(bs);
    const { client } = bs;
    const customer = await client.token(CUSTOMER.roles, {
      sub: CUSTOMER.id,
      customerId: CUSTOMER.customerId,
      name: CUSTOMER.name,
    });
    const consultant = await client.token(CONSULTANT.roles, { sub: CONSULTANT.id, name: CONSULTANT.name });
    let session: Session | undefined;
    const gcs: { kind: number; start: number; end: number; duration: number }[] = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        gcs.push({
          kind: (e as unknown as { detail?: { kind: number } }).detail?.kind ?? 0,
          start: e.startTime,
          end: e.startTime + e.duration,
          duration: e.duration,
        });
    }).observe({ entryTypes: ['gc'] });
    for (let i = 0; i < samples + 5; i++) {
      if (i === 5 && values.profile) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
      }
      statements.length = 0;
      recording = true;
      const cpu = process.cpuUsage();
      const began = performance.now();
      const registered = await client.ok<{ registerRequest: { request: { id: string } } }>(
        REGISTER,
        { input: registerInput(i) },
        customer,
      );
      const answered = performance.now();
      const id = registered.registerRequest.request.id;
      const polls: { sent: number; done: number }[] = [];
      for (;;) {
        const sent = performance.now();
        const data = await client.ok<{ request: { sla: { targets: unknown[] } | null } | null }>(
          SLA_OF,
          { id },
          consultant,
        );
        polls.push({ sent, done: performance.now() });
        if (data.request?.sla?.targets.length) break;
        await new Promise((r) => setTimeout(r, 1)); // as bench/src/events.ts
      }
      const gap = Number(values.gap);
      if (gap > 0) await new Promise((r) => setTimeout(r, gap)); // the other consumers and the mark-published
      const windowEnd = polls[polls.length - 1].done;
      const during = statements.filter((s) => s.sent <= windowEnd);
      const byService: Record<string, number> = {};
      for (const s of during) byService[s.service] = (byService[s.service] ?? 0) + 1;
      const gcIn = gcs.filter((g) => g.end >= answered - 50 && g.start <= windowEnd);
      detail.push({
        i,
        byService,
        gc: gcIn.map((g) => `${g.kind}:${g.duration.toFixed(1)}@${(g.start - answered).toFixed(1)}`).join(' '),
        timeline: during
          .filter((s) => s.sent >= began)
          .map(
            (s) =>
              `${(s.sent - answered).toFixed(1)}-${((s.done ?? NaN) - answered).toFixed(1)} ${s.service} ${s.sql.slice(0, 50)}`,
          ),
      });
      recording = gap === 0;
      const { user, system } = process.cpuUsage(cpu);
      if (i < 5) continue;
      const at = (t: number | undefined) => (t === undefined ? NaN : t - answered);
      const registration = statements.find(
        (s) => s.service === 'requests' && s.sql.startsWith('INSERT INTO "request"('),
      );
      const commit = registration && transactionOf(registration).at(-1);
      const claim = statements.find(
        (s) => s.service === 'requests' && /pg_try_advisory_xact_lock/.test(s.sql) && s.sent >= (commit?.sent ?? 0),
      );
      const claimTx = claim ? transactionOf(claim) : [];
      const inbox = statements.find((s) => s.service === 'sla' && s.sql.startsWith('INSERT INTO inbox'));
      const slaTx = inbox ? transactionOf(inbox) : [];
      const last = polls[polls.length - 1];
      rows.push({
        sample: i,
        'registration COMMIT sent': at(commit?.sent),
        'registration COMMIT done': at(commit?.done),
        'relay claim START sent': at(claimTx[0]?.sent),
        'relay claim statement done': at(claim?.done),
        'relay claim COMMIT done': at(claimTx.at(-1)?.done),
        'sla START sent': at(slaTx[0]?.sent),
        'sla inbox insert sent': at(inbox?.sent),
        'sla COMMIT sent': at(slaTx.at(-1)?.sent),
        'sla COMMIT done': at(slaTx.at(-1)?.done),
        'sla statements (with START, COMMIT)': slaTx.length,
        'last poll sent': at(last.sent),
        'last poll duration': last.done - last.sent,
        'first poll duration': polls[0].done - polls[0].sent,
        polls: polls.length,
        'latency (bench figure)': at(last.done),
        'stack CPU ms (registration, chain, polls)': (user + system) / 1000,
        'statements (all services)': statements.length,
      });
    }
    if (session) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      writeFileSync(values.profile as string, JSON.stringify(profile));
      console.log(summariseProfile(profile, 25));
    }
  } finally {
    await bs.stack.stop();
    await databases.drop();
  }
  const slowest = Number(values.slowest);
  if (slowest > 0) {
    const sorted = [...rows]
      .sort((a, b) => b['latency (bench figure)'] - a['latency (bench figure)'])
      .slice(0, slowest);
    for (const r of sorted) {
      const d = detail.find((x) => x.i === r.sample);
      if (!d) continue;
      console.log(
        `\n--- sample ${r.sample}: ${r['latency (bench figure)'].toFixed(1)} ms, polls ${r.polls}; statements ${JSON.stringify(d.byService)}; gc ${d.gc}`,
      );
      for (const k of Object.keys(r)) console.log(`   ${k}: ${typeof r[k] === 'number' ? r[k].toFixed(1) : r[k]}`);
      for (const t of d.timeline) console.log(`     ${t}`);
    }
  }
  console.log(
    `${rows.length} samples (${kafka ? `Kafka ${kafka}` : 'in-process'}), ms after the registerRequest answer:`,
  );
  console.log(`${'stage'.padEnd(38)} ${'median'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)}`);
  const column = (key: string, q: number) =>
    String(
      quantile(
        rows.map((r) => r[key]),
        q,
      ),
    ).padStart(8);
  for (const key of Object.keys(rows[0]))
    console.log(`${key.padEnd(38)} ${column(key, 0.5)} ${column(key, 0.9)} ${column(key, 0.99)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
