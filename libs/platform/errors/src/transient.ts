/**
 * Failures of the platform rather than of the request or event at hand: a retry resolves
 * them and nothing was written (the transaction rolled back). The event consumers retry
 * them without counting towards the dead-letter limit; the GraphQL layer answers
 * SERVICE_UNAVAILABLE with `retryable: true`.
 */

// SQLSTATE classes that mean "the infrastructure hiccupped", not "this event is bad":
// connection exceptions (08), operator intervention e.g. admin shutdown (57),
// serialization failure and deadlock (40001, 40P01), insufficient resources (53).
const TRANSIENT_SQLSTATE = /^(08|57|53)|^40001$|^40P01$/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when the failure is the platform's (database down or busy, deadlock, connection pool
 * wait): an outage must never send good events to the dead-letter topic, nor look like a bug
 * to a client.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown } | undefined;
  if (!e) return false;
  if (e.driverError) return isTransientInfrastructureError(e.driverError);
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}
