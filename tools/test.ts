import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres } from '@servicecenter/platform-database';

/**
 * `npm test`: every project's jest suite through Nx. Starts one embedded PostgreSQL for the
 * whole run when DATABASE_URL is unset (a fresh clone), so every suite shares one server and
 * creates its own databases on it. Extra arguments go to nx (e.g. `npm test -- --projects=sla`).
 */
async function main() {
  let stopPostgres: (() => Promise<void>) | undefined;
  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'sc-test-pg-')), 'data'),
      port: await freePort(),
      persistent: false,
    });
    env.DATABASE_URL = postgres.url;
    stopPostgres = postgres.stop;
    console.log(
      `Tests use an embedded PostgreSQL (${postgres.url.replace(/:[^:@]*@/, ':***@')}); set DATABASE_URL to use another.`,
    );
  }
  if (!env.KAFKA_BROKERS) console.log('KAFKA_BROKERS is unset: the infrastructure suites are skipped (CI runs them).');
  const args = process.argv.slice(2);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      'npx',
      ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', '--parallel=2', '--skip-nx-cache', ...args],
      { stdio: 'inherit', env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  await stopPostgres?.();
  process.exit(code);
}

void main();
