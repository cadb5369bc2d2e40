/**
 * A handler throws this when retrying cannot help (the payload breaks the contract): the
 * event goes to the dead-letter topic at once.
 */
export class NonRetryableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

export { isTransientForEventConsumer } from '@servicecenter/platform-errors';

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter keeps replicas from retrying in lockstep.
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
