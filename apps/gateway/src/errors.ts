import type { GraphQLFormattedError } from 'graphql';
import { createErrorFormatter } from '@servicecenter/platform-graphql';
import type { Logger } from '@servicecenter/platform-logging';

/** Extensions that describe our insides, never the client's problem. */
const INTERNAL_EXTENSIONS = ['response', 'stacktrace', 'exception', 'http'];
/** In production also the name of the subgraph that answered. */
const PRODUCTION_INTERNAL_EXTENSIONS = [...INTERNAL_EXTENSIONS, 'serviceName'];

/**
 * The platform's formatter (codes, masking of unexpected errors), then: no internal URL,
 * response body or stack in `extensions`, and in production no "Did you mean …?" hints (they
 * spell out the schema with introspection off).
 */
export function createGatewayErrorFormatter(logger: Logger, production: boolean) {
  const base = createErrorFormatter(logger, production);
  const hidden = production ? PRODUCTION_INTERNAL_EXTENSIONS : INTERNAL_EXTENSIONS;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = base(formatted, error);
    const extensions = result.extensions
      ? Object.fromEntries(Object.entries(result.extensions).filter(([key]) => !hidden.includes(key)))
      : undefined;
    const message = production ? result.message.replace(/ ?Did you mean .+\?$/s, '') : result.message;
    return { ...result, message, extensions };
  };
}
