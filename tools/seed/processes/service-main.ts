/**
 * One subgraph in a process of its own for the seed's `--processes` mode (tools/seed/processes/run.ts):
 * what apps/<service>/src/main.ts does (same factory, configuration from the environment,
 * Kafka), with three differences the seed needs: the service's clock stands at the desk's
 * present (`SEED_CLOCK_MS`: the imported histories carry their own instants; timers fire
 * when due by that clock, as in-process), topics and consumer groups carry the run's
 * prefix (`SEED_KAFKA_PREFIX`) on the shared broker, and Kafka is set for a bulk load
 * (`BULK_LOAD`). Reports its URL over IPC once started.
 */
import pg from 'pg';
import { SUBGRAPHS, loadSubgraphConfig, type SubgraphName } from '@servicecenter/platform-config';
import { KafkaTransport } from '@servicecenter/platform-events';
import { createLogger } from '@servicecenter/platform-logging';
import { Topics } from '@servicecenter/contracts';
import { FACTORIES } from '../../../apps/stack/src/stack';
import { NamespacedTransport } from './namespaced-transport';

/**
 * Kafka as a bulk load uses it (docs/seed.md, "`--processes`"). The run's topics are its own
 * (created by the services, deleted at the end) and every group has one consumer, so one
 * partition per topic costs no parallelism, while three split every fetch into three sets
 * (a transaction each). A fetch waits for 256 kB or 250 ms instead of answering with the first
 * byte: a consumer that keeps up with the import still applies sets of a few hundred events.
 * Statements per imported request 17.3 -> 11.8 at 3,000 requests (the latency this costs does
 * not matter to a load; the services' defaults stay as they are).
 */
const BULK_LOAD = { partitions: 1, consumerMinBytes: 256 * 1024, consumerMaxWaitMs: 250 } as const;

export interface ChildReady {
  ready: string;
}
export interface ChildStats {
  statements: number;
}

async function main() {
  const name = process.env.SEED_SERVICE as SubgraphName;
  if (!SUBGRAPHS.includes(name)) throw new Error(`SEED_SERVICE must be one of ${SUBGRAPHS.join(', ')}`);
  const at = Number(process.env.SEED_CLOCK_MS);
  if (!Number.isFinite(at)) throw new Error('SEED_CLOCK_MS must be a time in milliseconds');
  const prefix = process.env.SEED_KAFKA_PREFIX ?? '';
  // Every statement the service sends (pg.Client#query is what TypeORM's driver calls).
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;

  const config = loadSubgraphConfig(name);
  const logger = createLogger(`seed-${name}`, config.logLevel);
  if (!config.kafkaBrokers?.length) throw new Error('KAFKA_BROKERS is required: the services talk over Kafka');
  const transport = new NamespacedTransport(
    new KafkaTransport({
      brokers: config.kafkaBrokers,
      clientId: `${prefix}servicecenter-${name}`,
      logger,
      topics: Object.values(Topics).map((t) => prefix + t),
      ...BULK_LOAD,
    }),
    prefix,
  );
  const service = FACTORIES[name]({ config, transport, logger, clock: () => new Date(at) });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await service.stop();
      await transport.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('message', (message) => {
    if (message === 'stats') process.send?.({ statements } satisfies ChildStats);
  });
  await transport.start();
  const { url } = await service.start();
  process.send?.({ ready: url } satisfies ChildReady);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
