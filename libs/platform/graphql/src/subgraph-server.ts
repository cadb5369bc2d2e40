import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import { ANONYMOUS, CALLER_HEADER, CALLER_SIGNATURE_HEADER, decodeCallerHeaders } from '@servicecenter/platform-auth';
import type { Logger } from '@servicecenter/platform-logging';
import { graphqlMetricsPlugin } from '@servicecenter/platform-metrics';
import type { RequestContext } from './context';
import { createErrorFormatter } from './errors';
import { guardMutations } from './mutation-guard';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key';
import { applyInputRules } from './input-rules';
import type { ApolloResolverMap, SubgraphResolverMap } from './resolver-map';
import { createHttpApp, jsonBody, listen, type HttpMetrics, type Listening, type Readiness } from './http-server';

export { createHttpApp, jsonBody, listen, type HttpMetrics, type Listening, type Readiness } from './http-server';

export interface SubgraphServerOptions<TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolverMap<TContext>;
  port: number;
  host?: string;
  /** When set, only calls signed by the gateway get through. */
  sharedSecret?: string;
  /**
   * Answer `apollo-federation-include-trace: ftv1` with per-field traces. Off by default: no
   * Apollo Studio here, and `npm run bench` measured the cost (docs/performance.md).
   */
  inlineTracing?: boolean;
  production: boolean;
  logger: Logger;
  readiness: Readiness;
  /** Adds per-request parts (use cases, DataLoaders) to the base context. */
  createContext: (base: RequestContext) => TContext;
  /** Extra routes beside /graphql (e.g. the reporting service's HTML review page). */
  extendApp?: (app: express.Express) => void;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Measures every operation and request and serves /metrics (libs/platform/metrics). */
  metrics?: HttpMetrics;
}

export interface RunningSubgraph {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A subgraph's executable schema: its SDL and resolvers, every argument held to the input rules
 * before its resolver runs (docs/input.md), mutations guarded against an unknown outcome.
 */
export function buildServiceSchema<TContext>(typeDefs: DocumentNode, resolvers: SubgraphResolverMap<TContext>) {
  return applyInputRules(
    buildSubgraphSchema({
      typeDefs,
      // why: Apollo calls every resolver with the context the server built for it (a TContext),
      // though its own map type knows no context type.
      resolvers: guardMutations(resolvers) as ApolloResolverMap,
    }),
  );
}

/**
 * No answer of a subgraph may be cached: none of the schemas has a `@cacheControl` hint, so Apollo's
 * cache-control plugin always came to `no-store`, but it got there through a hook on every field it
 * resolved (and a wrapper around every resolver): 5-8 % of a queue page's CPU. This sets the same
 * header once per answer.
 */
const noStorePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

export async function startSubgraphServer<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningSubgraph> {
  const server = new ApolloServer<TContext>({
    schema: buildServiceSchema(options.typeDefs, options.resolvers),
    formatError: createErrorFormatter(options.logger, options.production),
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    // The process owns signal handling (it stops consumers and the database too).
    stopOnTerminationSignals: false,
    plugins: [
      // First, so it sees every operation, also one a later plugin refuses.
      ...(options.metrics ? [graphqlMetricsPlugin<TContext>(options.metrics.metrics)] : []),
      // No Apollo Studio here, so per-field traces are pure overhead (measured: docs/performance.md).
      options.inlineTracing ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin as ApolloServerPlugin<TContext>,
      ...(options.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  const app = createHttpApp(options.readiness, { service: options.name, metrics: options.metrics });
  options.extendApp?.(app);
  app.use(
    '/graphql',
    jsonBody(),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const decoded = decodeCallerHeaders(
          req.header(CALLER_HEADER) ?? undefined,
          req.header(CALLER_SIGNATURE_HEADER) ?? undefined,
          options.sharedSecret,
        );
        if (!decoded.ok) {
          throw new GraphQLError(`Refused: ${decoded.reason}`, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        const correlationId = req.header('x-request-id') ?? randomUUID();
        const idempotencyKey = parseIdempotencyKey(req.header(IDEMPOTENCY_KEY_HEADER));
        return options.createContext({ caller: decoded.caller ?? ANONYMOUS, correlationId, idempotencyKey });
      },
    }),
  );

  let listening: Listening;
  try {
    listening = await listen(app, options.port, options.host);
  } catch (error) {
    await server.stop();
    throw error;
  }
  options.logger.info({ port: listening.port }, `${options.name} subgraph listening`);
  return {
    url: `http://127.0.0.1:${listening.port}/graphql`,
    port: listening.port,
    stop: async () => {
      await listening.close();
      await server.stop();
    },
  };
}
