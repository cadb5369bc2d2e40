/**
 * Failures of the platform rather than of the request or event at hand, sorted by what a
 * retry can do about them. Two readers with different needs:
 * - clients (`isRetryableForClient`, `classifyForClient`): "retryable" only where nothing was
 *   written and the same call can succeed; a connection lost after a change was sent is
 *   "outcome unknown", never "nothing was changed";
 * - event consumers (`isTransientForEventConsumer`): every infrastructure failure is retried
 *   without counting towards the dead-letter limit, because the inbox makes a redelivered or
 *   re-applied event harmless; only failures the event itself causes count.
 */

/** Codes of infrastructure failures in `extensions.code` (beside the domain codes). */
export const InfrastructureErrorCode = {
  /** Nothing was written; the same call can succeed later (`extensions.retryable: true`). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A change was sent and the answer was lost: it may or may not have been made. */
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
} as const;

/**
 * The connection to the database (or to a subgraph) was lost after a change had been sent:
 * whether it was committed cannot be known here. Clients get OUTCOME_UNKNOWN.
 */
export class OutcomeUnknownError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'OutcomeUnknownError';
  }
}

/**
 * The connection was lost while a transaction was open and before its COMMIT was sent: the
 * server rolled it back, so the same call can simply be sent again.
 */
export class RolledBackByConnectionLossError extends Error {
  constructor(override readonly cause?: unknown) {
    super('The database connection was lost before the transaction committed; it was rolled back');
    this.name = 'RolledBackByConnectionLossError';
  }
}

/**
 * SQLSTATEs after which the same statement can succeed, nothing having been written:
 * 40001 serialization failure, 40P01 deadlock, 55P03 lock not available (lock_timeout),
 * 57014 query cancelled (statement_timeout), 57P01/57P02/57P03 admin or crash shutdown and
 * cannot connect now, 53300 too many connections, 08001/08004 the server could not be
 * reached or refused the connection (before any statement).
 */
const RETRYABLE_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08001',
  '08004',
]);
/** SQLSTATEs that mean the connection broke under a statement (08000 connection exception, 08003, 08006). */
const CONNECTION_LOST_SQLSTATES = new Set(['08000', '08003', '08006']);
/** Node socket codes raised before anything was sent: the connection never opened. */
const NOT_CONNECTED_NODE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Node socket codes of a connection that broke while in use. */
const CONNECTION_LOST_NODE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** node-postgres and pg-pool messages: a pooled connection not free in time, or a connect timeout. */
const NOT_CONNECTED_MESSAGE =
  /timeout exceeded when trying to connect|connection timeout|Connection terminated due to connection timeout/i;
/** node-postgres messages of a connection that broke while in use. */
const CONNECTION_LOST_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Client was closed and is not queryable/i;

export type InfrastructureFailure =
  /** Nothing was written; retrying the same call can succeed. */
  | 'retryable'
  /** The connection broke under a statement: safe to retry a read, unknown for a change. */
  | 'connection-lost'
  /** A change may or may not have been committed. */
  | 'outcome-unknown'
  /** Not an infrastructure failure we know to be passing: a bug, bad input, a protocol violation. */
  | 'permanent';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
}

/** Sorts a thrown error (a pg error, a TypeORM QueryFailedError wrapping one, a socket error). */
export function classifyInfrastructureFailure(error: unknown): InfrastructureFailure {
  if (error instanceof OutcomeUnknownError) return 'outcome-unknown';
  if (error instanceof RolledBackByConnectionLossError) return 'retryable';
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object') return 'permanent';
  if (e.driverError) return classifyInfrastructureFailure(e.driverError);
  const code = typeof e.code === 'string' ? e.code : '';
  if (RETRYABLE_SQLSTATES.has(code) || NOT_CONNECTED_NODE_CODES.has(code)) return 'retryable';
  if (CONNECTION_LOST_SQLSTATES.has(code) || CONNECTION_LOST_NODE_CODES.has(code)) return 'connection-lost';
  const message = typeof e.message === 'string' ? e.message : '';
  if (NOT_CONNECTED_MESSAGE.test(message)) return 'retryable';
  if (CONNECTION_LOST_MESSAGE.test(message)) return 'connection-lost';
  return 'permanent';
}

/**
 * For answers to clients: true only when nothing was written and the same call can succeed.
 * A protocol violation (08P01, e.g. a statement with more than 65,535 parameters) or any other
 * SQLSTATE fails the same way every time, so it is not retryable.
 */
export function isRetryableForClient(error: unknown): boolean {
  return classifyInfrastructureFailure(error) === 'retryable';
}

/**
 * For the event consumers only: a failure of the platform (database down, busy, restarting,
 * connection lost at any point) that is retried without counting towards dead-lettering. The
 * inbox row commits with the effect, so re-applying after a lost COMMIT changes nothing.
 * Broader than `isRetryableForClient`: any connection exception (class 08, but not the 08P01
 * protocol violation, which the statement itself causes), operator intervention (57) and
 * insufficient resources (53).
 */
export function isTransientForEventConsumer(error: unknown): boolean {
  if (classifyInfrastructureFailure(error) !== 'permanent') return true;
  const e = error as ErrorLike | undefined;
  const driver = (e?.driverError ?? e) as ErrorLike | undefined;
  const code = typeof driver?.code === 'string' ? driver.code : '';
  return /^(08|57|53)/.test(code) && code !== '08P01';
}
