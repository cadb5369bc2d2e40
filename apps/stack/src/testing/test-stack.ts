import { SUBGRAPHS, type SubgraphName } from '@servicecenter/platform-config';
import type { Clock, EventTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { GraphClient, createTestDatabase, testServerUrl, type TestDatabase } from '@servicecenter/testing';
import { startStack, type RunningStack } from '../stack';
import { recordEvents } from './event-recording';

export interface TestStack {
  stack: RunningStack;
  client: GraphClient;
  databases: Record<SubgraphName, TestDatabase>;
  /** Stops the graph; the databases stay for a restart unless `drop` is true. */
  stop(options?: { drop?: boolean }): Promise<void>;
}

/**
 * The whole graph in the test process on random ports, one fresh database per service,
 * the in-process transport (unless `transport` is given) and an optional test clock.
 * Pass the `databases` of an earlier TestStack to restart on the same data.
 */
export async function startTestStack(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    databases?: Record<SubgraphName, TestDatabase>;
    transport?: EventTransport;
  } = {},
): Promise<TestStack> {
  const databases =
    options.databases ??
    (Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (s) => [s, await createTestDatabase(s)] as const)),
    ) as Record<SubgraphName, TestDatabase>);
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: testServerUrl(),
    OUTBOX_POLL_MS: '50',
    TIMER_POLL_MS: '50',
    ...options.env,
  };
  delete (env as Record<string, string | undefined>).KAFKA_BROKERS;
  const stack = await startStack({
    env,
    logger: silentLogger,
    clock: options.clock,
    randomPorts: true,
    databaseUrlFor: async (service) => databases[service].url,
    transport: options.transport,
  });
  return {
    stack,
    client: new GraphClient(stack.gatewayUrl),
    databases,
    stop: async ({ drop = true } = {}) => {
      if (process.env['RECORD_EVENTS'] === '1') recordEvents(stack);
      await stack.stop();
      if (drop) await Promise.all(Object.values(databases).map((d) => d.drop()));
    },
  };
}
