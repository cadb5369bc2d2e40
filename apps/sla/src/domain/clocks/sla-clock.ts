import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { ResolvedBudget, TargetKind, TimeUnit } from './agreement';

/** A period the clock does not count (waiting for the customer, a proposal awaiting reaction, closed). */
export interface Pause {
  from: Date;
  /** null: still paused. */
  to: Date | null;
}

/**
 * Why a clock stopped. PROPOSAL and CLOSED stops can be undone (a rejected solution, a
 * reopen); FULFILLED (first response, assignment, acceptance happened) cannot.
 */
export type StopCause = 'FULFILLED' | 'PROPOSAL' | 'CLOSED';
/**
 * MET: the target happened at `at` (in time or late, `evaluate` decides). ABANDONED: the
 * request ended without the target being owed (duplicate, withdrawn, declined): the clock is
 * NOT_APPLICABLE unless its budget had already run out, because a breach that happened stays.
 */
export type StopOutcome = 'MET' | 'ABANDONED';

export interface ClockStop {
  at: Date;
  outcome: StopOutcome;
  cause: StopCause;
}

export interface SlaClock {
  kind: TargetKind;
  startedAt: Date;
  /** null: NOT_APPLICABLE for the request's type and priority (still shown). */
  budget: ResolvedBudget | null;
  /** High workaround: 48 h, flagged per request (see agreement.ts). */
  hardLimitMs: number | null;
  /** Medium resolution: 30 days, informative ("between 30 and 90 days"). */
  earliestExpectedMs: number | null;
  /** The request's pauses; only the part after `startedAt` (and before the stop) counts. */
  pauses: readonly Pause[];
  stop: ClockStop | null;
}

export type ClockState = 'RUNNING' | 'PAUSED' | 'MET' | 'BREACHED' | 'NOT_APPLICABLE';

export interface ClockEvaluation {
  state: ClockState;
  /**
   * When the budget runs out (running) or ran out / would have run out (met or breached
   * after it stopped), given the pauses up to the stop; null while paused and when not
   * applicable.
   */
  dueAt: Date | null;
  /** In the clock's unit (business time for WORKING_TIME), pauses excluded. */
  elapsedMs: number;
  /** budget − elapsed; negative once overdue (how late), 0 when not applicable. */
  remainingMs: number;
  /** Total paused time in the clock's unit, so that elapsed + paused = time since start. */
  pausedMs: number;
  /** The instant the budget ran out, when it did (also for a clock met late). */
  breachedAt: Date | null;
  /** True once elapsed passed the hard limit (High workaround 48 h). */
  hardLimitExceeded: boolean;
}

/** Time in `unit` between two instants. */
export function measure(unit: TimeUnit, from: Date, to: Date, calendar: BusinessCalendar): number {
  if (unit === 'WORKING_TIME') return calendar.businessTimeBetween(from, to);
  return Math.max(0, to.getTime() - from.getTime());
}

/** The instant `ms` of `unit` after `from`. */
export function advance(unit: TimeUnit, from: Date, ms: number, calendar: BusinessCalendar): Date {
  return unit === 'WORKING_TIME' ? calendar.addWorkingTime(from, ms) : new Date(from.getTime() + ms);
}

/** The clock's pauses clipped to [startedAt, end]; an open pause ends at `end`. A pause outside measures 0. */
function pausesUntil(clock: SlaClock, end: Date): { from: Date; to: Date }[] {
  const start = clock.startedAt.getTime();
  return clock.pauses.map((pause) => ({
    from: new Date(Math.max(pause.from.getTime(), start)),
    to: new Date(Math.min((pause.to ?? end).getTime(), end.getTime())),
  }));
}

function elapsedAndPaused(clock: SlaClock, unit: TimeUnit, end: Date, calendar: BusinessCalendar) {
  const total = measure(unit, clock.startedAt, end, calendar);
  const pausedMs = pausesUntil(clock, end).reduce(
    (sum, pause) => sum + measure(unit, pause.from, pause.to, calendar),
    0,
  );
  return { elapsedMs: total - pausedMs, pausedMs };
}

/**
 * The instant at which `target` ms of counted time have elapsed, walking the pauses; null when
 * an open pause comes first (the clock stands still, no instant can be promised).
 */
export function instantAtElapsed(clock: SlaClock, target: number, calendar: BusinessCalendar): Date | null {
  if (!clock.budget) return null;
  const { unit } = clock.budget;
  let cursor = clock.startedAt;
  let remaining = target;
  const pauses = [...clock.pauses].sort((a, b) => a.from.getTime() - b.from.getTime());
  for (const pause of pauses) {
    if (pause.to !== null && pause.to.getTime() <= cursor.getTime()) continue;
    const from = pause.from.getTime() > cursor.getTime() ? pause.from : cursor;
    const counted = measure(unit, cursor, from, calendar);
    if (remaining <= counted) return advance(unit, cursor, remaining, calendar);
    remaining -= counted;
    if (pause.to === null) return null;
    cursor = pause.to;
  }
  return advance(unit, cursor, remaining, calendar);
}

/**
 * A stopped clock's due time: the pauses as they were at the stop (a pause the stop falls in
 * ends there), so a clock met while the request waited still has the due time it was met
 * against.
 */
function dueAtStop(clock: SlaClock, stopAt: Date, budget: number, calendar: BusinessCalendar): Date | null {
  const pauses = clock.pauses
    .filter((pause) => pause.from.getTime() < stopAt.getTime())
    .map((pause) => ({
      from: pause.from,
      to: pause.to === null || pause.to.getTime() > stopAt.getTime() ? stopAt : pause.to,
    }));
  return instantAtElapsed({ ...clock, pauses }, budget, calendar);
}

const isPausedAt = (clock: SlaClock, now: Date) =>
  clock.pauses.some(
    (pause) => pause.from.getTime() <= now.getTime() && (pause.to === null || pause.to.getTime() > now.getTime()),
  );

/**
 * A stopped clock's evaluation does not depend on `now` (it is measured up to the stop), and
 * clocks are never changed in place (every change makes a new clock): so it is remembered per
 * clock object and calendar. The SLA consumer evaluates a clock when it stops (the target's
 * completion) and again for its row at the end of the set, and then at each later event of
 * the request that changes another clock; working-time clocks walk the calendar's days each
 * time. The remembered evaluation is frozen: callers read it, or copy it.
 */
const stoppedEvaluations = new WeakMap<SlaClock, { calendar: BusinessCalendar; evaluation: ClockEvaluation }>();

/**
 * The clock at `now` (pure: time comes in). A running clock is BREACHED once elapsed reaches
 * the budget (>=): a working-time budget that runs out at Friday's closing must read
 * BREACHED all weekend, when no business time passes. A stopped clock met exactly at its due
 * time is in time (>): "within 1 working day" includes the last millisecond.
 */
export function evaluate(clock: SlaClock, now: Date, calendar: BusinessCalendar): ClockEvaluation {
  if (!clock.stop || !clock.budget) return evaluateAt(clock, now, calendar);
  const known = stoppedEvaluations.get(clock);
  if (known?.calendar === calendar) return known.evaluation;
  const evaluation = Object.freeze(evaluateAt(clock, now, calendar));
  stoppedEvaluations.set(clock, { calendar, evaluation });
  return evaluation;
}

function evaluateAt(clock: SlaClock, now: Date, calendar: BusinessCalendar): ClockEvaluation {
  const notApplicable: ClockEvaluation = {
    state: 'NOT_APPLICABLE',
    dueAt: null,
    elapsedMs: 0,
    remainingMs: 0,
    pausedMs: 0,
    breachedAt: null,
    hardLimitExceeded: false,
  };
  if (!clock.budget) return notApplicable;
  const { unit, ms: budget } = clock.budget;
  const end = clock.stop ? clock.stop.at : now;
  const { elapsedMs, pausedMs } = elapsedAndPaused(clock, unit, end, calendar);
  const late = clock.stop ? elapsedMs > budget : elapsedMs >= budget;
  const breachedAt = late ? instantAtElapsed(clock, budget, calendar) : null;
  const hardLimitExceeded = clock.hardLimitMs !== null && elapsedMs > clock.hardLimitMs;
  const measured = { elapsedMs, remainingMs: budget - elapsedMs, pausedMs, breachedAt, hardLimitExceeded };
  if (clock.stop) {
    if (clock.stop.outcome === 'ABANDONED' && !late) return { ...notApplicable, elapsedMs, pausedMs };
    return evaluation(measured, late ? 'BREACHED' : 'MET', dueAtStop(clock, clock.stop.at, budget, calendar));
  }
  if (isPausedAt(clock, now)) return evaluation(measured, late ? 'BREACHED' : 'PAUSED', null);
  return evaluation(measured, late ? 'BREACHED' : 'RUNNING', instantAtElapsed(clock, budget, calendar));
}

/**
 * An evaluation as one literal: `{ ...measured, state, dueAt }` would add keys its source lacks
 * after a spread, which V8 copies on its slow path (≈ 1.5 µs a key).
 */
const evaluation = (
  measured: Omit<ClockEvaluation, 'state' | 'dueAt'>,
  state: ClockState,
  dueAt: Date | null,
): ClockEvaluation => ({
  elapsedMs: measured.elapsedMs,
  remainingMs: measured.remainingMs,
  pausedMs: measured.pausedMs,
  breachedAt: measured.breachedAt,
  hardLimitExceeded: measured.hardLimitExceeded,
  state,
  dueAt,
});

export interface ThresholdDue {
  /** The fraction of the budget (1 = the breach). */
  threshold: number;
  at: Date;
}

/**
 * For the scanner: the next warning threshold (or the breach, 1) not yet published and the
 * instant it is (or was) reached. null when the clock is not running (paused, stopped, not
 * applicable) or everything was published. An instant in the past means "publish now": the
 * scanner may have been down; it publishes each missed level once, lowest first.
 */
export function nextThresholdAt(
  clock: SlaClock,
  thresholds: readonly number[],
  alreadyPublished: readonly number[],
  calendar: BusinessCalendar,
): ThresholdDue | null {
  if (!passesThresholds(clock)) return null;
  const next = thresholdLevels(thresholds).find((level) => !alreadyPublished.includes(level));
  return next === undefined ? null : thresholdAt(clock, next, calendar);
}

/** Whether the clock still passes thresholds: it runs (a budget, not stopped, no open pause). */
export const passesThresholds = (clock: SlaClock): clock is SlaClock & { budget: ResolvedBudget } =>
  clock.budget !== null && !clock.stop && !clock.pauses.some((pause) => pause.to === null);

/** The warning thresholds strictly between 0 and 1 and the breach (1), lowest first, each once. */
export const thresholdLevels = (thresholds: readonly number[]): number[] =>
  [...new Set([...thresholds.filter((level) => level > 0 && level < 1), 1])].sort((a, b) => a - b);

/** The instant a running clock reaches `threshold` of its budget; null when an open pause comes first. */
export function thresholdAt(
  clock: SlaClock & { budget: ResolvedBudget },
  threshold: number,
  calendar: BusinessCalendar,
): ThresholdDue | null {
  const at = instantAtElapsed(clock, Math.round(threshold * clock.budget.ms), calendar);
  return at ? { threshold, at } : null;
}
