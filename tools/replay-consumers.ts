import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpuMsOfProcess, runNsOfProcess } from '@servicecenter/testing';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { InProcessTransport, type DeliveredMessage, type EventConsumer } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { ServiceRuntime } from '@servicecenter/platform-service';
import { REQUEST_EVENTS, SlaWarningReached, type EventEnvelope } from '@servicecenter/contracts';
import { registerAttentionEventHandlers } from '../apps/escalations/src/events/attention-events.consumer';
import { registerDirectoryEventHandlers } from '../apps/escalations/src/events/directory-events.consumer';
import { registerRequestEventHandlers } from '../apps/escalations/src/events/request-events.consumer';
import { migrations as escalationMigrations } from '../apps/escalations/src/migrations';
import { registerReportingHandlers } from '../apps/reporting/src/events/reporting.consumer';
import { PROJECTION_TABLES } from '../apps/reporting/src/events/projections';
import { migrations as reportingMigrations } from '../apps/reporting/src/migrations';
import { importBacklog } from '../apps/reporting/src/testing/backlog';
import { registerDirectoryEventHandlers as registerReleaseTestingDirectoryHandlers } from '../apps/release-testing/src/events/directory-events.consumer';
import { registerRequestEventHandlers as registerReleaseTestingRequestHandlers } from '../apps/release-testing/src/events/request-events.consumer';
import { migrations as releaseTestingMigrations } from '../apps/release-testing/src/migrations';
import { registerRequestEventHandlers as registerSlaRequestHandlers } from '../apps/sla/src/events/request-events.consumer';
import { registerDirectoryEventHandlers as registerSlaDirectoryHandlers } from '../apps/sla/src/events/directory-events.consumer';
import { migrations as slaMigrations } from '../apps/sla/src/migrations';
import { fixedAgreementBook } from '../apps/sla/src/persistence/agreement.repository';

/**
 * The escalations, reporting and release-testing consumers' cost per event, on a fresh database each:
 *
 *   npx tsx tools/replay-consumers.ts [--requests 2000] [--batch 200] [--service escalations,reporting,release-testing]
 *     [--events backlog.json] [--prefix replay_] [--keep]
 *
 * 1. live: each request's registration (and one SLA warning) delivered alone, as the stack
 *    hands over a single committed event: statements per event;
 * 2. backlog: the events of an import of `--requests` requests (apps/reporting testing/backlog.ts:
 *    ~18 events a request, request and SLA topics, histories interleaved) in batches of
 *    `--batch`, as a Kafka partition's backlog: statements, Node CPU and PostgreSQL backend CPU
 *    per imported request, events/s.
 * Then an md5 of each service's read models (ordered rows), so two versions of the consumers can
 * be compared on the same events: `--events f.json` writes the generated events there on the
 * first run and replays that file on later runs.
 * `DATABASE_URL` names the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '200' },
    service: { type: 'string', default: 'escalations,reporting' },
    events: { type: 'string' },
    prefix: { type: 'string', default: 'replay_' },
    keep: { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
  },
});
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const batch = Number(values.batch);

interface Target {
  service: 'escalations' | 'reporting' | 'release-testing' | 'sla';
  migrations: Function[];
  register(consumer: EventConsumer): void;
  /** The read-model tables whose content must not depend on how the events were applied. */
  tables: readonly string[];
}

const TARGETS: Record<string, Target> = {
  escalations: {
    service: 'escalations',
    migrations: escalationMigrations,
    register(consumer) {
      registerRequestEventHandlers(consumer);
      registerAttentionEventHandlers(consumer);
      registerDirectoryEventHandlers(consumer);
    },
    tables: ['request_view', 'sla_risk', 'request_ask', 'notification'],
  },
  reporting: {
    service: 'reporting',
    migrations: reportingMigrations,
    register: registerReportingHandlers,
    tables: [...PROJECTION_TABLES, 'event_journal'],
  },
  'release-testing': {
    service: 'release-testing',
    migrations: releaseTestingMigrations,
    register(consumer) {
      registerReleaseTestingRequestHandlers(consumer);
      registerReleaseTestingDirectoryHandlers(consumer);
    },
    tables: ['request_ref', 'customer_relation'],
  },
  sla: {
    service: 'sla',
    migrations: slaMigrations,
    register(consumer) {
      // The generic agreement (no customer agreement saved, as in the seed).
      registerSlaRequestHandlers(consumer, fixedAgreementBook());
      registerSlaDirectoryHandlers(consumer);
    },
    tables: ['request_sla', 'request_sla_state', 'sla_clock', 'sla_timeline_entry', 'outbox', 'customer_ref'],
  },
};

/** What a digest reads of tables with ids or instants new on every run (else the whole row). */
const COLUMNS: Record<string, string> = {
  notification:
    '(t.recipient_person_id, t.recipient_role, t.recipient_customer_id, t.kind, t.title, t.message, t.link, t.created_at)',
  event_journal: '(t.position, t.event_id, t.type, t.source, t.subject, t.sequence, t.time, t.topic, t.data)',
  rp_freshness: '(t.topic, t.last_event_id, t.last_event_type, t.last_event_time, t.last_sequence, t.events_applied)',
  outbox:
    "(t.seq, t.topic, t.message_key, t.event_type, t.envelope->'data', t.envelope->>'causationid', t.envelope->>'correlationid', t.envelope->>'source')",
};

/** The CPU time a backend has run so far, ns. */
const backendRunNs = (pid: number | undefined): number => (pid ? runNsOfProcess(pid) : Number.NaN);

/**
 * Statements sent per kind (first words), with the wall time until the answer and the CPU its
 * backend spent meanwhile (triggers included: a statement-level trigger runs inside the statement).
 * The consumer sends one statement at a time per connection, so the backend's CPU between send
 * and answer is the statement's.
 */
const spent = new Map<string, { n: number; ms: number; backendMs: number }>();
let counting = false;
let statements = 0;
{
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const pid = (this as unknown as { processID?: number }).processID;
    const startedNs = counting && values.statements ? backendRunNs(pid) : Number.NaN;
    const result = original.apply(this, args);
    if (!counting || !(result instanceof Promise)) return result;
    statements++;
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const started = performance.now();
    return result.finally(() => {
      const s = spent.get(key) ?? { n: 0, ms: 0, backendMs: 0 };
      s.n++;
      s.ms += performance.now() - started;
      const ns = backendRunNs(pid) - startedNs;
      if (Number.isFinite(ns)) s.backendMs += ns / 1e6;
      spent.set(key, s);
    });
  };
}

/** CPU of this database's backends, ms (`cpuMsOfProcess` of @servicecenter/testing; a backend that ended counts nothing). */
async function backendCpuMs(db: Client): Promise<number> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows.map(({ pid }) => cpuMsOfProcess(pid)).reduce((sum, ms) => sum + (Number.isFinite(ms) ? ms : 0), 0);
}

function loadEvents(requests: number): { topic: string; envelope: EventEnvelope }[] {
  if (values.events && existsSync(values.events))
    return JSON.parse(readFileSync(values.events, 'utf8')) as { topic: string; envelope: EventEnvelope }[];
  const events = importBacklog(requests, { seed: 7 }).map((e) => ({ topic: e.contract.topic, envelope: e.envelope }));
  if (values.events) writeFileSync(values.events, JSON.stringify(events));
  return events;
}

async function measure(target: Target, events: { topic: string; envelope: EventEnvelope }[], requests: number) {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `${values.prefix}${target.service.replace(/-/g, '_')}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const env = {
    ...process.env,
    LOG_LEVEL: 'silent',
    [`${target.service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`]: url.toString(),
  };
  const runtime = await ServiceRuntime.open({
    config: { ...loadSubgraphConfig(target.service, env), poolSize: 2 },
    entities: [],
    migrations: target.migrations,
    transport: new InProcessTransport(),
    logger: silentLogger,
  });
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const consumer = runtime.consumer();
    target.register(consumer);
    const messages: DeliveredMessage[] = events.map((e, i) => ({
      topic: e.topic,
      partition: 0,
      offset: String(i),
      envelope: e.envelope,
      headers: {},
    }));
    await Promise.all([0, 1].map(() => runtime.dataSource.query('SELECT 1')));
    // 1. Live: registrations and SLA warnings one at a time (the first 100 of each).
    const live = new Map<string, { events: number; statements: number }>();
    const single = [
      ['registration', messages.filter((m) => m.envelope.type === REQUEST_EVENTS[0].type).slice(0, 100)],
      ['sla warning', messages.filter((m) => m.envelope.type === SlaWarningReached.type).slice(0, 100)],
    ] as const;
    const liveIds = new Set<string>();
    for (const [label, list] of single) {
      statements = 0;
      counting = true;
      for (const m of list) await consumer.handleBatch([m]);
      counting = false;
      live.set(label, { events: list.length, statements });
      for (const m of list) liveIds.add(m.envelope.id);
    }
    // 2. The backlog (the live ones again: redeliveries, which the inbox skips).
    spent.clear();
    statements = 0;
    const pg0 = await backendCpuMs(db);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    counting = true;
    for (let i = 0; i < messages.length; i += batch) await consumer.handleBatch(messages.slice(i, i + batch));
    counting = false;
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const pg = (await backendCpuMs(db)) - pg0;
    const digest: Record<string, string> = {};
    for (const table of target.tables) {
      const { rows } = await db.query<{ md5: string; n: string }>(
        `SELECT md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS md5, count(*) AS n
           FROM (SELECT ${COLUMNS[table] ?? 't'}::text AS r FROM ${table} t) x`,
      );
      digest[table] = `${rows[0].n}:${rows[0].md5.slice(0, 12)}`;
    }
    console.log(
      JSON.stringify({
        service: target.service,
        live: Object.fromEntries(
          [...live].map(([k, v]) => [k, { statementsPerEvent: +(v.statements / Math.max(1, v.events)).toFixed(2) }]),
        ),
        backlog: {
          requests,
          events: messages.length,
          batch,
          statementsPerRequest: +(statements / requests).toFixed(2),
          nodeCpuMsPerRequest: +((cpu.user + cpu.system) / 1000 / requests).toFixed(3),
          postgresCpuMsPerRequest: +(pg / requests).toFixed(3),
          eventsPerSecond: Math.round(messages.length / seconds),
        },
        digest,
        load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      }),
    );
    if (values.statements)
      for (const [kind, { n, ms, backendMs }] of [...spent]
        .sort((a, b) => b[1].backendMs - a[1].backendMs)
        .slice(0, 15))
        console.log(
          `${String(n).padStart(7)}x ${Math.round(ms).toString().padStart(6)} ms ${Math.round(backendMs).toString().padStart(6)} ms backend CPU  ${kind}`,
        );
  } finally {
    await db.end();
    await runtime.stop();
    if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

async function main() {
  const requests = Number(values.requests);
  const events = loadEvents(requests);
  const counted = new Set(events.map((e) => (e.envelope.data as { requestId?: string }).requestId));
  for (const service of (values.service ?? '').split(',')) {
    const target = TARGETS[service];
    if (!target) throw new Error(`--service: ${Object.keys(TARGETS).join(', ')}, not ${service}`);
    await measure(target, events, counted.size);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
