import { SUBGRAPHS, type SubgraphName } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { SeedClient, SeedError, type Connection, type SeedLog } from '../client';
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from '../steps';
import { customerFilters, generateDirectory, type GenDirectory } from './directory';
import { MovingClock, drive, formatDuration, importAll, type DriveResult } from './driver';
import { makePlan, type Plan, type Track } from './stories';
import { HOUR } from './working-time';
import { RunBacklog } from '../processes/backlog';
import { deleteKafkaNamespace, ownUsage, startProcesses, type ProcessUsage } from '../processes/run';
import { databaseSizes, postgresCpuSeconds, seedDatabaseUrl } from '../processes/databases';

export interface GenerateOptions {
  requests: number;
  seed?: number;
  /** The end of the generated year (the present of the desk); default: now, rounded down to the hour. */
  until?: Date;
  /** A running gateway (`npm start`): every step happens now, by the graph's real clock. */
  url?: string;
  /** In-process: the graph is started here on this PostgreSQL server URL (else DATABASE_URL, else embedded). */
  databaseUrl?: string;
  /** In-process: database names `<prefix><service>` instead of `servicecenter_<service>`. */
  databasePrefix?: string;
  /**
   * In-process on a server URL: the services' connections commit without waiting for the
   * WAL flush (`synchronous_commit=off`, per connection). Every transaction stays atomic
   * and the outbox exactly as it is; a crash of the server may lose the last moments.
   */
  asyncCommit?: boolean;
  /**
   * Pause new steps while this many events wait in the requests outbox (the read models' lag;
   * default 3000); with `processes`, pause the import while the slowest consumer is this many
   * events behind (outboxes and Kafka lag; default 20,000).
   */
  maxBacklog?: number;
  /** In-process, tests: an already running graph with its clock (the generator moves it), and how to fire its due timers. */
  stack?: { gatewayUrl: string; clock: MovingClock; runTimers?: () => Promise<void> };
  secret: string;
  concurrency?: number;
  /** How far the clock may run ahead of the oldest step in flight (default 30 minutes). */
  maxSkewMs?: number;
  log?: SeedLog;
  /** Keep the played tracks in the result (tests). */
  keepTracks?: boolean;
  /**
   * Import the histories that need no other service with `importRequests` (docs/import.md)
   * after playing the others live: the way to load hundreds of thousands of requests.
   */
  importHistories?: boolean;
  /**
   * With `importHistories` on a server URL: import into the services started as separate
   * processes (each subgraph and the gateway in its own Node process, events over Kafka at
   * `KAFKA_BROKERS`, topics and groups prefixed for this run), after the live part played
   * in-process with the moving clock. See docs/seed.md, "--processes".
   */
  processes?: boolean;
  /** `importRequests` calls in flight at once (default 2; 4 with `processes`). */
  importConcurrency?: number;
  /** With `processes`: write a V8 CPU profile of every process here (node --cpu-prof). */
  cpuProfDir?: string;
  /**
   * With `importHistories`: play the live part only and stop (nothing is imported); its figures
   * (histories, mutations, wall, CPU, waits, where the time went) are logged and returned.
   */
  liveOnly?: boolean;
}

export interface GenerateSummary {
  plan: {
    requests: number;
    seed: number;
    from: string;
    until: string;
    customers: number;
    products: number;
    people: number;
    disruptions: number;
  };
  directory: { created: number; skipped: number };
  drive: DriveResult;
  /** Until the outbox backlogs were empty and every consumer had applied what it was sent. */
  drainMs: number;
  eventsApplied: Record<string, number>;
  byStatus: Record<RequestStatus, number>;
  byType: Record<RequestType, number>;
  durationMs: number;
  tracks?: Map<number, Track>;
  /** With `processes`: peak RSS, CPU and SQL statements of each process, and the generator's own. */
  processes?: ProcessUsage[];
  /** On a server URL: pg_database_size of each service's database, MB. */
  databaseMb?: Record<string, number>;
  /** CPU of this process (user + system) during the live play, seconds. */
  liveCpuSeconds: number;
}

export const DEFAULT_SEED = 20261123;
/**
 * `--processes`: the import pauses while the slowest consumer is more than this many events
 * behind (≈ 10 import calls of 100 histories): enough for the consumers to apply large sets,
 * little enough that the import does not run away from the read models.
 */
const PROCESSES_MAX_BACKLOG = 20_000;
/** How far the clock may run ahead of a step in flight: far below the services' timers (working days). */
const MAX_SKEW_MS = 30 * 60_000;

/**
 * `npm run seed -- --requests N`: a desk of N requests with a year of history, played
 * through the services' GraphQL API (the gateway) so that every read model fills from the
 * services' own events. In-process (no `--url`) the graph runs here with a clock the
 * generator moves along the history, so timestamps, SLA clocks and timers are historical.
 */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const until = floorHour(options.until?.getTime() ?? Date.now());
  const directory = generateDirectory(seed, options.requests);
  const plan = makePlan(seed, options.requests, directory, until);
  const lookup = (id: string) => directory.byId.get(id);

  const server = options.databaseUrl ?? process.env.DATABASE_URL;
  const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (options.liveOnly && !options.importHistories)
    throw new Error('--live-only plays the part that --import does not import: use it with --import');
  if (options.processes) {
    if (options.stack || options.url || !server || !options.importHistories)
      throw new Error('--processes imports into services of their own on DATABASE_URL: it needs --import, no --url');
    if (!kafkaBrokers.length)
      throw new Error('--processes: the services talk over Kafka; set KAFKA_BROKERS (e.g. 127.0.0.1:9092)');
  }
  let stop = async () => undefined as void;
  let url = options.url;
  let clock: MovingClock | undefined;
  let runTimers: (() => Promise<void>) | undefined;
  if (options.stack) {
    url = options.stack.gatewayUrl;
    clock = options.stack.clock;
    runTimers = options.stack.runTimers;
    clock.advanceTo(plan.from - 24 * HOUR);
  } else if (!url) {
    clock = new MovingClock(plan.from - 24 * HOUR);
    const running = await startInProcess(options, clock, log);
    url = running.gatewayUrl;
    stop = running.stop;
    runTimers = running.runTimers;
  }
  let processUsage: ProcessUsage[] | undefined;
  let collectUsage = async () => undefined as void;
  /** `--processes`: waits for the consumers on the broker's lag and tells the processes' CPU of the catch-up. */
  let drainProcesses = async () => undefined as void;
  try {
    let client = new SeedClient(url, options.secret, lookup, '24h');
    log(
      `Plan: ${options.requests} requests (seed ${seed}) from ${iso(plan.from)} to ${iso(until)}, ${directory.customers.length} customers, ${directory.products.length} products, ${directory.people.length} people, ${plan.disruptions.length} disruptions`,
    );
    const dirTally = await loadGeneratedDirectory(client, directory, log);
    // Escalations and release testing check product and customer ids against their copy of
    // the directory, which its events fill: let them arrive before the first notice or release.
    if (dirTally.created > 0) await waitForDrain(client, directory.admin, log);
    const existing = await existingIndices(client, directory, seed, log);
    const released = await productsWithReleases(client, directory);
    log(
      `Playing the histories${clock ? ' in-process with a moving clock' : ` through ${url} (real time)`}, ${options.concurrency ?? 32} at a time${existing.size ? `, skipping ${existing.size} requests that exist` : ''}:`,
    );
    const backlog = async () =>
      (
        await client.run<{ requestsStatus: { outboxBacklog: number } }>(
          directory.admin,
          '{ requestsStatus { outboxBacklog } }',
          {},
          'requests outbox backlog',
        )
      ).requestsStatus.outboxBacklog;
    const cpuAtDrive = process.cpuUsage();
    const result = await drive(
      {
        client,
        plan,
        clock,
        concurrency: options.concurrency ?? 32,
        maxSkewMs: options.maxSkewMs ?? MAX_SKEW_MS,
        skip: (i) => existing.has(i),
        skipReleasesOf: (p) => released.has(p),
        log,
        backlog,
        maxBacklog: options.maxBacklog ?? 3000,
        importHistories: options.importHistories,
        deferImport: options.processes || options.liveOnly,
        importConcurrency: options.importConcurrency,
        runTimers,
      },
      options.keepTracks,
    );
    const cpu = process.cpuUsage(cpuAtDrive);
    const liveCpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (options.liveOnly)
      logLiveFigures(log, result, liveCpuSeconds, server ? postgresCpuSeconds(options.databasePrefix) : {});
    if (result.toImport?.length && server && !options.liveOnly) {
      // The live part is played: let its events arrive, stop the in-process graph and start
      // each service in its own process on the same databases, its clock at the desk's present.
      await waitForDrain(client, directory.admin, log);
      await stop();
      stop = async () => undefined;
      const kafkaPrefix = `${options.databasePrefix ?? 'servicecenter_'}${Date.now().toString(36)}.`;
      log(
        `Starting each service and the gateway in a process of its own (Kafka ${kafkaBrokers.join(',')}, topics ${kafkaPrefix}…) …`,
      );
      const t0 = Date.now();
      const procs = await startProcesses({
        databaseUrlFor: (service) =>
          seedDatabaseUrl(server, service, options.databasePrefix, options.asyncCommit ?? true),
        kafkaBrokers,
        kafkaPrefix,
        clockMs: until,
        jwtSecret: options.secret,
        env: seedServiceEnv(true),
        cpuProfDir: options.cpuProfDir,
      }).catch(async (error: unknown) => {
        await deleteKafkaNamespace(kafkaBrokers, kafkaPrefix).catch(() => 0);
        throw error;
      });
      stop = async () => {
        await procs.stop();
        const topics = await deleteKafkaNamespace(kafkaBrokers, kafkaPrefix).catch(() => 0);
        log(`Stopped the processes; deleted the run's ${topics} Kafka topics.`);
      };
      log(`  ready in ${formatDuration(Date.now() - t0)}, gateway ${procs.gatewayUrl}`);
      client = new SeedClient(procs.gatewayUrl, options.secret, lookup, '24h');
      // Backpressure on what the slowest consumer has still to apply (outboxes and Kafka lag),
      // read from the databases and the broker instead of the services' status queries.
      const runBacklog = new RunBacklog(
        kafkaBrokers,
        kafkaPrefix,
        Object.fromEntries(
          await Promise.all(
            SUBGRAPHS.map(
              async (s) =>
                [s, await seedDatabaseUrl(server, s, options.databasePrefix, options.asyncCommit ?? true)] as const,
            ),
          ),
        ),
      );
      const stopProcesses = stop;
      stop = async () => {
        await runBacklog.stop();
        await stopProcesses();
      };
      const maxBacklog = options.maxBacklog ?? PROCESSES_MAX_BACKLOG;
      const importStarted = Date.now();
      const atImport = await procs.usage();
      log(
        `  importing ${result.toImport.length} histories (importRequests, 100 per call, ${options.importConcurrency ?? 4} at a time, pausing while the slowest consumer is more than ${maxBacklog} events behind):`,
      );
      await importAll(
        {
          client,
          plan,
          log,
          backlog: async () => RunBacklog.behind(await runBacklog.read()),
          describeBacklog: async () => RunBacklog.describe(await runBacklog.read()),
          maxBacklog,
          importConcurrency: options.importConcurrency ?? 4,
        },
        result.toImport,
        result,
      );
      result.importMs = Date.now() - importStarted;
      result.durationMs += result.importMs;
      const afterImport = await procs.usage();
      logUsageDelta(log, 'during the import', atImport, afterImport, result.imported);
      drainProcesses = async () => {
        await waitForRunDrain(runBacklog, log);
        const caughtUp = await procs.usage();
        logUsageDelta(log, 'during the catch-up after the import', afterImport, caughtUp, result.imported);
        logUsageDelta(log, 'import and catch-up', atImport, caughtUp, result.imported);
      };
      collectUsage = async () => {
        processUsage = [...(await procs.usage()), { name: 'generator', pid: process.pid, ...ownUsage() }];
      };
    }
    log(
      `  played ${result.requests} requests with ${result.mutations} mutations in ${formatDuration(result.durationMs)} (${rate(result.requests, result.durationMs)} requests/s, ${rate(result.mutations, result.durationMs)} mutations/s)`,
    );
    if (result.imported)
      log(
        `  of those, ${result.imported} imported whole in ${formatDuration(result.importMs)} (${rate(result.imported, result.importMs)} requests/s)`,
      );
    const decisions = Object.entries(result.releaseDecisions);
    if (decisions.length)
      log(`  release testing: ${decisions.map(([outcome, n]) => `${n} ${outcome}`).join(', ')} decisions`);
    if (result.diverged)
      log(
        `  ${result.diverged} histories stopped at an error the graph answered, e.g.:\n    ${result.errors.slice(0, 5).join('\n    ')}`,
      );
    clock?.advanceTo(until);

    const drainStarted = Date.now();
    await drainProcesses();
    const eventsApplied = await waitForDrain(client, directory.admin, log);
    const drainMs = Date.now() - drainStarted;
    const events = Object.values(eventsApplied).reduce((a, b) => a + b, 0);
    log(
      `  read models caught up ${formatDuration(drainMs)} later: ${Object.entries(eventsApplied)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')} events applied (${rate(events, result.durationMs + drainMs)} events/s end to end)`,
    );
    const { byStatus, byType } = await countRequests(client, directory);
    const durationMs = Date.now() - started;
    await collectUsage();
    if (!processUsage && server) processUsage = [{ name: 'generator (whole graph)', pid: process.pid, ...ownUsage() }];
    const postgresCpu = server ? postgresCpuSeconds(options.databasePrefix) : {};
    if (Object.keys(postgresCpu).length)
      log(
        `PostgreSQL backends' CPU: ${Object.entries(postgresCpu)
          .map(([d, s]) => `${d} ${s} s`)
          .join(', ')}`,
      );
    const databaseMb = server ? await databaseSizes(server, options.databasePrefix).catch(() => undefined) : undefined;
    if (processUsage)
      log(
        `Processes (peak RSS, CPU, SQL statements): ${processUsage
          .map(
            (p) =>
              `${p.name} ${p.peakRssMb} MB ${Math.round(p.cpuSeconds)} s${p.statements !== undefined ? ` ${p.statements} statements` : ''}`,
          )
          .join(', ')}`,
      );
    if (databaseMb)
      log(
        `Databases: ${Object.entries(databaseMb)
          .map(([d, mb]) => `${d} ${mb} MB`)
          .join(', ')}`,
      );
    log(
      `Requests of the generated customers by status: ${REQUEST_STATUSES.map((s) => `${s} ${byStatus[s]}`).join(', ')}`,
    );
    log(`                                    by type:   ${REQUEST_TYPES.map((t) => `${t} ${byType[t]}`).join(', ')}`);
    log(
      `Where the time went (mean latency per mutation): ${Object.entries(result.latency)
        .sort((a, b) => b[1].totalMs - a[1].totalMs)
        .slice(0, 8)
        .map(([m, l]) => `${m} ${(l.totalMs / l.count).toFixed(1)} ms ×${l.count}`)
        .join(', ')}`,
    );
    log(`Generated in ${formatDuration(durationMs)}.`);
    return {
      plan: {
        requests: options.requests,
        seed,
        from: iso(plan.from),
        until: iso(until),
        customers: directory.customers.length,
        products: directory.products.length,
        people: directory.people.length,
        disruptions: plan.disruptions.length,
      },
      directory: dirTally,
      drive: result,
      drainMs,
      eventsApplied,
      byStatus,
      byType,
      durationMs,
      tracks: result.tracks,
      processes: processUsage,
      databaseMb,
      liveCpuSeconds,
    };
  } finally {
    await stop();
  }
}

/** `--live-only`: what the live part played, how fast, and where its wall time went. */
function logLiveFigures(log: SeedLog, result: DriveResult, cpuSeconds: number, postgres: Record<string, number>) {
  const wall = result.durationMs;
  const { live } = result;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  log(
    `Live part: ${result.requests} request histories (${result.escalations} escalations, ${result.disruptions} disruptions), ${result.mutations} mutations in ${formatDuration(wall)} (${rate(result.requests, wall)} request histories/s, ${rate(result.mutations, wall)} mutations/s), ${result.toImport?.length ?? 0} histories left to import`,
  );
  log(
    `  CPU of this process (the whole in-process graph and the generator) ${cpuSeconds.toFixed(1)} s (${((cpuSeconds * 100_000) / Math.max(1, wall)).toFixed(0)} % of one core)${
      Object.keys(postgres).length
        ? `; PostgreSQL backends ${Object.values(postgres)
            .reduce((a, b) => a + b, 0)
            .toFixed(1)} s (${Object.entries(postgres)
            .map(([d, n]) => `${d} ${n}`)
            .join(', ')})`
        : ''
    }`,
  );
  log(
    `  steps in flight ${live.meanInFlight.toFixed(1)} on average; none in flight ${s(live.idleMs)}; held back by the clock skew ${s(live.skewHeldMs)}; paused by the backlog ${s(result.pausedMs)}; ${live.ticks} ticks took ${s(live.tickMs)}; retry sleeps (summed over steps) lagging ${s(live.retrySleepMs.lagging)} (${result.waits} steps waited), awaiting an event ${s(live.retrySleepMs.awaitingEvent)}, retryable errors ${s(live.retrySleepMs.retryable)}; steps retried: ${
      Object.entries(live.retriedSteps)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ') || 'none'
    }`,
  );
}

/** The environment the seed gives the services (in-process and `--processes`). */
function seedServiceEnv(processes = false): Record<string, string> {
  // In-process the moving clock needs due timers fired and outboxes drained promptly. In
  // processes (fixed clock) a commit wakes its own process's relay, so the services' own
  // defaults do: every poll is a transaction in each of five processes for the whole run.
  const polls = processes ? {} : { OUTBOX_POLL_MS: '50', TIMER_POLL_MS: '200' };
  return {
    ...polls,
    ...(process.env.OUTBOX_POLL_MS ? { OUTBOX_POLL_MS: process.env.OUTBOX_POLL_MS } : {}),
    ...(process.env.TIMER_POLL_MS ? { TIMER_POLL_MS: process.env.TIMER_POLL_MS } : {}),
    // A year of history publishes ≈15 outbox rows per request; once delivered they are not read again.
    OUTBOX_RETENTION_HOURS: process.env.OUTBOX_RETENTION_HOURS ?? '1',
    // A year of a desk's work in hours: far beyond one person's budget at the gateway.
    GATEWAY_RATE_LIMIT_POINTS: process.env.GATEWAY_RATE_LIMIT_POINTS ?? '1000000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
}

async function startInProcess(options: GenerateOptions, clock: MovingClock, log: SeedLog) {
  // Imported here: `--url` runs need no stack code.
  const { startStack } = await import('../../../apps/stack/src/stack');
  const server = options.databaseUrl ?? process.env.DATABASE_URL;
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...seedServiceEnv(),
    ...(server ? { DATABASE_URL: server } : {}),
  };
  delete env.KAFKA_BROKERS; // the in-process transport: the generator measures the services, not a broker
  const prefix = options.databasePrefix;
  const asyncCommit = options.asyncCommit ?? true;
  log(
    `Starting the graph in-process on ${server ? `${server.replace(/\/\/[^@]*@/, '//')}${prefix ? ` (databases ${prefix}<service>)` : ''}` : 'the embedded PostgreSQL of npm start'} …`,
  );
  const stack = await startStack({
    env,
    clock: clock.now,
    randomPorts: true,
    logger: createLogger('seed-stack', process.env.LOG_LEVEL ?? 'warn'),
    databaseUrlFor: server
      ? (service: SubgraphName) => seedDatabaseUrl(server, service, prefix, asyncCommit)
      : undefined,
  });
  const runTimers = async () => {
    for (const service of Object.values(stack.services)) await service.runtime().timers.runDue();
  };
  return { gatewayUrl: stack.gatewayUrl, stop: () => stack.stop(), runTimers };
}

/** The generated directory through the admin mutations; what exists (CONFLICT) is skipped. */
export async function loadGeneratedDirectory(
  client: SeedClient,
  dir: GenDirectory,
  log: SeedLog,
): Promise<{ created: number; skipped: number }> {
  const tally = { created: 0, skipped: 0 };
  const create = async (mutation: string, input: Record<string, unknown>) => {
    try {
      await client.run(
        dir.admin,
        `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`,
        { input },
        `${mutation} ${String(input.id)}`,
      );
      tally.created += 1;
    } catch (error) {
      if (!(error instanceof SeedError) || error.code !== 'CONFLICT') throw error;
      tally.skipped += 1;
    }
  };
  const all = async <T>(items: readonly T[], f: (item: T) => Promise<void>, concurrency = 8) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < items.length) await f(items[next++]);
      }),
    );
  };
  const person = (p: GenDirectory['people'][number]) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    roles: p.roles.map((r) => r.toUpperCase()),
    customerId: p.customerId,
    teamIds: p.teamIds,
  });
  await all(dir.productGroups, (g) => create('createProductGroup', g));
  await all(dir.teams, (t) => create('createTeam', { id: t.id, name: t.name }));
  await all(
    dir.people.filter((p) => !p.customerId),
    (p) => create('createPerson', person(p)),
  );
  const current = await client.run<{ teams: { id: string; lead: { id: string } | null }[] }>(
    dir.admin,
    '{ teams { id lead { id } } }',
    {},
    'teams',
  );
  await all(
    dir.teams.filter((t) => current.teams.find((c) => c.id === t.id)?.lead?.id !== t.leadId),
    (t) =>
      client
        .run(
          dir.admin,
          'mutation($input: UpdateTeamInput!) { updateTeam(input: $input) { __typename } }',
          { input: { id: t.id, leadId: t.leadId } },
          `updateTeam ${t.id}`,
        )
        .then(() => undefined),
  );
  await all(dir.products, (p) =>
    create('createProduct', { id: p.id, name: p.name, productGroupId: p.productGroupId, teamId: p.teamId }),
  );
  await all(dir.customers, ({ userIds: _users, ...c }) => create('createCustomer', c));
  await all(
    dir.people.filter((p) => p.customerId),
    (p) => create('createPerson', person(p)),
  );
  log(`Directory: created ${tally.created}, skipped ${tally.skipped} that exist`);
  return tally;
}

const READ = `query($filter: RequestFilter, $first: Int, $after: String) {
  requests(filter: $filter, orderBy: REGISTERED_AT_ASC, first: $first, after: $after) { totalCount edges { node { title } } pageInfo { hasNextPage endCursor } }
}`;

/** Indices of this seed's requests already on the desk (a resumed or repeated run skips them). */
async function existingIndices(
  client: SeedClient,
  dir: GenDirectory,
  seed: number,
  log: SeedLog,
): Promise<Set<number>> {
  const reader = dir.teams[0].leadId;
  const filters = customerFilters(dir);
  let total = 0;
  for (const filter of filters)
    total += (
      await client.run<{ requests: { totalCount: number } }>(
        reader,
        READ,
        { filter, first: 0 },
        'count existing requests',
      )
    ).requests.totalCount;
  const found = new Set<number>();
  if (total === 0) return found;
  log(`  ${total} requests of the generated customers exist: reading their titles to resume …`);
  const suffix = new RegExp(` · #${seed}-(\\d{7})$`);
  for (const filter of filters) {
    const titles = await client.all<{ requests: Connection<{ title: string }> }, { title: string }>(
      reader,
      READ,
      { filter },
      (d) => d.requests,
      'existing requests',
    );
    for (const { title } of titles) {
      const m = suffix.exec(title);
      if (m) found.add(Number(m[1]));
    }
  }
  return found;
}

/** Indices of the generated products that have releases already (their release testing is not played again). */
async function productsWithReleases(client: SeedClient, dir: GenDirectory): Promise<Set<number>> {
  const fields = dir.products.map(
    (p, i) => `p${i}: releases(filter: { productId: ${JSON.stringify(p.id)} }, first: 0) { totalCount }`,
  );
  const data = await client.run<Record<string, { totalCount: number }>>(
    dir.uatCoordinator,
    `{ ${fields.join('\n')} }`,
    {},
    'existing releases',
  );
  return new Set(dir.products.map((_, i) => i).filter((i) => data[`p${i}`].totalCount > 0));
}

interface StatusRow {
  outboxBacklog: number;
  eventsApplied: number;
}
const STATUS_FIELDS: Record<SubgraphName, string> = {
  requests: 'requestsStatus',
  sla: 'slaStatus',
  escalations: 'escalationsStatus',
  reporting: 'reportingStatus',
  'release-testing': 'releaseTestingStatus',
};

/**
 * `--processes`: until no event waits in an outbox or in a consumer group's lag for three
 * readings a second apart (RunBacklog: no status query, so no count over the inboxes).
 */
async function waitForRunDrain(backlog: RunBacklog, log: SeedLog, timeoutMs = 6 * 3600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let told = Date.now();
  for (;;) {
    const reading = await backlog.read();
    calm = RunBacklog.behind(reading) === 0 ? calm + 1 : 0;
    if (calm >= 3) return;
    if (Date.now() > deadline)
      throw new Error(
        `the consumers did not catch up within ${formatDuration(timeoutMs)}: ${RunBacklog.describe(reading)}`,
      );
    if (Date.now() - told > 5000) {
      log(
        `  waiting for the consumers: ${Object.entries(reading.lag)
          .map(([g, n]) => `${g} ${n}`)
          .join(', ')} behind, outboxes ${Object.values(reading.outbox).reduce((a, n) => a + (n ?? 0), 0)}`,
      );
      told = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** CPU and SQL statements of each process between two readings, per imported request. */
function logUsageDelta(log: SeedLog, what: string, from: ProcessUsage[], to: ProcessUsage[], requests: number): void {
  const per = (n: number) => (requests > 0 ? n / requests : 0);
  let cpu = 0;
  let statements = 0;
  const rows = to.map((p) => {
    const before = from.find((b) => b.name === p.name);
    const seconds = p.cpuSeconds - (before?.cpuSeconds ?? 0);
    const sent = (p.statements ?? 0) - (before?.statements ?? 0);
    cpu += seconds;
    statements += sent;
    return `${p.name} ${seconds.toFixed(1)} s (${(per(seconds) * 1000).toFixed(1)} ms${p.statements !== undefined ? `, ${per(sent).toFixed(1)} statements` : ''})`;
  });
  log(
    `  Node CPU ${what}: ${cpu.toFixed(1)} s, ${(per(cpu) * 1000).toFixed(1)} ms and ${per(statements).toFixed(1)} SQL statements per imported request; per process (per request): ${rows.join(', ')}`,
  );
}

/** Until every outbox is empty and no consumer applied anything new for three polls in a row. */
export async function waitForDrain(
  client: SeedClient,
  as: string,
  log: SeedLog,
  timeoutMs = 6 * 3600_000,
): Promise<Record<string, number>> {
  const query = `{ ${SUBGRAPHS.map((s) => `${s.replace(/-/g, '_')}: ${STATUS_FIELDS[s]} { outboxBacklog eventsApplied }`).join(' ')} }`;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let calm = 0;
  let told = Date.now();
  for (;;) {
    const data = await client.run<Record<string, StatusRow>>(as, query, {}, 'service status');
    const backlog = Object.values(data).reduce((a, s) => a + s.outboxBacklog, 0);
    const applied = Object.fromEntries(SUBGRAPHS.map((s) => [s, data[s.replace(/-/g, '_')].eventsApplied]));
    const key = JSON.stringify(applied);
    calm = backlog === 0 && key === last ? calm + 1 : 0;
    last = key;
    if (calm >= 3) return applied;
    if (Date.now() > deadline)
      throw new Error(
        `the read models did not catch up within ${formatDuration(timeoutMs)} (outbox backlog ${backlog})`,
      );
    if (Date.now() - told > 5000) {
      log(
        `  waiting for the read models: outbox backlog ${backlog}, applied ${Object.entries(applied)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
      );
      told = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Requests of the generated customers per status and per type (summed over the customer filters). */
async function countRequests(client: SeedClient, dir: GenDirectory) {
  const byStatus = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  const byType = Object.fromEntries(REQUEST_TYPES.map((t) => [t, 0])) as Record<RequestType, number>;
  for (const { customer } of customerFilters(dir)) {
    const counts = await countRequestsOf(client, dir, customer);
    for (const s of REQUEST_STATUSES) byStatus[s] += counts.byStatus[s];
    for (const t of REQUEST_TYPES) byType[t] += counts.byType[t];
  }
  return { byStatus, byType };
}

async function countRequestsOf(client: SeedClient, dir: GenDirectory, customers: string[]) {
  // The customers go once, as a variable: inline in each of the twelve fields, 400 customers
  // passed the gateway's token limit (graphql-armor, 3,000 tokens) at 200,000 requests.
  const fields = [
    ...REQUEST_STATUSES.map(
      (s) => `status_${s}: requests(filter: { status: [${s}], customer: $customer }, first: 0) { totalCount }`,
    ),
    ...REQUEST_TYPES.map(
      (t) => `type_${t}: requests(filter: { type: [${t}], customer: $customer }, first: 0) { totalCount }`,
    ),
  ];
  const data = await client.run<Record<string, { totalCount: number }>>(
    dir.teams[0].leadId,
    `query($customer: [ID!]) { ${fields.join('\n')} }`,
    { customer: customers },
    'count requests per status and type',
  );
  return {
    byStatus: Object.fromEntries(REQUEST_STATUSES.map((s) => [s, data[`status_${s}`].totalCount])) as Record<
      RequestStatus,
      number
    >,
    byType: Object.fromEntries(REQUEST_TYPES.map((t) => [t, data[`type_${t}`].totalCount])) as Record<
      RequestType,
      number
    >,
  };
}

const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR;
const iso = (t: number) => new Date(t).toISOString().slice(0, 16) + 'Z';
const rate = (n: number, ms: number) => (ms > 0 ? (n / (ms / 1000)).toFixed(1) : '∞');
export type { Plan };
