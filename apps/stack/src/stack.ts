import { join } from 'node:path';
import {
  SUBGRAPHS,
  loadAll,
  loadSubgraphConfig,
  type SubgraphConfig,
  type SubgraphName,
} from '@servicecenter/platform-config';
import { startEmbeddedPostgres, type RunningPostgres } from '@servicecenter/platform-database';
import type { Clock, EventTransport } from '@servicecenter/platform-events';
import { SUPERGRAPH_CONFIG_FILE, composeSupergraph, readSupergraphConfig } from '@servicecenter/platform-graphql';
import { createLogger, type Logger } from '@servicecenter/platform-logging';
import { createTransport, type ServiceDeps, type SubgraphService } from '@servicecenter/platform-service';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@servicecenter/gateway';
import { createRequestsService } from '@servicecenter/requests';
import { createSlaService } from '@servicecenter/sla';
import { createEscalationsService } from '@servicecenter/escalations';
import { createReportingService } from '@servicecenter/reporting';
import { createReleaseTestingService } from '@servicecenter/release-testing';

/** Each subgraph's factory (also the seed's service processes, tools/seed/processes). */
export const FACTORIES: Record<SubgraphName, (deps: ServiceDeps) => SubgraphService> = {
  requests: createRequestsService,
  sla: createSlaService,
  escalations: createEscalationsService,
  reporting: createReportingService,
  'release-testing': createReleaseTestingService,
};

export interface StackOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  clock?: Clock;
  /** Port 0 for every service and the gateway (tests run stacks side by side). */
  randomPorts?: boolean;
  /** Give each service this database URL instead of deriving one (test harness). */
  databaseUrlFor?: (service: SubgraphName) => Promise<string>;
  /** Where `npm start` keeps the embedded PostgreSQL. */
  embeddedDataDir?: string;
  embeddedPort?: number;
  /** Share a transport (tests inspect the in-process log). */
  transport?: EventTransport;
}

export interface RunningStack {
  gatewayUrl: string;
  /** Each subgraph's own GraphQL URL (e.g. for the reporting service's review page beside it). */
  subgraphUrls: Record<SubgraphName, string>;
  services: Record<SubgraphName, SubgraphService>;
  transport: EventTransport;
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_DIR = join(__dirname, '../../../.data/postgres');
export const DEFAULT_EMBEDDED_PORT = 54329;

/**
 * The whole graph in one process: embedded PostgreSQL unless DATABASE_URL is set, the
 * in-process transport unless KAFKA_BROKERS is set, five subgraphs and the gateway over a
 * supergraph composed in memory from the SDL files.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('stack');
  const configs = loadAll({
    gateway: () => loadGatewayConfig(env),
    ...(Object.fromEntries(SUBGRAPHS.map((s) => [s, () => loadSubgraphConfig(s, env)])) as Record<
      SubgraphName,
      () => SubgraphConfig
    >),
  });

  let postgres: RunningPostgres | undefined;
  const services = {} as Record<SubgraphName, SubgraphService>;
  let gateway: RunningGateway | undefined;
  const transport =
    options.transport ??
    createTransport({
      kafkaBrokers: configs.requests.kafkaBrokers,
      clientId: 'servicecenter-stack',
      logger,
      consumerMaxWaitMs: configs.requests.kafkaConsumerMaxWaitMs,
    });

  const stop = async () => {
    await gateway?.stop().catch((e) => logger.error({ err: e }, 'gateway stop failed'));
    for (const name of [...SUBGRAPHS].reverse()) {
      await services[name]?.stop().catch((e) => logger.error({ err: e }, `${name} stop failed`));
    }
    if (!options.transport) await transport.stop().catch(() => undefined);
    await postgres?.stop();
  };

  try {
    const needsServer =
      !options.databaseUrlFor && SUBGRAPHS.some((s) => !configs[s].databaseUrl && !configs[s].serverUrl);
    if (needsServer) {
      postgres = await startEmbeddedPostgres({
        dataDir: options.embeddedDataDir ?? DEFAULT_EMBEDDED_DIR,
        port: options.embeddedPort ?? DEFAULT_EMBEDDED_PORT,
        logger,
      });
    }
    if (!options.transport) await transport.start();

    const routing = new Map<string, string>();
    await Promise.all(
      SUBGRAPHS.map(async (name) => {
        const base = configs[name];
        const config: SubgraphConfig = {
          ...base,
          port: options.randomPorts ? 0 : base.port,
          databaseUrl: options.databaseUrlFor ? await options.databaseUrlFor(name) : base.databaseUrl,
          serverUrl: base.serverUrl ?? postgres?.url,
        };
        const service = FACTORIES[name]({
          config,
          transport,
          logger: logger.child({ service: name }),
          clock: options.clock,
        });
        services[name] = service;
        const { url } = await service.start();
        routing.set(name, url);
      }),
    );

    const subgraphs = readSupergraphConfig(SUPERGRAPH_CONFIG_FILE).map((s) => ({
      ...s,
      routingUrl: routing.get(s.name) ?? s.routingUrl,
    }));
    gateway = await startGateway({
      config: {
        ...configs.gateway,
        port: options.randomPorts ? 0 : configs.gateway.port,
        subgraphUrls: Object.fromEntries(routing),
      },
      supergraphSdl: composeSupergraph(subgraphs),
      logger: logger.child({ service: 'gateway' }),
    });
    return {
      gatewayUrl: gateway.url,
      subgraphUrls: Object.fromEntries(routing) as Record<SubgraphName, string>,
      services,
      transport,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
