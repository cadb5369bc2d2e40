/**
 * A handler throws this when retrying cannot help (the payload breaks the contract): the
 * event goes to the dead-letter topic at once.
 */
export class NonRetryableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

// SQLSTATE classes that mean "the infrastructure hiccupped", not "this event is bad":
// connection exceptions (08), operator intervention e.g. admin shutdown (57),
// serialization failure and deadlock (40001, 40P01), insufficient resources (53).
const TRANSIENT_SQLSTATE = /^(08|57|53)|^40001$|^40P01$/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when the failure is the platform's (database down, deadlock), so the event must be
 * retried without counting towards the dead-letter limit: an outage must never send good
 * events to the dead-letter topic.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown } | undefined;
  if (!e) return false;
  if (e.driverError) return isTransientInfrastructureError(e.driverError);
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter keeps replicas from retrying in lockstep.
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
