import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from '@servicecenter/errors';
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

/** PostgreSQL conditions a retry resolves: the transaction rolled back and nothing was written. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P03', '53300']);
const TRANSIENT_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /ECONNREFUSED|ECONNRESET/];

/**
 * A database that is busy or briefly unreachable (pool exhausted past its wait, deadlock or
 * serialization failure, the server restarting): the client should retry, not report a bug.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: unknown; driverError?: { code?: unknown }; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.driverError?.code === 'string' ? e.driverError.code : undefined;
  if (code && (TRANSIENT_SQLSTATES.has(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
  if (TRANSIENT_MESSAGES.some((re) => re.test(e.message))) return true;
  return e.cause !== undefined && e.cause !== error && isTransientDatabaseError(e.cause);
}

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
    if (isTransientDatabaseError(original)) {
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
