import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '@servicecenter/auth';
import { SeedError } from './seed/client';
import { seed } from './seed/run';

/**
 * `npm run seed [-- --url <gateway url>] [-- --wait <seconds>]`: fills a running graph
 * (`npm start`) with a demo desk through the gateway's GraphQL API: the directory of
 * tools/seed/directory-data.ts, its knowledge articles, and requests in every status.
 * Safe to run again: what exists is skipped. Tokens are signed with JWT_SECRET, or the
 * development secret `npm start` uses without it.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.GATEWAY_URL || 'http://localhost:4000/graphql' },
      wait: { type: 'string', default: '60' },
    },
  });
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    console.error('--wait takes a number of seconds');
    process.exit(1);
  }
  console.log(`Seeding the demo desk through ${values.url}\n`);
  await seed({ url: values.url, secret: process.env.JWT_SECRET || DEV_JWT_SECRET, log: (line) => console.log(line), waitMs: waitSeconds * 1000 });
}

main().catch((error) => {
  if (error instanceof SeedError) console.error(`\nSeed failed: ${error.describe()}`);
  else console.error('\nSeed failed:', error);
  process.exit(1);
});
