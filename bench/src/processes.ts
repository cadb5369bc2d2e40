import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBGRAPHS, envPrefix, type SubgraphName } from '@servicecenter/platform-config';
import { freePort } from '@servicecenter/platform-database';
import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { memoryMbOfProcess } from '@servicecenter/testing';
import { BENCH_SHARED_SECRET } from './bench-stack';
import { BENCH_NODE_ENV } from './production-mode';

export const ROOT = join(__dirname, '../..');
const HIVE_DIR = join(ROOT, 'bench/hive-gateway');

export interface ChildGateway {
  name: string;
  url: string;
  pid: number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** Node with tsx as a loader (no tsx wrapper process, so the pid is the server's own). */
function spawnTs(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: not serving after ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  url: string,
  tempFile: string,
): Promise<ChildGateway> {
  const child = spawnTs(script, env);
  const stop = async () => {
    await stopChild(child);
    rmSync(tempFile, { force: true });
  };
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  try {
    await waitUntilServing(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url, pid: child.pid ?? -1, rssMb: () => memoryMbOfProcess(child.pid ?? -1, 'VmRSS'), stop };
}

function writeSupergraph(sdl: string, label: string): string {
  const file = join(tmpdir(), `servicecenter-bench-${label}-${process.pid}.graphql`);
  writeFileSync(file, sdl);
  return file;
}

/** apps/gateway's own main.ts in its own process, pointed at the stack's subgraphs. */
export async function startApolloGatewayProcess(
  supergraphSdl: string,
  subgraphUrls: Record<SubgraphName, string>,
): Promise<ChildGateway> {
  const port = await freePort();
  const file = writeSupergraph(supergraphSdl, 'apollo');
  return startChild(
    'apollo-gateway',
    'apps/gateway/src/main.ts',
    {
      // As deployed, like the stack (production-mode.ts) and the Hive process below.
      NODE_ENV: BENCH_NODE_ENV,
      JWT_SECRET: DEV_JWT_SECRET,
      LOG_LEVEL: 'error',
      GATEWAY_PORT: String(port),
      SUPERGRAPH_FILE: file,
      SUBGRAPH_SHARED_SECRET: BENCH_SHARED_SECRET,
      // As in the stack (bench-stack.ts): a handful of callers, no per-caller budget. At ~25 pages/s
      // the default budget answered part of the load with RATE_LIMITED, counted as errors.
      GATEWAY_RATE_LIMIT_POINTS: '1000000000',
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s)}_URL`, subgraphUrls[s]])),
    },
    `http://127.0.0.1:${port}/graphql`,
    file,
  );
}

let hiveInstall: Promise<void> | undefined;

/**
 * Installs the bench-only Hive Gateway package on first use (its own lock file, never the
 * root's). Memoised: the bench starts it early and the queue section awaits the same promise.
 */
export function prepareHive(log: (line: string) => void): Promise<void> {
  hiveInstall ??= new Promise<void>((resolve, reject) => {
    if (existsSync(join(HIVE_DIR, 'node_modules/@graphql-hive/gateway/package.json'))) return resolve();
    const ci = existsSync(join(HIVE_DIR, 'package-lock.json'));
    log(`installing the peer gateway: npm ${ci ? 'ci' : 'install'} --prefix bench/hive-gateway (first run only)`);
    const child = spawn(
      'npm',
      [ci ? 'ci' : 'install', '--prefix', HIVE_DIR, '--no-audit', '--no-fund', '--ignore-scripts'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`installing bench/hive-gateway failed (${code}):\n${output}`)),
    );
  });
  return hiveInstall;
}

/** Hive Gateway (bench/hive-gateway/server.ts) over the same supergraph and subgraphs. */
export async function startHiveGateway(supergraphSdl: string): Promise<ChildGateway> {
  const port = await freePort();
  const file = writeSupergraph(supergraphSdl, 'hive');
  return startChild(
    'hive-gateway',
    'bench/hive-gateway/server.ts',
    {
      HIVE_SUPERGRAPH: file,
      HIVE_PORT: String(port),
      SUBGRAPH_SHARED_SECRET: BENCH_SHARED_SECRET,
      NODE_ENV: BENCH_NODE_ENV,
    },
    `http://127.0.0.1:${port}/graphql`,
    file,
  );
}
