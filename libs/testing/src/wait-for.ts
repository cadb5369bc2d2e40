import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `check` returns a value that `done` accepts, for effects that travel through
 * events (eventual consistency). Not a timing assertion: the deadline only bounds a hang.
 */
export async function waitFor<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  {
    timeoutMs = 20_000,
    intervalMs = 50,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out waiting for ${what}; last value: ${JSON.stringify(last)}${lastError ? `; last error: ${String(lastError)}` : ''}`,
  );
}
