import { GraphQLError } from 'graphql';

/** The HTTP header a client names a mutation attempt with (lower-case, as Node reads headers). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The header's value, or undefined when absent. A key must be 1-255 visible ASCII characters
 * (a UUID is the usual choice); anything else is refused before any work is done.
 */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new GraphQLError('Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID', {
      extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key', http: { status: 400 } },
    });
  }
  return value;
}
