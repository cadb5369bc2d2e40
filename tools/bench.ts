// First: the services run as deployed (NODE_ENV=production) and libraries read it when they load.
import '../bench/src/production-mode';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  count,
  createBenchDatabases,
  queryRootFields,
  settle,
  startBenchStack,
  type BenchStack,
} from '../bench/src/bench-stack';
import { measureDetail } from '../bench/src/detail';
import { measureEventLatency } from '../bench/src/events';
import { CUSTOMER } from '../bench/src/graph';
import { describeMachine } from '../bench/src/machine';
import { measures, parseOptions } from '../bench/src/options';
import { ROOT, prepareHive } from '../bench/src/processes';
import { markdown, type BenchResult } from '../bench/src/report';
import { measureReports } from '../bench/src/reports';
import { measureSlaScan } from '../bench/src/sla-scan';
import { measureStartup } from '../bench/src/startup';
import { round } from '../bench/src/stats';
import { measureFtv1 } from '../bench/src/ftv1';
import { measureTracingOverhead } from '../bench/src/tracing';
import { measureIntake, measureQueue, topUpRequests } from '../bench/src/throughput';
import { createDesk } from '../apps/stack/src/testing/desk-fixture';

/**
 * `npm run bench [-- --quick]`: the whole graph on this machine's PostgreSQL, measured.
 * Prints a markdown table and writes bench/results/<timestamp>.json and latest.json.
 * See docs/performance.md for what each figure means and what limits it.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const rssAfterGc = () => {
  for (let i = 0; i < 3; i++) gc();
  return Math.round(process.memoryUsage().rss / 1024 ** 2);
};

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function section<T>(result: BenchResult, name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const message = `${name}: ${(error as Error).message}`;
    result.errors.push(message);
    log(`FAILED ${message}`);
    return undefined;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const { databaseUrl, resultsDir, ...shownOptions } = options;
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    wallSeconds: 0,
    mode: options.quick ? 'quick' : 'default',
    machine: await describeMachine(databaseUrl, options.kafkaBrokers),
    options: shownOptions,
    stackStartSeconds: 0,
    events: [],
    memory: {},
    errors: [],
  };
  log(
    `machine: ${result.machine.cpuModel} x${result.machine.cores}, ${result.machine.ramGb} GB, Node ${result.machine.node}, ${result.machine.postgres}`,
  );

  if (options.hive && measures(options, 'queue')) {
    // Quick mode (CI) installs the peer gateway while it measures (no timing counts there);
    // a default run installs it first, so the install does not skew the figures.
    const install = prepareHive(log);
    if (options.quick) install.catch(() => undefined);
    else await install.catch((e) => log(`the peer gateway could not be installed: ${(e as Error).message}`));
  }

  const databases = await createBenchDatabases(databaseUrl, 'main');
  let bs: BenchStack | undefined;
  try {
    const t = Date.now();
    bs = await startBenchStack(databases);
    result.stackStartSeconds = round((Date.now() - t) / 1000, 2);
    log(`stack started in ${result.stackStartSeconds} s (gateway ${bs.gatewayUrl})`);
    await createDesk(bs);
    result.memory.restMb = rssAfterGc();
    const stack = bs;
    const customerToken = await stack.client.token(CUSTOMER.roles, {
      sub: CUSTOMER.id,
      customerId: CUSTOMER.customerId,
      name: CUSTOMER.name,
    });

    if (measures(options, 'intake')) {
      result.intake = await section(result, 'intake', () => measureIntake(stack, options, customerToken, log));
      // Registrations refused at the peak (a starved pool answers SERVICE_UNAVAILABLE) fail the run.
      const refused = (result.intake?.gateway.errors ?? 0) + (result.intake?.peak.errors ?? 0);
      if (refused > 0) result.errors.push(`intake: ${refused} registrations answered with an error`);
    }
    if (measures(options, 'queue') || measures(options, 'events')) {
      const have = await count(stack.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
      await topUpRequests(stack.client, customerToken, have, options.requests, options.concurrency, log);
      await settle(stack);
      log(
        `data: ${await count(stack.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request')} requests, all with SLA clocks`,
      );
    }

    if (measures(options, 'queue')) {
      result.queue = await section(result, 'queue', () => measureQueue(stack, options, log));
      result.memory.underLoadMb = result.queue?.stackRssUnderLoadMb;
      result.memory.restAfterLoadMb = rssAfterGc();
      // A page answered with an error is no figure: every target's errors fail the run, as the detail page's do.
      for (const t of result.queue?.targets ?? []) {
        if (t.load.errors > 0)
          result.errors.push(
            `queue: ${t.load.errors} pages through ${t.name} answered with an error${t.load.firstError ? ` (first: ${t.load.firstError.slice(0, 200)})` : ''}`,
          );
      }
    }

    if (measures(options, 'detail')) {
      result.detail = await section(result, 'detail', () => measureDetail(stack, options, customerToken, log));
      const failed = result.detail?.targets.reduce((n, t) => n + t.load.errors, 0) ?? 0;
      if (failed > 0) result.errors.push(`detail: ${failed} detail pages answered with an error`);
    }

    if (measures(options, 'events')) {
      const inProcess = await section(result, 'event latency (in-process)', () =>
        measureEventLatency(stack.client, options.eventSamples, 'in-process'),
      );
      if (inProcess) {
        result.events.push(inProcess);
        log(
          `event latency (in-process): median ${inProcess.latency.median} ms, p99 ${inProcess.latency.p99} ms; the poll that saw it ${inProcess.poll.median} ms (p99 ${inProcess.poll.p99})`,
        );
      }
    }

    if (measures(options, 'sla'))
      result.slaScan = await section(result, 'sla scan', async () => {
        // The generated clocks copy a running clock of a registered request: with `--only sla`
        // nothing was registered yet, so register one first (as the reports section does).
        const have = await count(stack.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
        await topUpRequests(stack.client, customerToken, have, 1, 1, log);
        await settle(stack);
        return measureSlaScan(stack.stack.services.sla.runtime(), stack.env.SLA_DATABASE_URL, options.clocks, log);
      });

    if (measures(options, 'reports')) {
      result.reports = await section(result, 'reports', async () => {
        // The manager Service Management reads every report and review (raci.csv rows 110–117).
        const token = await stack.client.token('manager_service_management', { sub: 'p-msm' });
        // The generated read models copy a request the reporting service projected from real
        // events: with `--only reports` nothing was registered yet, so register one first.
        const have = await count(stack.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
        await topUpRequests(stack.client, customerToken, have, 1, 1, log);
        await settle(stack);
        return measureReports(
          stack.client,
          token,
          stack.env.REPORTING_DATABASE_URL,
          options.reportRequests,
          log,
          queryRootFields(stack.supergraphSdl),
          stack.subgraphUrls.reporting.replace(/\/graphql$/, ''),
        );
      });
      if (result.reports?.notMeasured) log(`reports: ${result.reports.notMeasured}`);
    }

    if (options.ftv1 && measures(options, 'ftv1')) {
      await bs.stack.stop();
      bs = undefined;
      result.ftv1 = await section(result, 'ftv1', () => measureFtv1(databases, options, log));
    }
  } finally {
    await bs?.stack.stop().catch((e) => log(`stack stop failed: ${(e as Error).message}`));
    if (!options.keep)
      await databases.drop().catch((e) => log(`dropping the bench databases failed: ${(e as Error).message}`));
    else log(`kept the bench databases: ${databases.names.join(', ')}`);
  }

  if (options.kafkaBrokers && measures(options, 'events')) {
    const kafka = await section(result, 'event latency (kafka)', async () => {
      const kdb = await createBenchDatabases(databaseUrl, 'kafka');
      const ks = await startBenchStack(kdb, {
        KAFKA_BROKERS: options.kafkaBrokers ?? '',
        // An A/B of the consumers' fetch wait (change 12 in docs/performance.md).
        ...(process.env.KAFKA_CONSUMER_MAX_WAIT_MS
          ? { KAFKA_CONSUMER_MAX_WAIT_MS: process.env.KAFKA_CONSUMER_MAX_WAIT_MS }
          : {}),
      });
      try {
        await createDesk(ks);
        return await measureEventLatency(ks.client, options.eventSamples, `Kafka ${options.kafkaBrokers}`);
      } finally {
        await ks.stack.stop();
        await kdb.drop();
      }
    });
    if (kafka) {
      result.events.push(kafka);
      log(
        `event latency (Kafka): median ${kafka.latency.median} ms, p99 ${kafka.latency.p99} ms; the poll that saw it ${kafka.poll.median} ms (p99 ${kafka.poll.p99})`,
      );
    }
  } else {
    result.eventsNote = 'not measured: KAFKA_BROKERS not set';
  }

  if (options.tracing && measures(options, 'tracing'))
    result.tracing = await section(result, 'tracing', () => measureTracingOverhead(options, log));

  if (options.startup && measures(options, 'startup')) {
    try {
      result.startup = await measureStartup(databaseUrl, log);
    } catch (error) {
      result.startupError = (error as Error).message;
      result.errors.push(`npm start: ${result.startupError}`);
    }
  }

  result.wallSeconds = Math.round((Date.now() - started) / 1000);
  const table = markdown(result);
  const dir = join(ROOT, resultsDir);
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(result, null, 2);
  writeFileSync(join(dir, `${result.startedAt.replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`), json);
  if (!options.quick && !options.only) writeFileSync(join(dir, 'latest.json'), json);
  console.log(`\n${table}\n`);
  log(`results written to ${resultsDir}/ (${result.wallSeconds} s)`);
  if (result.errors.length) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 200).unref());
