import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  ANONYMOUS,
  CALLER_HEADER,
  CALLER_SIGNATURE_HEADER,
  type Caller,
  type CallerHeaders,
} from '@servicecenter/platform-auth';
import { IDEMPOTENCY_KEY_HEADER } from '@servicecenter/platform-graphql';
import { fetchInstrumentationActive, injectTraceHeaders } from '@servicecenter/platform-telemetry';
import { isMutationFetch, subgraphFetchFailure } from './subgraph-failure';

export interface SubgraphRequestContext {
  caller: Caller;
  requestId: string;
  /** The client's Idempotency-Key header, forwarded to the subgraph that owns the mutation. */
  idempotencyKey?: string;
}

/** A subgraph answered non-2xx with a GraphQL body: its errors go to the client like any other. */
class SubgraphErrorResponse extends Error {
  constructor(readonly errors: GraphQLFormattedError[]) {
    super('subgraph answered with errors');
  }
}

type FetchResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

const codeOfStatus = (status: number) =>
  status === 401
    ? 'UNAUTHENTICATED'
    : status === 403
      ? 'FORBIDDEN'
      : status >= 500
        ? 'SERVICE_UNAVAILABLE'
        : 'INTERNAL_SERVER_ERROR';

/**
 * How the gateway calls a subgraph: forwards the verified caller (signed when a shared secret
 * is set) and the request id; and reads a non-2xx answer as GraphQL when it is one, so a
 * subgraph's 401 or its 400 for a variable that does not fit its scalar reaches the client with
 * the subgraph's own code (UNAUTHENTICATED, BAD_USER_INPUT), not as a gateway error carrying the
 * subgraph's URL and response body.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<SubgraphRequestContext> {
  constructor(
    readonly name: string,
    url: string,
    /** The caller's `x-caller` header, signed when a shared secret is set (callerHeaderSigner). */
    private readonly callerHeaders: (caller: Caller) => CallerHeaders,
    /** The gateway's keep-alive fetch to its subgraphs (subgraph-fetcher.ts). */
    fetcher: RemoteGraphQLDataSource['fetcher'],
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<SubgraphRequestContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    const caller = (context as Partial<SubgraphRequestContext>).caller ?? ANONYMOUS;
    const { encoded, signature } = this.callerHeaders(caller);
    headers.set(CALLER_HEADER, encoded);
    if (signature) headers.set(CALLER_SIGNATURE_HEADER, signature);
    const requestId = (context as Partial<SubgraphRequestContext>).requestId;
    if (requestId) headers.set('x-request-id', requestId);
    const idempotencyKey = (context as Partial<SubgraphRequestContext>).idempotencyKey;
    if (idempotencyKey) headers.set(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
    // The subgraph continues the client's trace. With the undici instrumentation on, it sends its
    // client span's traceparent itself (a second header here would make both unreadable).
    if (!fetchInstrumentationActive()) injectTraceHeaders((name, value) => headers.set(name, value));
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof SubgraphErrorResponse) return { errors: error.errors };
      // A broken exchange: OUTCOME_UNKNOWN for a sent mutation, else retryable (subgraph-failure.ts).
      throw subgraphFetchFailure(error, this.name, isMutationFetch(options));
    }
  }

  override async errorFromResponse(response: FetchResponse): Promise<GraphQLError> {
    const body = await this.parseBody(response).catch(() => undefined);
    const errors = (body as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof e?.message === 'string')) {
      throw new SubgraphErrorResponse(errors as GraphQLFormattedError[]);
    }
    // Not a GraphQL answer (a proxy's error page, say): its status tells the client what it can.
    return new GraphQLError(`The ${response.status >= 500 ? 'service' : 'request'} failed (${response.status}).`, {
      extensions: { code: codeOfStatus(response.status) },
    });
  }
}
