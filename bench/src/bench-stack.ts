import { randomBytes } from 'node:crypto';
import { Kind, parse } from 'graphql';
import { Client } from 'pg';
import { SUBGRAPHS, envPrefix, type SubgraphName } from '@servicecenter/platform-config';
import { dropDatabase, ensureDatabase, freePort, withDatabase } from '@servicecenter/platform-database';
import { SUPERGRAPH_CONFIG_FILE, composeSupergraph, readSupergraphConfig } from '@servicecenter/platform-graphql';
import { silentLogger } from '@servicecenter/platform-logging';
// eslint-disable-next-line no-restricted-imports -- the bench runs the whole graph, as apps/stack does
import { startStack, type RunningStack } from '@servicecenter/stack';
import { GraphClient } from '@servicecenter/testing';
import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { BENCH_NODE_ENV } from './production-mode';

/** Subgraphs refuse calls without the gateway's signature, as in production. */
export const BENCH_SHARED_SECRET = 'servicecenter-bench-shared-secret';

export interface BenchDatabases {
  urls: Record<SubgraphName, string>;
  names: string[];
  drop(): Promise<void>;
}

/** A fresh database per service on the machine's PostgreSQL (`scbench_<service>_<random>`). */
export async function createBenchDatabases(serverUrl: string, label: string): Promise<BenchDatabases> {
  const suffix = randomBytes(3).toString('hex');
  const names = SUBGRAPHS.map((s) => `scbench_${label}_${s.replace(/-/g, '_')}_${suffix}`.slice(0, 63));
  for (const name of names) await ensureDatabase(serverUrl, name);
  const urls = Object.fromEntries(SUBGRAPHS.map((s, i) => [s, withDatabase(serverUrl, names[i])])) as Record<
    SubgraphName,
    string
  >;
  return { urls, names, drop: async () => void (await Promise.all(names.map((n) => dropDatabase(serverUrl, n)))) };
}

export interface BenchStack {
  stack: RunningStack;
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  client: GraphClient;
  env: Record<string, string>;
  /** The supergraph the Apollo gateway serves, with the subgraphs' real routing URLs. */
  supergraphSdl: string;
}

/**
 * The whole graph in this process (as `npm start` runs it) on fixed free ports, so the bench
 * knows every subgraph's URL; production settings: NODE_ENV=production, signed caller header, default polls.
 */
export async function startBenchStack(
  databases: BenchDatabases,
  extraEnv: Record<string, string> = {},
): Promise<BenchStack> {
  // The ports are picked free and then listened on: another process may take one in between
  // (seen in CI). startStack stops what it started when a listen fails, so pick again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBenchStackOnFreePorts(databases, extraEnv);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

async function startBenchStackOnFreePorts(
  databases: BenchDatabases,
  extraEnv: Record<string, string>,
): Promise<BenchStack> {
  const ports: Record<string, number> = { gateway: await freePort() };
  for (const s of SUBGRAPHS) ports[s] = await freePort();
  const env: Record<string, string> = {
    // As deployed (production-mode.ts); production needs an explicit token secret: the one the bench signs with.
    NODE_ENV: BENCH_NODE_ENV,
    JWT_SECRET: DEV_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SUBGRAPH_SHARED_SECRET: BENCH_SHARED_SECRET,
    GATEWAY_PORT: String(ports.gateway),
    // The bench measures throughput from a handful of callers: no per-caller budget.
    GATEWAY_RATE_LIMIT_POINTS: '1000000000',
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s)}_PORT`, String(ports[s])])),
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s)}_DATABASE_URL`, databases.urls[s]])),
    ...extraEnv,
  };
  const stack = await startStack({ env, logger: silentLogger });
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((s) => [s, `http://127.0.0.1:${ports[s]}/graphql`])) as Record<
    SubgraphName,
    string
  >;
  const supergraphSdl = composeSupergraph(
    readSupergraphConfig(SUPERGRAPH_CONFIG_FILE).map((s) => ({
      ...s,
      routingUrl: subgraphUrls[s.name as SubgraphName] ?? s.routingUrl,
    })),
  );
  return {
    stack,
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls,
    client: new GraphClient(stack.gatewayUrl),
    env,
    supergraphSdl,
  };
}

export async function count(url: string, sql: string): Promise<number> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return Number((await db.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await db.end();
  }
}

/** Waits until the SLA service has every registration (the queue shows `sla` for each). */
export async function settle(bs: BenchStack): Promise<void> {
  const deadline = Date.now() + 120_000;
  const requests = await count(bs.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
  while (Date.now() < deadline) {
    if ((await count(bs.env.SLA_DATABASE_URL, 'SELECT count(*) AS n FROM request_sla_state')) >= requests) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the SLA service did not receive every registration within 120 s');
}

/** The root fields of the supergraph's Query type (the bench's stack runs in production mode: no introspection). */
export function queryRootFields(supergraphSdl: string): Set<string> {
  const fields = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Query'
    )
      for (const field of definition.fields ?? []) fields.add(field.name.value);
  }
  return fields;
}
