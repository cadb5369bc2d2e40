import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, callerHeaderSigner, createJwtVerifier, type Caller } from '@servicecenter/platform-auth';
import {
  IDEMPOTENCY_KEY_HEADER,
  createHttpApp,
  jsonBody,
  listen,
  parseIdempotencyKey,
  type Listening,
} from '@servicecenter/platform-graphql';
import type { Logger } from '@servicecenter/platform-logging';
import { Metrics, graphqlMetricsPlugin } from '@servicecenter/platform-metrics';
import type { GatewayConfig } from './config';
import { readCostDirectives } from './cost';
import { createGatewayErrorFormatter } from './errors';
import { demandControlPlugin, validationRules } from './limits';
import { CallerBudget } from './rate-limit';
import { SubgraphDataSource } from './subgraph-data-source';
import { createSubgraphFetcher, type SubgraphTimeouts } from './subgraph-fetcher';

export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** The caller's address: the budget key of anonymous callers. */
  clientIp?: string;
  /** The client's Idempotency-Key header, forwarded to the subgraphs. */
  idempotencyKey?: string;
}

export interface GatewayOptions {
  config: GatewayConfig;
  supergraphSdl: string;
  logger: Logger;
  /** How long to wait for a subgraph; undici's defaults (connect 10 s, headers and body 300 s) unless set. */
  subgraphTimeouts?: SubgraphTimeouts;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The one endpoint clients use: verifies the bearer token, plans queries over the
 * subgraphs, refuses operations over the limits (docs/limits.md) or over the caller's budget
 * before planning them.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const production = config.nodeEnv === 'production';
  const verifyToken = createJwtVerifier(config.jwt);
  // The gateway's own registry: its series carry service="gateway" (libs/platform/metrics).
  const metrics = new Metrics('gateway');

  // One keep-alive pool for every subgraph call of this gateway, closed when it stops.
  const subgraphFetch = createSubgraphFetcher(options.subgraphTimeouts);
  // The caller's signed header, once per verified caller (the verifier remembers tokens).
  const callerHeaders = callerHeaderSigner(config.sharedSecret);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      return new SubgraphDataSource(name, target, callerHeaders, subgraphFetch.fetcher);
    },
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // No "Did you mean …?" in validation errors: they spell out the schema with introspection off.
    hideSchemaDetailsFromClientErrors: production,
    // One operation per HTTP request: a batch would multiply every per-operation limit.
    allowBatchedHttpRequests: false,
    // The process owns signal handling (it stops consumers and the database too).
    stopOnTerminationSignals: false,
    formatError: createGatewayErrorFormatter(logger, production),
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: validationRules(config.limits),
    plugins: [
      // First, so operations the limits or the budget refuse are measured too.
      graphqlMetricsPlugin<GatewayContext>(metrics),
      demandControlPlugin<GatewayContext>({
        costs: readCostDirectives(options.supergraphSdl),
        maxCost: config.limits.maxCost,
        budget: new CallerBudget(config.rateLimit),
      }),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await server.start();

  // Ready once the supergraph is loaded (server.start above). A subgraph being down only
  // fails the fields it owns; the rest of the graph keeps serving, so it does not gate this.
  const app = createHttpApp(
    { supergraph: async () => true },
    { service: 'gateway', metrics: { metrics, settings: config.metrics ?? {} } },
  );
  app.use(
    '/graphql',
    jsonBody(),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const requestId = req.header('x-request-id') ?? randomUUID();
        const clientIp = req.ip;
        const idempotencyKey = parseIdempotencyKey(req.header(IDEMPOTENCY_KEY_HEADER));
        const authorization = req.header('authorization');
        if (!authorization) return { caller: ANONYMOUS, requestId, clientIp, idempotencyKey };
        const match = /^Bearer\s+(.+)$/i.exec(authorization);
        try {
          if (!match) throw new Error('expected "Authorization: Bearer <token>"');
          return { caller: await verifyToken(match[1]), requestId, clientIp, idempotencyKey };
        } catch (error) {
          throw new GraphQLError(`Invalid bearer token: ${(error as Error).message}`, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
      },
    }),
  );

  let listening: Listening;
  try {
    listening = await listen(app, config.port);
  } catch (error) {
    await server.stop();
    await subgraphFetch.close();
    throw error;
  }
  logger.info({ port: listening.port }, 'gateway listening');
  return {
    url: `http://localhost:${listening.port}/graphql`,
    port: listening.port,
    stop: async () => {
      await listening.close();
      await server.stop();
      await subgraphFetch.close();
    },
  };
}
