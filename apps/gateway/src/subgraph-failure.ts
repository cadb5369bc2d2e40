import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind } from 'graphql';
import { InfrastructureErrorCode } from '@servicecenter/platform-errors';
import { OUTCOME_UNKNOWN_MESSAGE, SERVICE_UNAVAILABLE_MESSAGE } from '@servicecenter/platform-graphql';

/** Socket and DNS failures raised before a request was sent: the subgraph never saw it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** True when the subgraph fetch carries a mutation (the gateway's entity fetches are queries). */
export function isMutationFetch(options: GraphQLDataSourceProcessOptions): boolean {
  const document = 'document' in options ? options.document : undefined;
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation && operation.kind === Kind.OPERATION_DEFINITION) return operation.operation === 'mutation';
  return /^\s*mutation\b/.test(options.request.query ?? '');
}

/**
 * What the client hears when the HTTP exchange with a subgraph broke (no answer, or an answer
 * cut short): for a mutation that was sent (connection reset, socket hang up, body cut off)
 * the change may have been made, so OUTCOME_UNKNOWN; for a query, or when the connection was
 * never opened (refused, no such host), SERVICE_UNAVAILABLE with `retryable: true`. Anything
 * else (an HTTP error status, a body that is not JSON from a subgraph that answered in full)
 * is not a transport failure and is returned unchanged.
 */
export function subgraphFetchFailure(error: unknown, serviceName: string, mutation: boolean): unknown {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  // make-fetch-happen's FetchError (minipass-fetch) for a broken exchange: a socket error
  // (code ECONNRESET, EPIPE, ECONNREFUSED…), a body cut short or unreadable; or a bare socket error.
  const code = typeof e?.code === 'string' ? e.code : '';
  const transport = e?.name === 'FetchError' || /^E[A-Z]+$/.test(code);
  if (!transport) return error;
  if (mutation && !NOT_SENT.has(code)) {
    return new GraphQLError(OUTCOME_UNKNOWN_MESSAGE, {
      originalError: error as Error,
      extensions: { code: InfrastructureErrorCode.OUTCOME_UNKNOWN, retryable: false, service: serviceName },
    });
  }
  return new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, {
    originalError: error as Error,
    extensions: { code: InfrastructureErrorCode.SERVICE_UNAVAILABLE, retryable: true, service: serviceName },
  });
}
