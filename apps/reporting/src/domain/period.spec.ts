import { currentQuarter, monthPeriod, quarterOf, quarterPeriod, resolvePeriod } from './period';

const Z = 'Europe/Amsterdam';

describe('report periods in the desk time zone', () => {
  it('a quarter is three calendar months from midnight Amsterdam time, half-open', () => {
    const q = quarterPeriod('2026-Q4', Z);
    expect(q.from.toISOString()).toBe('2026-09-30T22:00:00.000Z'); // CEST
    expect(q.to.toISOString()).toBe('2026-12-31T23:00:00.000Z'); // CET
    expect(quarterPeriod('2026-Q1', Z).from.toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });

  it('a month, and the quarter of an instant', () => {
    const m = monthPeriod('2026-03', Z);
    expect([m.from.toISOString(), m.to.toISOString()]).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
    expect(quarterOf(new Date('2026-09-30T22:30:00Z'), Z)).toBe('2026-Q4');
    expect(currentQuarter(new Date('2026-11-20T12:00:00Z'), Z).label).toBe('2026-Q4');
  });

  it('takes exactly one way of giving a period', () => {
    const fallback = () => quarterPeriod('2026-Q1', Z);
    expect(resolvePeriod(null, Z, fallback).label).toBe('2026-Q1');
    expect(resolvePeriod({ year: 2026 }, Z, fallback).from.toISOString()).toBe('2025-12-31T23:00:00.000Z');
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-02-01T00:00:00Z');
    expect(resolvePeriod({ from, to }, Z, fallback)).toMatchObject({ from, to });
    expect(() => resolvePeriod({ month: '2026-03', quarter: '2026-Q1' }, Z, fallback)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => resolvePeriod({ from: to, to: from }, Z, fallback)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => resolvePeriod({ from }, Z, fallback)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => resolvePeriod({ quarter: '2026-Q5' }, Z, fallback)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => resolvePeriod({ month: '2026-13' }, Z, fallback)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});
