/** Order statistics over measured samples (nearest-rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: readonly number[]) => percentile(values, 50);

export interface LatencySummary {
  /** Milliseconds. */
  median: number;
  p99: number;
  samples: number;
}

export const summarise = (latencies: readonly number[]): LatencySummary => ({
  median: round(median(latencies)),
  p99: round(percentile(latencies, 99)),
  samples: latencies.length,
});

export const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
