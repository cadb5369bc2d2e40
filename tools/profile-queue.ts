// First: the services run as the bench runs them (NODE_ENV=production, read by libraries when they load).
import '../bench/src/production-mode';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { SUBGRAPHS } from '@servicecenter/platform-config';
import { count, createBenchDatabases, settle, startBenchStack } from '../bench/src/bench-stack';
import { CONSULTANT, CUSTOMER, queueStraightFromSubgraphs, queueThroughGateway } from '../bench/src/graph';
import { repeatLoad } from '../bench/src/load';
import { startApolloGatewayProcess, type ChildGateway } from '../bench/src/processes';
import { topUpRequests } from '../bench/src/throughput';
import { createDesk, tokenFor } from '../apps/stack/src/testing/desk-fixture';
import { summariseProfile, type CpuProfile } from './profile-summary';

/**
 * `npx tsx tools/profile-queue.ts [--seconds 20] [--requests 3000] [--page-size 50] [--direct] [--out f.cpuprofile]`:
 * the bench's queue page (docs/performance.md "How it measures") under a V8 CPU profile of the
 * stack process (gateway + subgraphs; the load generator runs in a worker thread that is not
 * profiled), plus the statements each subgraph's database ran per page (pg_stat_database
 * commits: every read is an autocommit statement). Prints the top frames by self time.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    requests: { type: 'string', default: '3000' },
    'page-size': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    direct: { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
    /** Through apps/gateway in its own process, which writes its own profile (node --cpu-prof) into this folder. */
    'gateway-process': { type: 'string' },
    out: { type: 'string', default: 'queue.cpuprofile' },
  },
});
const PROFILE_HOOK = `const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () =>
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(process.env.PROFILE_DIR + '/gateway-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  }),
);
`;
const log = (line: string) => console.log(`[profile ${new Date().toISOString().slice(11, 19)}] ${line}`);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function commitsByDatabase(names: string[]): Promise<Map<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ datname: string; n: string }>(
      `SELECT datname, xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = ANY($1)`,
      [names],
    );
    return new Map(rows.map((r) => [r.datname, Number(r.n)]));
  } finally {
    await db.end();
  }
}

/** With --statements: every statement the stack's pg clients send while `recording`, by database and text. */
const statements = new Map<string, number>();
let recording = false;
if (values.statements) {
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    if (recording) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      const key = `${this.database}: ${String(text).replace(/\s+/g, ' ').slice(0, 160)}`;
      statements.set(key, (statements.get(key) ?? 0) + 1);
    }
    return query.apply(this, args);
  } as never;
}

async function main() {
  const pageSize = Number(values['page-size']);
  const databases = await createBenchDatabases(databaseUrl, 'prof');
  const bs = await startBenchStack(databases);
  let child: ChildGateway | undefined;
  try {
    await createDesk(bs);
    const customerToken = await tokenFor(bs.client, CUSTOMER.id);
    const have = await count(bs.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
    await topUpRequests(bs.client, customerToken, have, Number(values.requests), 8, log);
    await settle(bs);
    const token = await tokenFor(bs.client, CONSULTANT.id);
    const profileDir = values['gateway-process'];
    if (profileDir) {
      // node refuses --cpu-prof in NODE_OPTIONS: a preloaded hook profiles the child and writes on exit.
      const hook = join(profileDir, 'profile-hook.cjs');
      writeFileSync(hook, PROFILE_HOOK);
      const saved = { ...process.env };
      process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --require ${hook}`;
      process.env.PROFILE_DIR = profileDir;
      try {
        child = await startApolloGatewayProcess(bs.supergraphSdl, bs.subgraphUrls);
      } finally {
        for (const key of ['NODE_OPTIONS', 'PROFILE_DIR']) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
    }
    const scenario = values.direct
      ? queueStraightFromSubgraphs(bs.subgraphUrls, pageSize)
      : queueThroughGateway(child?.url ?? bs.gatewayUrl, token, pageSize);
    const load = {
      scenario,
      concurrency: Number(values.concurrency),
      durationMs: 3000,
      warmupMs: 1000,
      ...(child ? { cpuOfPids: { gateway: child.pid } } : {}),
    };
    await repeatLoad(1, load); // warm-up: JIT, caches, connections
    await new Promise((r) => setTimeout(r, 1500));
    const before = await commitsByDatabase(databases.names);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    recording = true;
    const run = await repeatLoad(1, { ...load, durationMs: Number(values.seconds) * 1000, warmupMs: 0 });
    recording = false;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    await new Promise((r) => setTimeout(r, 1500)); // pg_stat flushes at most once a second per backend
    const after = await commitsByDatabase(databases.names);
    writeFileSync(values.out as string, JSON.stringify(profile));
    const pages = run.cpu.requests;
    const cpu = run.cpu.selfMs;
    log(
      `${values.direct ? 'straight from the subgraphs' : 'through the gateway'}: ${pages} pages, ${run.throughput} pages/s, ${(cpu / pages).toFixed(1)} CPU ms/page (profiled), errors ${run.errors}${run.firstError ? ` (${run.firstError})` : ''}`,
    );
    SUBGRAPHS.forEach((s, i) => {
      const name = databases.names[i];
      const statements = (after.get(name) ?? 0) - (before.get(name) ?? 0);
      if (statements > 0) log(`  ${s}: ${(statements / pages).toFixed(2)} statements per page`);
    });
    for (const [text, n] of [...statements].sort((a, b) => b[1] - a[1]))
      log(`  ${(n / pages).toFixed(2)} per page: ${text}`);
    if (child && profileDir) {
      log(`  gateway process: ${(run.cpu.pidsMs.gateway / pages).toFixed(1)} CPU ms/page`);
      await child.stop();
      log(
        `  its profile (start-up included): ${profileDir}/gateway-*.cpuprofile (npx tsx tools/profile-summary.ts <file>)`,
      );
    }
    console.log(summariseProfile(profile, 20));
    log(`profile written to ${values.out}`);
  } finally {
    await child?.stop();
    await bs.stack.stop();
    await databases.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
