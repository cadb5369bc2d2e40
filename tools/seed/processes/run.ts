import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SUBGRAPHS, envPrefix, type SubgraphName } from '@servicecenter/platform-config';
import { cpuMsOfProcess, memoryMbOfProcess } from '@servicecenter/testing';
import type { ChildReady, ChildStats } from './service-main';

export interface ProcessesOptions {
  /** The database URL of each service (the seed's `<prefix><service>` databases). */
  databaseUrlFor: (service: SubgraphName) => Promise<string>;
  kafkaBrokers: string[];
  /** Topics and consumer groups of this run: `<kafkaPrefix>servicecenter.requests.v1`, … */
  kafkaPrefix: string;
  /** The services' clock (the desk's present). */
  clockMs: number;
  /** Verifies the generator's bearer tokens at the gateway. */
  jwtSecret: string;
  /** Extra environment of every process (OUTBOX_RETENTION_HOURS, pool sizes, …). */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of each process here when it exits (node --cpu-prof). */
  cpuProfDir?: string;
}

export interface ProcessUsage {
  name: string;
  pid: number;
  /** Peak resident set (VmHWM), MB. */
  peakRssMb: number;
  /** User + system CPU, seconds (to the clock tick, 0.01 s). */
  cpuSeconds: number;
  /** SQL statements sent (services only). */
  statements?: number;
}

export interface RunningProcesses {
  gatewayUrl: string;
  usage(): Promise<ProcessUsage[]>;
  stop(): Promise<void>;
}

const SERVICE_MAIN = join(__dirname, 'service-main.ts');
const GATEWAY_MAIN = join(__dirname, '../../../apps/gateway/src/main.ts');

/**
 * The graph as production runs it: each subgraph and the gateway in a Node process of its
 * own (docker-compose.yml), their events over the Kafka broker, so that the import's
 * requests service, the four consumers and the gateway spread over the machine's cores.
 */
export async function startProcesses(options: ProcessesOptions): Promise<RunningProcesses> {
  const children = new Map<string, ChildProcess>();
  const sharedSecret = randomBytes(24).toString('hex');
  const execArgv = [
    '--import',
    'tsx',
    ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []),
  ];
  const base: Record<string, string | undefined> = {
    ...process.env,
    ...options.env,
    NODE_ENV: 'development',
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    SUBGRAPH_SHARED_SECRET: sharedSecret,
    JWT_SECRET: options.jwtSecret,
  };
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const urls = Object.fromEntries(
      await Promise.all(
        SUBGRAPHS.map(async (name) => {
          const p = envPrefix(name);
          const child = fork(SERVICE_MAIN, [], {
            execArgv,
            env: {
              ...base,
              SEED_SERVICE: name,
              SEED_CLOCK_MS: String(options.clockMs),
              SEED_KAFKA_PREFIX: options.kafkaPrefix,
              [`${p}_PORT`]: String(await freePort()),
              [`${p}_DATABASE_URL`]: await options.databaseUrlFor(name),
            },
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          children.set(name, child);
          const url = await new Promise<string>((resolve, reject) => {
            child.on('message', (m: Partial<ChildReady>) => m.ready && resolve(m.ready));
            child.once('exit', (code) => reject(new Error(`the ${name} process exited (${code}) before it was ready`)));
          });
          return [name, url] as const;
        }),
      ),
    ) as Record<SubgraphName, string>;
    const port = await freePort();
    const gateway = fork(GATEWAY_MAIN, [], {
      execArgv,
      env: {
        ...base,
        GATEWAY_PORT: String(port),
        ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s)}_URL`, urls[s]])),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.set('gateway', gateway);
    const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
    await waitReady(`http://127.0.0.1:${port}/readyz`, gateway);
    return {
      gatewayUrl,
      usage: async () =>
        Promise.all(
          [...children].map(async ([name, child]) => ({
            name,
            pid: child.pid ?? 0,
            ...procUsage(child.pid ?? 0),
            statements: name === 'gateway' ? undefined : await statementsOf(child),
          })),
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Deletes the run's topics (and with them its dead-letter topics) and consumer groups from the broker. */
export async function deleteKafkaNamespace(brokers: string[], prefix: string): Promise<number> {
  const admin = new Kafka({ clientId: `${prefix}cleanup`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

function procUsage(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const peakRssMb = memoryMbOfProcess(pid, 'VmHWM');
  const cpuMs = cpuMsOfProcess(pid);
  return {
    peakRssMb: Number.isFinite(peakRssMb) ? peakRssMb : 0,
    cpuSeconds: Number.isFinite(cpuMs) ? cpuMs / 1000 : 0,
  };
}

/** This process's own peak RSS and CPU (the generator). */
export const ownUsage = () => procUsage(process.pid);

function statementsOf(child: ChildProcess): Promise<number | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 2000);
    const onMessage = (m: Partial<ChildStats>) => {
      if (typeof m.statements !== 'number') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m.statements);
    };
    child.on('message', onMessage);
    child.send('stats');
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway process exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the gateway was not ready at ${url} within ${timeoutMs / 1000} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
