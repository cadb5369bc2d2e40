/**
 * A tiny seeded PRNG (mulberry32) and the draws the generator needs. Each request gets
 * its own stream, derived from the run's seed and the request's index, so request i looks
 * the same whatever N, concurrency or resume point: the data is a function of (seed, i).
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit mix of the parts (murmur3 finaliser per part), for per-item streams. */
export function hash(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The stream of item `index` of kind `salt` (0 requests, 1 directory, 2 disruptions, ...). */
export const streamFor = (seed: number, salt: number, index: number): Rng => mulberry32(hash(seed, salt, index));

export const chance = (rng: Rng, p: number): boolean => rng() < p;
export const between = (rng: Rng, min: number, max: number): number => min + rng() * (max - min);
export const intBetween = (rng: Rng, min: number, max: number): number => Math.floor(between(rng, min, max + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
/** Skewed towards the first items (a few big customers, a few busy products). */
export const pickSkewed = <T>(rng: Rng, items: readonly T[], power = 2): T =>
  items[Math.floor(Math.pow(rng(), power) * items.length)];

export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [k, w] of entries) {
    r -= w;
    if (r < 0) return k;
  }
  return entries[entries.length - 1][0];
}
