/**
 * Splits events for set-based application: the n-th item of each key (an aggregate id) goes
 * into wave n. Within a wave no two items share a key, so one multi-row upsert per wave never
 * touches a row twice; applying the waves in order gives every aggregate its items in their
 * original order, the same result as applying them one by one.
 */
export function inWaves<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const waves: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    (waves[n] ??= []).push(item);
  }
  return waves;
}
