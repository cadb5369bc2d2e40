export interface CallerBudgetOptions {
  /** The bucket's size: points a caller may spend at once; an operation spends its cost (at least 1). */
  points: number;
  /** Seconds in which an empty bucket fills up again (it refills evenly: points / windowSeconds a second). */
  windowSeconds: number;
}

export type Charge = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last computed (ms). */
  at: number;
}

/**
 * A token bucket per caller (the token's subject; anonymous callers by IP address), charged with
 * each operation's cost: a caller may spend the whole bucket at once, then as fast as it refills,
 * so there is no burst of twice the budget at a window's edge as with fixed windows. The buckets
 * live in this process's memory: every gateway replica has its own, so N replicas allow up to N
 * times the budget. A bucket that has filled up again is forgotten, so memory follows the callers
 * active within one window. (rate-limiter-flexible, used before, has fixed windows only.)
 */
export class CallerBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly windowMs: number;
  private lastSweep: number;

  constructor(
    private readonly options: CallerBudgetOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = options.windowSeconds * 1000;
    this.perMs = options.points / this.windowMs;
    this.lastSweep = now();
  }

  async charge(key: string, points: number): Promise<Charge> {
    const cost = Math.max(1, Math.ceil(points));
    const now = this.now();
    this.sweep(now);
    const tokens = this.tokensOf(this.buckets.get(key), now);
    if (tokens < cost) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / this.perMs / 1000)) };
    }
    this.buckets.set(key, { tokens: tokens - cost, at: now });
    return { ok: true };
  }

  /** How many callers have a bucket that is not full (what this replica keeps in memory). */
  get activeCallers(): number {
    return this.buckets.size;
  }

  private tokensOf(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.options.points;
    return Math.min(this.options.points, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  /** Once a window: forget the buckets that are full again (the same as having none). */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (this.tokensOf(bucket, now) >= this.options.points) this.buckets.delete(key);
    }
  }
}
