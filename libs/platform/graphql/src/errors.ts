import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  DomainError,
  ErrorCode,
  InfrastructureErrorCode,
  OutcomeUnknownError,
  classifyInfrastructureFailure,
} from '@servicecenter/platform-errors';
import type { Logger } from '@servicecenter/platform-logging';

/**
 * Apollo's own codes for problems it detects before our resolvers run, and our domain and
 * infrastructure codes as the gateway receives them from a subgraph (already formatted there).
 */
const PASS_THROUGH = new Set<string>([
  // BAD_USER_INPUT, UNAUTHENTICATED and FORBIDDEN are Apollo's codes too.
  ...Object.values(ErrorCode),
  ...Object.values(InfrastructureErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export const OUTCOME_UNKNOWN_MESSAGE =
  'The connection was lost after the change was sent: it may or may not have been made. ' +
  'Send the same mutation again with the same Idempotency-Key (it is made at most once and the retry returns its result), ' +
  'or look the change up before trying again.';

export const SERVICE_UNAVAILABLE_MESSAGE =
  'The service is busy or briefly unavailable; nothing was changed. Try again in a moment.';

/**
 * How a failure is told to clients:
 * - a DomainError: its code and details;
 * - OUTCOME_UNKNOWN (`retryable: false`): a change was sent and the connection was lost, so
 *   it may have been committed (a mutation resolver turns a lost connection into this);
 * - SERVICE_UNAVAILABLE (`retryable: true`): nothing was written and the same call can succeed
 *   (deadlock, serialization failure, lock or statement timeout, server restarting, pool full,
 *   not connected; or a read whose connection was lost);
 * - anything else INTERNAL_SERVER_ERROR, logged with its stack, masked in production. That
 *   includes SQLSTATEs a retry cannot cure, such as the 08P01 protocol violation.
 */
export function createErrorFormatter(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Resolver errors arrive wrapped in a GraphQLError; look at what was thrown.
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...original.details, code: original.code },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code)) return formatted;
    if (original instanceof GraphQLError && code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const failure = classifyInfrastructureFailure(original);
    if (failure === 'outcome-unknown') {
      logger.warn(
        { err: (original as OutcomeUnknownError).cause ?? original, path: formatted.path },
        'connection lost after a change was sent; the client is told the outcome is unknown',
      );
      return {
        message: OUTCOME_UNKNOWN_MESSAGE,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: InfrastructureErrorCode.OUTCOME_UNKNOWN, retryable: false },
      };
    }
    // 'connection-lost' reaching here is a read's (mutations turn it into OutcomeUnknownError).
    if (failure === 'retryable' || failure === 'connection-lost') {
      logger.warn({ err: original, path: formatted.path }, 'database busy or unreachable; the client is told to retry');
      return {
        message: SERVICE_UNAVAILABLE_MESSAGE,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: InfrastructureErrorCode.SERVICE_UNAVAILABLE, retryable: true },
      };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a resolver');
    return {
      message: production ? 'Internal server error' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
