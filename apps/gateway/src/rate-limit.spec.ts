import { CallerBudget } from './rate-limit';

describe('the per-caller budget (token bucket)', () => {
  let now = 0;
  const clock = () => now;
  // 600 points, refilled in 60 s: 10 points a second.
  const budget = () => new CallerBudget({ points: 600, windowSeconds: 60 }, clock);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a caller spend the whole bucket at once, then refuses with the seconds until the cost is back', async () => {
    const b = budget();
    expect(await b.charge('sub:a', 600)).toEqual({ ok: true });
    expect(await b.charge('sub:a', 50)).toEqual({ ok: false, retryAfterSeconds: 5 });
    now += 4_000;
    expect(await b.charge('sub:a', 50)).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(await b.charge('sub:a', 50)).toEqual({ ok: true });
  });

  it('refills evenly, so no caller spends twice the bucket within a moment (as around a fixed window edge)', async () => {
    const b = budget();
    expect(await b.charge('sub:a', 600)).toEqual({ ok: true });
    now += 2_000; // 20 points back
    expect(await b.charge('sub:a', 600)).toEqual({ ok: false, retryAfterSeconds: 58 });
    expect(await b.charge('sub:a', 20)).toEqual({ ok: true });
  });

  it('keeps callers apart and charges at least one point', async () => {
    const b = budget();
    expect(await b.charge('sub:a', 600)).toEqual({ ok: true });
    expect(await b.charge('ip:127.0.0.1', 600)).toEqual({ ok: true });
    expect(await b.charge('sub:a', 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('forgets callers whose bucket has filled up again', async () => {
    const b = budget();
    for (let i = 0; i < 100; i++) await b.charge(`ip:10.0.0.${i}`, 10);
    expect(b.activeCallers).toBe(100);
    now += 61_000;
    await b.charge('sub:a', 1);
    expect(b.activeCallers).toBe(1);
  });
});
