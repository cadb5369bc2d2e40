import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind } from 'graphql';
import { InfrastructureErrorCode } from '@servicecenter/platform-errors';
import { OUTCOME_UNKNOWN_MESSAGE, SERVICE_UNAVAILABLE_MESSAGE } from '@servicecenter/platform-graphql';

/**
 * Failures before the request was sent, so the subgraph never saw it: socket and DNS errors,
 * and undici's connect timeout.
 */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A socket error's code (ECONNRESET, EPIPE…) or undici's (UND_ERR_SOCKET, UND_ERR_HEADERS_TIMEOUT…). */
const TRANSPORT_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * The code of the socket or undici error behind `error`: its own, or along its `cause` chain
 * (undici's fetch rejects with `TypeError: fetch failed` or `terminated` whose cause is the
 * socket error, ECONNREFUSED as an AggregateError over the addresses tried).
 */
function transportCode(error: unknown): string | undefined {
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (typeof e.code === 'string' && TRANSPORT_CODE.test(e.code)) return e.code;
    const first = Array.isArray(e.errors) ? (e.errors[0] as ErrorLike | undefined) : undefined;
    if (typeof first?.code === 'string' && TRANSPORT_CODE.test(first.code)) return first.code;
    e = e.cause as ErrorLike | undefined;
  }
  return undefined;
}

/**
 * True for a broken exchange: undici's `fetch failed` (no answer: refused, reset, timed out, TLS)
 * and `terminated` (the answer's body cut short or too slow); an abort or a timeout signal; a
 * JSON answer that does not parse (cut short where nothing frames the body, or garbled); any
 * error carrying a socket or undici code.
 */
function isTransportFailure(error: unknown): boolean {
  const e = error as ErrorLike | undefined;
  // By name, not instanceof: undici's errors may come from another realm (jest's sandbox).
  if (e?.name === 'TypeError' && (e.message === 'fetch failed' || e.message === 'terminated')) return true;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  // Only response.json() throws it on the way, for an answer labelled application/json that does
  // not parse (make-fetch-happen's `invalid-json` FetchError before: the same category).
  if (e?.name === 'SyntaxError') return true;
  return transportCode(error) !== undefined;
}

/** True when the subgraph fetch carries a mutation (the gateway's entity fetches are queries). */
export function isMutationFetch(options: GraphQLDataSourceProcessOptions): boolean {
  const document = 'document' in options ? options.document : undefined;
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation && operation.kind === Kind.OPERATION_DEFINITION) return operation.operation === 'mutation';
  return /^\s*mutation\b/.test(options.request.query ?? '');
}

/**
 * What the client hears when the HTTP exchange with a subgraph broke (no answer, or an answer
 * cut short): for a mutation that was sent (connection reset, socket closed, no answer in time,
 * body cut off) the change may have been made, so OUTCOME_UNKNOWN; for a query, or when the
 * connection was never opened (refused, no such host, connect timeout), SERVICE_UNAVAILABLE
 * with `retryable: true`. Anything else (an HTTP error status, a body that is not JSON from a
 * subgraph that answered in full) is not a transport failure and is returned unchanged.
 */
export function subgraphFetchFailure(error: unknown, serviceName: string, mutation: boolean): unknown {
  if (!isTransportFailure(error)) return error;
  const code = transportCode(error);
  if (mutation && !(code && NOT_SENT.has(code))) {
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
