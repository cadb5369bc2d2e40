import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { SeedError } from './seed/client';
import { DEFAULT_SEED, generate } from './seed/generator/run';
import { seed } from './seed/run';

/**
 * `npm run seed [-- --url <gateway url>] [-- --wait <seconds>]`: fills a running graph
 * (`npm start`) with a demo desk through the gateway's GraphQL API: the directory of
 * apps/requests/src/directory/testing/demo-data.ts, its knowledge articles, and requests in every status.
 * Safe to run again: what exists is skipped. Tokens are signed with JWT_SECRET, or the
 * development secret `npm start` uses without it.
 *
 * `npm run seed -- --requests N [--seed n] [--until ISO] [--concurrency c] [--url …]
 * [--database-prefix p] [--import [--processes | --live-only]]`: the generator of docs/seed.md instead: N requests with a year of
 * history. Without --url it starts the graph in-process (DATABASE_URL, else the embedded
 * PostgreSQL of `npm start`, which must not be running) with a clock it moves along.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.GATEWAY_URL || 'http://localhost:4000/graphql' },
      wait: { type: 'string', default: '60' },
      requests: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      until: { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      'max-skew-minutes': { type: 'string', default: '30' },
      /** Default 3000 events in the requests outbox in-process, 20,000 behind the slowest consumer with --processes. */
      'max-backlog': { type: 'string' },
      durable: { type: 'boolean', default: false },
      import: { type: 'boolean', default: false },
      processes: { type: 'boolean', default: false },
      'live-only': { type: 'boolean', default: false },
      'import-concurrency': { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      'database-prefix': { type: 'string' },
    },
  });
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  if (values.requests !== undefined) {
    const requests = Number(values.requests);
    const seedNumber = Number(values.seed);
    const concurrency = Number(values.concurrency);
    const until = values.until ? new Date(values.until) : undefined;
    if (!Number.isInteger(requests) || requests < 1) fail('--requests takes a whole number of requests, e.g. 10000');
    if (!Number.isInteger(seedNumber)) fail('--seed takes a whole number');
    if (!Number.isInteger(concurrency) || concurrency < 1) fail('--concurrency takes a whole number');
    const maxSkew = Number(values['max-skew-minutes']);
    if (!Number.isFinite(maxSkew) || maxSkew < 0 || maxSkew > 24 * 60)
      fail('--max-skew-minutes takes minutes (0 to 1440)');
    if (until && Number.isNaN(until.getTime())) fail('--until takes an ISO date, e.g. 2026-11-23T17:00:00Z');
    const importConcurrency = values['import-concurrency'] ? Number(values['import-concurrency']) : undefined;
    if (importConcurrency !== undefined && (!Number.isInteger(importConcurrency) || importConcurrency < 1))
      fail('--import-concurrency takes a whole number of calls');
    if (values.processes && !values.import) fail('--processes is a way to import: use it with --import');
    if (values['live-only'] && !values.import)
      fail('--live-only plays what --import does not import: use it with --import');
    const explicitUrl = process.argv.some((a) => a === '--url' || a.startsWith('--url='));
    await generate({
      requests,
      seed: seedNumber,
      until,
      url: explicitUrl ? values.url : undefined,
      databasePrefix: values['database-prefix'],
      concurrency,
      maxSkewMs: maxSkew * 60_000,
      maxBacklog: values['max-backlog'] === undefined ? undefined : Number(values['max-backlog']) || Infinity,
      asyncCommit: !values.durable,
      importHistories: values.import,
      processes: values.processes,
      liveOnly: values['live-only'],
      importConcurrency,
      cpuProfDir: values['cpu-prof-dir'],
      secret,
      log: (line) => console.log(line),
    });
    return;
  }
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    console.error('--wait takes a number of seconds');
    process.exit(1);
  }
  console.log(`Seeding the demo desk through ${values.url}\n`);
  await seed({ url: values.url, secret, log: (line) => console.log(line), waitMs: waitSeconds * 1000 });
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((error) => {
  if (error instanceof SeedError) console.error(`\nSeed failed: ${error.describe()}`);
  else console.error('\nSeed failed:', error);
  process.exit(1);
});
