import type express from 'express';
import type { DocumentNode } from 'graphql';
import type { EntitySchema } from 'typeorm';
import type { SubgraphConfig, SubgraphName } from '@servicecenter/platform-config';
import type { Clock, EventTransport } from '@servicecenter/platform-events';
import {
  startSubgraphServer,
  type RequestContext,
  type RunningSubgraph,
  type SubgraphResolverMap,
} from '@servicecenter/platform-graphql';
import type { Logger } from '@servicecenter/platform-logging';
import { loadMetricsSettings } from '@servicecenter/platform-metrics';
import type { Service } from './service';
import { ServiceRuntime } from './service-runtime';

export interface ServiceDeps {
  config: SubgraphConfig;
  transport: EventTransport;
  logger: Logger;
  /** Tests move time with their own clock. */
  clock?: Clock;
}

export interface SubgraphWiring<TContext extends RequestContext> {
  /** Adds the per-request parts (use cases, DataLoaders) to the base context. */
  createContext(base: RequestContext): TContext;
  extendApp?(app: express.Express): void;
  /** Background work (timers) to stop before the database closes. */
  stop?(): Promise<void>;
}

/** What makes a service itself; the lifecycle around it is the same for all five. */
export interface SubgraphDefinition<TContext extends RequestContext> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolverMap<TContext>;
  entities: EntitySchema[];
  migrations: Function[];
  /** Registers consumers on the runtime and returns the service's wiring. */
  setup(runtime: ServiceRuntime): SubgraphWiring<TContext> | Promise<SubgraphWiring<TContext>>;
}

export type SubgraphService = Service & { runtime(): ServiceRuntime };

/**
 * start(): database + migrations, consumers and relay, then the GraphQL server.
 * stop(): the reverse, so no event is taken that cannot be finished.
 */
export function createSubgraphService<TContext extends RequestContext>(
  definition: SubgraphDefinition<TContext>,
  deps: ServiceDeps,
): SubgraphService {
  let runtime: ServiceRuntime | undefined;
  let wiring: SubgraphWiring<TContext> | undefined;
  let server: RunningSubgraph | undefined;
  return {
    name: definition.name,
    typeDefs: definition.typeDefs,
    runtime: () => {
      if (!runtime) throw new Error(`${definition.name} service is not started`);
      return runtime;
    },
    async start() {
      runtime = await ServiceRuntime.open({
        config: deps.config,
        entities: definition.entities,
        migrations: definition.migrations,
        transport: deps.transport,
        logger: deps.logger,
        clock: deps.clock,
      });
      wiring = await definition.setup(runtime);
      await runtime.startEvents();
      server = await startSubgraphServer<TContext>({
        name: definition.name,
        typeDefs: definition.typeDefs,
        // A mutation sent with an Idempotency-Key header is made once (libs/platform/service/src/idempotency).
        resolvers: runtime.idempotency.wrapMutations(definition.resolvers),
        port: deps.config.port,
        sharedSecret: deps.config.sharedSecret,
        inlineTracing: deps.config.inlineTracing,
        production: deps.config.nodeEnv === 'production',
        logger: deps.logger,
        readiness: runtime.readiness(),
        createContext: wiring.createContext,
        extendApp: wiring.extendApp,
        metrics: { metrics: runtime.metrics, settings: loadMetricsSettings(deps.config.source ?? {}) },
      });
      return { url: server.url, port: server.port };
    },
    async stop() {
      deps.logger.debug('stopping the GraphQL server');
      await server?.stop();
      deps.logger.debug('stopping background work');
      await wiring?.stop?.();
      deps.logger.debug('stopping consumers, relay and database');
      await runtime?.stop();
      deps.logger.debug('stopped');
      server = undefined;
      wiring = undefined;
      runtime = undefined;
    },
  };
}
