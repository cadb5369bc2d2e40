import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface CallerBudgetOptions {
  /** Points a caller may spend per window; an operation spends its cost (at least 1). */
  points: number;
  windowSeconds: number;
}

export type Charge = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A budget per caller (the token's subject; anonymous callers by IP address), charged with
 * each operation's cost. rate-limiter-flexible keeps the counters in this process's memory:
 * every gateway replica has its own, so N replicas allow up to N times the budget.
 */
export class CallerBudget {
  private readonly limiter: RateLimiterMemory;

  constructor(options: CallerBudgetOptions) {
    this.limiter = new RateLimiterMemory({ points: options.points, duration: options.windowSeconds });
  }

  async charge(key: string, points: number): Promise<Charge> {
    try {
      await this.limiter.consume(key, Math.max(1, Math.ceil(points)));
      return { ok: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
      }
      throw outcome;
    }
  }
}
