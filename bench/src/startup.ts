import { spawn } from 'node:child_process';
import { SUBGRAPHS, envPrefix } from '@servicecenter/platform-config';
import { freePort } from '@servicecenter/platform-database';
import { createBenchDatabases } from './bench-stack';
import { ROOT } from './processes';
import { round } from './stats';
import type { Log } from './throughput';

export interface StartupResult {
  /** Seconds from spawning `npm start` to its "graph ready" line: fresh databases (migrations), then again on the same ones. */
  coldSeconds: number;
  warmSeconds: number;
  note: string;
}

/**
 * `npm start` as a user runs it, but on the machine's PostgreSQL (fresh databases per service
 * through <SERVICE>_DATABASE_URL) and free ports: the embedded PostgreSQL's data folder and
 * port are fixed in apps/stack/src/main.ts, and a developer's own `npm start` may hold them.
 */
export async function measureStartup(serverUrl: string, log: Log): Promise<StartupResult> {
  const databases = await createBenchDatabases(serverUrl, 'start');
  try {
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: String(await freePort()),
    };
    for (const s of SUBGRAPHS) {
      env[`${envPrefix(s)}_PORT`] = String(await freePort());
      env[`${envPrefix(s)}_DATABASE_URL`] = databases.urls[s];
    }
    const cold = await timeToReady(env);
    log(`npm start: ${cold} s to "graph ready" on fresh databases`);
    const warm = await timeToReady(env);
    log(`npm start: ${warm} s on the same databases (warm)`);
    return {
      coldSeconds: cold,
      warmSeconds: warm,
      note: 'machine PostgreSQL, fresh databases; embedded PostgreSQL start (initdb) not included',
    };
  } finally {
    await databases.drop();
  }
}

function timeToReady(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: '', KAFKA_BROKERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let ready: number | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timeout = setTimeout(() => {
      killGroup('SIGKILL');
      reject(new Error(`npm start: no "graph ready" within 120 s:\n${output.slice(-2000)}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      output += d;
      if (ready === undefined && output.includes('graph ready')) {
        ready = round((performance.now() - started) / 1000, 2);
        killGroup('SIGTERM');
        setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timeout);
      if (ready !== undefined) resolve(ready);
      else reject(new Error(`npm start exited before "graph ready":\n${output.slice(-2000)}`));
    });
  });
}
