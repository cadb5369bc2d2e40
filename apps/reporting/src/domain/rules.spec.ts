import { ageBucket, bundleUse, highWorkaroundRule, tnps, tnpsCategory } from './rules';

describe('report rules', () => {
  it('tNPS is % promoters minus % detractors', () => {
    expect(tnps(5, 3, 2)).toBe(30);
    expect(tnps(0, 0, 4)).toBe(-100);
    expect(tnps(1, 1, 1)).toBe(0);
    expect(tnps(2, 1, 0)).toBe(66.7);
    expect(tnps(0, 0, 0)).toBeNull();
    expect([10, 9, 8, 7, 6, 0].map(tnpsCategory)).toEqual([
      'PROMOTER',
      'PROMOTER',
      'PASSIVE',
      'PASSIVE',
      'DETRACTOR',
      'DETRACTOR',
    ]);
  });

  it('hours consume the base bundle first, then the credit bundle; over-use is negative', () => {
    expect(bundleUse(40, 20, 30)).toMatchObject({
      baseUsed: 30,
      creditUsed: 0,
      baseLeft: 10,
      creditLeft: 20,
      left: 30,
      overrun: 0,
    });
    expect(bundleUse(40, 20, 55)).toMatchObject({
      baseUsed: 40,
      creditUsed: 15,
      baseLeft: 0,
      creditLeft: 5,
      left: 5,
      overrun: 0,
    });
    expect(bundleUse(40, 20, 65)).toMatchObject({
      baseUsed: 40,
      creditUsed: 20,
      baseLeft: 0,
      creditLeft: 0,
      left: -5,
      overrun: 5,
    });
    expect(bundleUse(20, 0, 0.25)).toMatchObject({ baseUsed: 0.25, left: 19.75 });
  });

  it('the High-workaround rule: ≥ 90% within 24 h and 100% within 48 h', () => {
    expect(highWorkaroundRule(10, 9, 10)).toMatchObject({
      budgetPartMet: true,
      hardLimitPartMet: true,
      met: true,
      withinBudgetRate: 0.9,
    });
    expect(highWorkaroundRule(10, 8, 10)).toMatchObject({ budgetPartMet: false, met: false });
    expect(highWorkaroundRule(10, 9, 9)).toMatchObject({ budgetPartMet: true, hardLimitPartMet: false, met: false });
    expect(highWorkaroundRule(10, 10, 10).met).toBe(true);
    // 90% of 30 is 27: exactly at the boundary, computed in integers.
    expect(highWorkaroundRule(30, 27, 30).met).toBe(true);
    expect(highWorkaroundRule(30, 26, 30).met).toBe(false);
    expect(highWorkaroundRule(0, 0, 0)).toMatchObject({ met: null, withinBudgetRate: null });
  });

  it("the High-workaround rule with a customer's agreed goals (80% / 95%), exactly at the goal met", () => {
    const goals = { workaroundGoalPercent: 80, hardLimitGoalPercent: 95 };
    expect(highWorkaroundRule(20, 16, 19, goals)).toMatchObject({
      budgetPartMet: true,
      hardLimitPartMet: true,
      met: true,
      ...goals,
    });
    expect(highWorkaroundRule(20, 15, 19, goals)).toMatchObject({ budgetPartMet: false, met: false });
    expect(highWorkaroundRule(20, 16, 18, goals)).toMatchObject({ hardLimitPartMet: false, met: false });
    // The generic goals miss what the agreement meets.
    expect(highWorkaroundRule(20, 16, 19).met).toBe(false);
  });

  it('age buckets include their lower bound', () => {
    expect([0, 0.99, 1, 2.99, 3, 6.9, 7, 29.9, 30, 400].map(ageBucket)).toEqual([
      'lessThan1Day',
      'lessThan1Day',
      'from1To3Days',
      'from1To3Days',
      'from3To7Days',
      'from3To7Days',
      'from7To30Days',
      'from7To30Days',
      'moreThan30Days',
      'moreThan30Days',
    ]);
  });
});
