import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import express from 'express';
import { GraphQLError, type ValidationContext } from 'graphql';
import {
  ANONYMOUS,
  CALLER_HEADER,
  CALLER_SIGNATURE_HEADER,
  createJwtVerifier,
  encodeCaller,
  signCaller,
  type Caller,
} from '@servicecenter/auth';
import { createErrorFormatter, createHttpApp, listen, type Listening } from '@servicecenter/graphql';
import type { Logger } from '@servicecenter/logging';
import type { GatewayConfig } from './config';
import { boundedVariableErrors } from './variable-errors';

export interface GatewayContext {
  caller: Caller;
  requestId: string;
}

export interface GatewayOptions {
  config: GatewayConfig;
  supergraphSdl: string;
  logger: Logger;
}

/** Forwards the verified caller (signed when a shared secret is set) and the request id. */
class CallerForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly sharedSecret: string | undefined,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    const caller = (context as Partial<GatewayContext>).caller ?? ANONYMOUS;
    const encoded = encodeCaller(caller);
    headers.set(CALLER_HEADER, encoded);
    if (this.sharedSecret) headers.set(CALLER_SIGNATURE_HEADER, signCaller(encoded, this.sharedSecret));
    const requestId = (context as Partial<GatewayContext>).requestId;
    if (requestId) headers.set('x-request-id', requestId);
  }
}

const reportRejection = (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error);

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The one endpoint clients use: verifies the bearer token, plans queries over the
 * subgraphs, rejects operations that are too deep or too costly before planning them.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const production = config.nodeEnv === 'production';
  const verifyToken = createJwtVerifier(config.jwt);

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      return new CallerForwardingDataSource(target, config.sharedSecret);
    },
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The process owns signal handling (it stops consumers and the database too).
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(logger, production),
    // Reported as validation errors (GRAPHQL_VALIDATION_FAILED), not thrown: a thrown error
    // would surface as an internal server error.
    validationRules: [
      maxDepthRule({
        n: config.maxDepth,
        ignoreIntrospection: true,
        propagateOnRejection: false,
        onReject: [reportRejection],
      }),
      costLimitRule({
        maxCost: config.maxCost,
        ignoreIntrospection: true,
        propagateOnRejection: false,
        onReject: [reportRejection],
      }),
    ],
    plugins: [boundedVariableErrors(), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await server.start();

  // Ready once the supergraph is loaded (server.start above). A subgraph being down only
  // fails the fields it owns; the rest of the graph keeps serving, so it does not gate this.
  const app = createHttpApp({ supergraph: async () => true });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const requestId = req.header('x-request-id') ?? randomUUID();
        const authorization = req.header('authorization');
        if (!authorization) return { caller: ANONYMOUS, requestId };
        const match = /^Bearer\s+(.+)$/i.exec(authorization);
        try {
          if (!match) throw new Error('expected "Authorization: Bearer <token>"');
          return { caller: await verifyToken(match[1]), requestId };
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
    throw error;
  }
  logger.info({ port: listening.port }, 'gateway listening');
  return {
    url: `http://localhost:${listening.port}/graphql`,
    port: listening.port,
    stop: async () => {
      await listening.close();
      await server.stop();
    },
  };
}
