import { Pool } from 'pg';
import { GraphClient } from '@servicecenter/testing';
import type { BenchStack } from './bench-stack';
import {
  CONSULTANT,
  QUEUE_PAGE,
  REGISTER,
  gatewayCall,
  queuePageSize,
  queueStraightFromSubgraphs,
  queueThroughGateway,
  registerInput,
} from './graph';
import { repeatLoad, type RepeatedLoad } from './load';
import type { BenchOptions } from './options';
import { prepareHive, startApolloGatewayProcess, startHiveGateway, type ChildGateway } from './processes';
import { median, percentile, round, summarise, type LatencySummary } from './stats';

export type Log = (line: string) => void;

export interface IntakeResult {
  gateway: RepeatedLoad;
  /** The same registrations with `intakePeak` clients at once: a Monday-morning burst. */
  peak: RepeatedLoad & { concurrency: number };
  rawInsert: { throughput: number; throughputs: number[]; latency: LatencySummary };
  /** Registrations per second as a share of raw single-row INSERTs per second. */
  ratioToLimit: number;
}

/** Registrations through the gateway (customer, registerRequest), then raw INSERTs at the same concurrency. */
export async function measureIntake(
  bs: BenchStack,
  options: BenchOptions,
  customerToken: string,
  log: Log,
): Promise<IntakeResult> {
  log(
    `intake: ${options.runs} x ${options.seconds} s of registerRequest through the gateway, ${options.concurrency} clients`,
  );
  const gateway = await repeatLoad(options.runs, {
    scenario: {
      kind: 'single',
      call: gatewayCall(bs.gatewayUrl, customerToken, REGISTER, { input: registerInput(1) }),
    },
    concurrency: options.concurrency,
    durationMs: options.seconds * 1000,
    warmupMs: 500,
  });
  log(
    `  ${gateway.throughput} registrations/s, p99 ${gateway.latency.p99} ms, errors ${gateway.errors}${gateway.firstError ? ` (${gateway.firstError})` : ''}`,
  );

  log(`intake peak: ${options.runs} x ${options.seconds} s of registerRequest, ${options.intakePeak} clients`);
  const peak = await repeatLoad(options.runs, {
    scenario: {
      kind: 'single',
      call: gatewayCall(bs.gatewayUrl, customerToken, REGISTER, { input: registerInput(1) }),
    },
    concurrency: options.intakePeak,
    durationMs: options.seconds * 1000,
    warmupMs: 500,
  });
  log(
    `  ${peak.throughput} registrations/s, p99 ${peak.latency.p99} ms, errors ${peak.errors}${peak.firstError ? ` (${peak.firstError})` : ''}`,
  );

  log(`intake limit: raw single-row INSERTs (autocommit) into a scratch table of the same PostgreSQL`);
  const rawInsert = await rawInserts(bs.env.REQUESTS_DATABASE_URL, options);
  log(`  ${rawInsert.throughput} INSERTs/s, p99 ${rawInsert.latency.p99} ms`);
  return {
    gateway,
    peak: { ...peak, concurrency: options.intakePeak },
    rawInsert,
    ratioToLimit: round(gateway.throughput / rawInsert.throughput, 3),
  };
}

async function rawInserts(databaseUrl: string, options: BenchOptions): Promise<IntakeResult['rawInsert']> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.concurrency });
  try {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigserial PRIMARY KEY, title text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
    const payload = JSON.stringify(registerInput(1));
    const throughputs: number[] = [];
    const latencies: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const started = performance.now();
      const until = started + options.seconds * 1000;
      let count = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (performance.now() < until) {
            const t = performance.now();
            await pool.query('INSERT INTO bench_raw_insert (title, payload) VALUES ($1, $2)', [
              'Payroll run fails',
              payload,
            ]);
            latencies.push(performance.now() - t);
            count += 1;
          }
        }),
      );
      throughputs.push(round((count / (performance.now() - started)) * 1000, 1));
    }
    await pool.query('DROP TABLE bench_raw_insert');
    return { throughput: round(median(throughputs), 1), throughputs, latency: summarise(latencies) };
  } finally {
    await pool.end();
  }
}

/** Registers more requests (plain loop, no timing) until the desk holds `total` of them. */
export async function topUpRequests(
  client: GraphClient,
  customerToken: string,
  have: number,
  total: number,
  concurrency: number,
  log: Log,
): Promise<void> {
  if (have >= total) return;
  log(`loading: ${total - have} more requests through the gateway (to ${total})`);
  let next = have;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await client.ok(REGISTER, { input: registerInput(i) }, customerToken);
      }
    }),
  );
}

export interface QueueTarget {
  name: string;
  description: string;
  load: RepeatedLoad;
  /** RSS of the serving process(es) during the load, MB (median of samples). */
  rssMb?: number;
  /**
   * CPU milliseconds per page of every process serving it: the stack process (subgraphs, and the
   * Apollo gateway when it runs there; without the load generator's thread) plus a gateway
   * process. PostgreSQL's is not counted (a shared server).
   */
  cpuMsPerPage?: number;
  /**
   * The gateway's own CPU milliseconds per page: its process's for a gateway in its own process;
   * for the gateway inside the stack process, that process's CPU per page through the gateway
   * minus its CPU per page for the same data straight from the subgraphs.
   */
  gatewayCpuMsPerPage?: number;
}

/** CPU ms per page, 2 decimals; undefined when nothing completed or /proc could not tell. */
const perPage = (ms: number, pages: number) => (pages > 0 && Number.isFinite(ms) ? round(ms / pages, 2) : undefined);

/** CPU per page of a load served by this process plus a gateway process, and the gateway's own. */
function cpuOfGatewayProcess(load: RepeatedLoad): Pick<QueueTarget, 'cpuMsPerPage' | 'gatewayCpuMsPerPage'> {
  const gatewayMs = load.cpu.pidsMs.gateway ?? Number.NaN;
  return {
    cpuMsPerPage: perPage(load.cpu.selfMs + gatewayMs, load.cpu.requests),
    gatewayCpuMsPerPage: perPage(gatewayMs, load.cpu.requests),
  };
}

export interface QueueResult {
  pageSize: number;
  rows: number;
  targets: QueueTarget[];
  /** Apollo gateway in the stack vs the same data fetched from the subgraphs (latency, median). */
  gatewayOverheadRatio: number;
  /** Hive Gateway vs the Apollo gateway, each in its own process (throughput). */
  hiveVsApolloThroughput?: number;
  hiveError?: string;
  /** RSS of this process (stack + bench) sampled under the queue load, MB. */
  stackRssUnderLoadMb: { median: number; max: number };
}

export async function measureQueue(bs: BenchStack, options: BenchOptions, log: Log): Promise<QueueResult> {
  const token = await bs.client.token(CONSULTANT.roles, { sub: CONSULTANT.id, name: CONSULTANT.name });
  const page = await queuePageSize(bs.client, token, options.pageSize);
  log(
    `queue page: ${page.rows} requests per page (${page.withSla} with their SLA), ${options.runs} x ${options.seconds} s per target, ${options.concurrency} clients`,
  );
  if (page.rows === 0) throw new Error('the consultant queue is empty: the data load did not reach it');
  const common = { concurrency: options.concurrency, durationMs: options.seconds * 1000, warmupMs: 1000 };
  const targets: QueueTarget[] = [];
  const rss: number[] = [];
  const sample = () => rss.push(process.memoryUsage().rss / 1024 ** 2);

  const inStack = await repeatLoad(options.runs, {
    ...common,
    scenario: queueThroughGateway(bs.gatewayUrl, token, options.pageSize),
    onTick: sample,
  });
  targets.push({
    name: 'apollo-in-stack',
    description: 'Apollo gateway in the stack process (as npm start runs it)',
    load: inStack,
    rssMb: round(median(rss), 0),
    cpuMsPerPage: perPage(inStack.cpu.selfMs, inStack.cpu.requests),
  });
  log(
    `  apollo gateway (in stack): ${inStack.throughput} pages/s, median ${inStack.latency.median} ms, p99 ${inStack.latency.p99} ms, errors ${inStack.errors}`,
  );
  if (inStack.firstError) log(`    first error: ${inStack.firstError}`);

  const direct = await repeatLoad(options.runs, {
    ...common,
    scenario: queueStraightFromSubgraphs(bs.subgraphUrls, options.pageSize),
  });
  targets.push({
    name: 'subgraphs-direct',
    description: 'the same data straight from the subgraphs (requests, then sla + escalations _entities)',
    load: direct,
    cpuMsPerPage: perPage(direct.cpu.selfMs, direct.cpu.requests),
  });
  const [inStackTarget, directTarget] = targets;
  if (inStackTarget.cpuMsPerPage !== undefined && directTarget.cpuMsPerPage !== undefined)
    inStackTarget.gatewayCpuMsPerPage = round(inStackTarget.cpuMsPerPage - directTarget.cpuMsPerPage, 2);
  log(
    `  CPU per page: ${inStackTarget.cpuMsPerPage} ms through the gateway in the stack (gateway ${inStackTarget.gatewayCpuMsPerPage} ms), ${directTarget.cpuMsPerPage} ms straight from the subgraphs`,
  );
  log(
    `  straight from the subgraphs: ${direct.throughput} pages/s, median ${direct.latency.median} ms, p99 ${direct.latency.p99} ms, errors ${direct.errors}`,
  );
  if (direct.firstError) log(`    first error: ${direct.firstError}`);

  let hiveVsApolloThroughput: number | undefined;
  let hiveError: string | undefined;
  const children: ChildGateway[] = [];
  try {
    const apollo = await startApolloGatewayProcess(bs.supergraphSdl, bs.subgraphUrls);
    children.push(apollo);
    const apolloRss: number[] = [];
    const apolloLoad = await repeatLoad(options.runs, {
      ...common,
      scenario: queueThroughGateway(apollo.url, token, options.pageSize),
      onTick: () => apolloRss.push(apollo.rssMb()),
      cpuOfPids: { gateway: apollo.pid },
    });
    targets.push({
      name: 'apollo-process',
      description: 'Apollo gateway (apps/gateway main.ts) in its own process',
      load: apolloLoad,
      rssMb: round(median(apolloRss), 0),
      ...cpuOfGatewayProcess(apolloLoad),
    });
    log(
      `  apollo gateway (own process): ${apolloLoad.throughput} pages/s, median ${apolloLoad.latency.median} ms, p99 ${apolloLoad.latency.p99} ms, errors ${apolloLoad.errors}, CPU ${targets[targets.length - 1].cpuMsPerPage} ms/page (gateway ${targets[targets.length - 1].gatewayCpuMsPerPage})`,
    );
    if (apolloLoad.firstError) log(`    first error: ${apolloLoad.firstError}`);
    await apollo.stop();

    if (options.hive) {
      try {
        await prepareHive(log);
        const hive = await startHiveGateway(bs.supergraphSdl);
        children.push(hive);
        const check = await new GraphClient(hive.url).request(QUEUE_PAGE, { first: options.pageSize }, token);
        if (check.errors?.length)
          throw new Error(`Hive answered the queue page with errors: ${JSON.stringify(check.errors).slice(0, 400)}`);
        const hiveRss: number[] = [];
        const hiveLoad = await repeatLoad(options.runs, {
          ...common,
          scenario: queueThroughGateway(hive.url, token, options.pageSize),
          onTick: () => hiveRss.push(hive.rssMb()),
          cpuOfPids: { gateway: hive.pid },
        });
        targets.push({
          name: 'hive-process',
          description: 'Hive Gateway 2.15.1 (bench/hive-gateway) in its own process',
          load: hiveLoad,
          rssMb: round(median(hiveRss), 0),
          ...cpuOfGatewayProcess(hiveLoad),
        });
        log(
          `  hive gateway (own process): ${hiveLoad.throughput} pages/s, median ${hiveLoad.latency.median} ms, p99 ${hiveLoad.latency.p99} ms, errors ${hiveLoad.errors}, CPU ${targets[targets.length - 1].cpuMsPerPage} ms/page (gateway ${targets[targets.length - 1].gatewayCpuMsPerPage})`,
        );
        if (hiveLoad.firstError) log(`    first error: ${hiveLoad.firstError}`);
        hiveVsApolloThroughput = round(hiveLoad.throughput / apolloLoad.throughput, 2);
        await hive.stop();
      } catch (error) {
        hiveError = (error as Error).message.slice(0, 600);
        log(`  hive gateway: not measured: ${hiveError}`);
      }
    }
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
  }

  return {
    pageSize: options.pageSize,
    rows: page.rows,
    targets,
    gatewayOverheadRatio: round(inStack.latency.median / direct.latency.median, 2),
    hiveVsApolloThroughput,
    hiveError,
    stackRssUnderLoadMb: { median: round(median(rss), 0), max: round(percentile(rss, 100), 0) },
  };
}
