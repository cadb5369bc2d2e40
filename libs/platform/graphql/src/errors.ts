import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode, isTransientInfrastructureError } from '@servicecenter/errors';
import type { Logger } from '@servicecenter/logging';

/**
 * Apollo's own codes for problems it detects before our resolvers run, and our domain codes
 * as the gateway receives them from a subgraph (already formatted there).
 */
const PASS_THROUGH = new Set<string>([
  // BAD_USER_INPUT, UNAUTHENTICATED and FORBIDDEN are Apollo's codes too.
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'SERVICE_UNAVAILABLE',
]);

/**
 * DomainErrors become `extensions.code` plus their details; a transient database condition is
 * SERVICE_UNAVAILABLE with `retryable: true` (logged as a warning); anything else unexpected is
 * logged with its stack and shown to clients as INTERNAL_SERVER_ERROR (message masked in
 * production).
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
    if (isTransientInfrastructureError(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database busy or unreachable; the client is told to retry');
      return {
        message: 'The service is busy or briefly unavailable; nothing was changed. Try again in a moment.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
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
