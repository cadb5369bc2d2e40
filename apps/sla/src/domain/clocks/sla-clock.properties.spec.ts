import { BusinessCalendar } from '@servicecenter/platform-calendar';
import fc from 'fast-check';
import type { TimeUnit } from './agreement';
import { dueThresholds } from '../warnings';
import { evaluate, measure, nextThresholdAt, type SlaClock, type ThresholdDue } from './sla-clock';

const calendar = new BusinessCalendar();
const MINUTE = 60_000;
// 2026–2027: both DST changes, weekends and the Dutch holidays.
const FROM = Date.parse('2026-01-01T00:00:00Z');
const SPAN = 2 * 365 * 24 * 60 * MINUTE;

const instant = fc.integer({ min: 0, max: SPAN / MINUTE }).map((m) => new Date(FROM + m * MINUTE));
const unit = fc.constantFrom<TimeUnit>('WORKING_TIME', 'CALENDAR_TIME');
const budget = fc.integer({ min: 1, max: 30 * 24 * 60 }).map((m) => m * MINUTE);
const clockOf = (startedAt: Date, u: TimeUnit, ms: number, pauses: SlaClock['pauses'] = []): SlaClock => ({
  kind: 'FIRST_RESPONSE',
  startedAt,
  budget: { unit: u, ms },
  hardLimitMs: null,
  earliestExpectedMs: null,
  pauses,
  stop: null,
});
const must = (d: Date | null): Date => {
  if (!d) throw new Error('expected an instant');
  return d;
};
const later = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE);

describe('SLA clock properties', () => {
  it('elapsed + remaining = budget while running', () => {
    fc.assert(
      fc.property(instant, unit, budget, fc.nat(60 * 24 * 40), (start, u, ms, after) => {
        const view = evaluate(clockOf(start, u, ms), later(start, after), calendar);
        fc.pre(view.state === 'RUNNING');
        expect(view.elapsedMs + view.remainingMs).toBe(ms);
      }),
    );
  });

  it('a pause of any length never changes the elapsed time', () => {
    fc.assert(
      fc.property(instant, unit, budget, fc.nat(60 * 24 * 10), fc.nat(60 * 24 * 20), (start, u, ms, before, length) => {
        const pauseFrom = later(start, before);
        const pauseTo = later(pauseFrom, length);
        const plain = evaluate(clockOf(start, u, ms), pauseFrom, calendar);
        const paused = evaluate(clockOf(start, u, ms, [{ from: pauseFrom, to: pauseTo }]), pauseTo, calendar);
        expect(paused.elapsedMs).toBe(plain.elapsedMs);
        expect(paused.pausedMs).toBe(measure(u, pauseFrom, pauseTo, calendar));
      }),
    );
  });

  it('the due time moves later by exactly the paused time (in the clock unit)', () => {
    fc.assert(
      fc.property(
        instant,
        unit,
        budget,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(60 * 24 * 20),
        (start, u, ms, where, length) => {
          const due = must(evaluate(clockOf(start, u, ms), start, calendar).dueAt);
          // A pause that starts before the budget runs out.
          const pauseFrom = new Date(start.getTime() + Math.floor(where * (due.getTime() - start.getTime() - 1)));
          const pauseTo = later(pauseFrom, length);
          const moved = evaluate(clockOf(start, u, ms, [{ from: pauseFrom, to: pauseTo }]), pauseTo, calendar);
          fc.pre(moved.state === 'RUNNING');
          expect(measure(u, due, must(moved.dueAt), calendar)).toBe(moved.pausedMs);
        },
      ),
    );
  });

  it("the scanner's due thresholds are the next threshold published one at a time, up to now", () => {
    const level = fc.constantFrom<number>(0, 0.25, 0.5, 0.75, 0.9, 1, 1.5);
    fc.assert(
      fc.property(
        instant,
        unit,
        budget,
        fc.array(level, { maxLength: 5 }),
        fc.array(level, { maxLength: 3 }),
        fc.nat(60 * 24 * 40),
        fc.option(fc.tuple(fc.nat(60 * 24 * 10), fc.option(fc.nat(60 * 24 * 10), { nil: null })), { nil: null }),
        (start, u, ms, thresholds, published, after, pause) => {
          const pauses = pause
            ? [{ from: later(start, pause[0]), to: pause[1] === null ? null : later(start, pause[0] + pause[1]) }]
            : [];
          const clock = clockOf(start, u, ms, pauses);
          const now = later(start, after);
          const done = [...published];
          const due: ThresholdDue[] = [];
          let next = nextThresholdAt(clock, thresholds, done, calendar);
          while (next && next.at.getTime() <= now.getTime()) {
            due.push(next);
            done.push(next.threshold);
            next = nextThresholdAt(clock, thresholds, done, calendar);
          }
          expect(dueThresholds(clock, thresholds, published, now, calendar)).toEqual({ due, next });
        },
      ),
    );
  });
});
