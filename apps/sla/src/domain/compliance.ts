import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import {
  evaluate,
  TARGET_KINDS,
  type ClockEvaluation,
  type Priority,
  type RequestSlaState,
  type RequestType,
  type SlaClock,
  type TargetKind,
  type ComplianceGoals,
  DEFAULT_COMPLIANCE_GOALS,
} from './clocks';

/*
 * SLA COMPLIANCE OVER A PERIOD (DOMAIN.md "Service levels": the 90% / 100% High-workaround
 * rule is measured over a period across requests, not per request).
 *
 * Definitions:
 * - A request is IN THE PERIOD when it was registered in it: `from <= registeredAt < to`
 *   (half-open, so consecutive months or weeks never count a request twice). The whole cohort
 *   of requests registered in the period is measured; its clocks are evaluated at `now`
 *   (the time of the query), so the report of a past period keeps filling in until its
 *   requests' clocks have all been decided.
 * - COUNTED: clocks with a target whose outcome is decided: MET (in time), or BREACHED (met
 *   late, or still running/paused with the budget already used up: that breach cannot be
 *   undone, so it counts now). RUNNING / PAUSED clocks still within budget are `stillRunning`
 *   and not counted; NOT_APPLICABLE clocks (no target, or abandoned in time) are neither.
 * - percentageMet = met / counted × 100, null when nothing is counted.
 * - HIGH-WORKAROUND RULE: over the incidents registered in the period whose (current)
 *   priority is HIGH and whose WORKAROUND clock has a target:
 *   - within 24 h: decided like the WORKAROUND target above (MET = within its budget, 24 h);
 *     goal (the agreement's, 90% by default): met when within × 1000 >= goal × 10 × counted
 *     (integers, goals have at most one decimal: exactly 90% is met).
 *   - within 48 h: a workaround given (clock stopped MET) with at most 48 h counted (the
 *     clock's hard limit; paused time excluded, like every target) is within; more than
 *     48 h counted — given late, or still without a workaround — is missed; a clock still
 *     under 48 h without a workaround is pending; a request abandoned (withdrawn, duplicate,
 *     declined) under 48 h is not counted. Goal (the agreement's, 100% by default): 100% is
 *     met only when every counted one is within.
 * - The goals are those of the customer's agreement when the report is about one customer,
 *   else the generic agreement's (the resolver picks them).
 *   - `met` is null while nothing is counted.
 */

export interface CompliancePeriod {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** A request's facts and its clocks, each evaluated at the same `now`. */
export interface ComplianceRequest {
  requestId: string;
  type: RequestType;
  priority: Priority;
  registeredAt: Date;
  clocks: readonly { clock: SlaClock; evaluation: ClockEvaluation }[];
}

export interface TargetCompliance {
  kind: TargetKind;
  counted: number;
  met: number;
  breached: number;
  /** met / counted × 100; null when nothing is counted. */
  percentageMet: number | null;
  /** Running or paused and still within budget: not decided, not counted. */
  stillRunning: number;
  /** No target for the request's type and priority, or abandoned in time. */
  notApplicable: number;
}

export interface WorkaroundGoal {
  /** 24 h or 48 h, in milliseconds of counted time (each clock is judged by its own agreement's budget and hard limit). */
  withinMs: number;
  /** Goal in percent (90, 100). */
  goalPercentage: number;
  counted: number;
  within: number;
  missed: number;
  /** Not decided yet; not counted. */
  pending: number;
  percentage: number | null;
  /** null while nothing is counted. */
  met: boolean | null;
}

export interface HighWorkaroundCompliance {
  /** High incidents in the period with a workaround target. */
  requests: number;
  within24h: WorkaroundGoal;
  within48h: WorkaroundGoal;
}

export interface ComplianceReport {
  period: CompliancePeriod;
  evaluatedAt: Date;
  requests: number;
  targets: TargetCompliance[];
  highWorkaround: HighWorkaroundCompliance;
}

const HOUR_MS = 3_600_000;
/** The spans of the High-workaround rule; the goals (90, 100 by default) come from the agreement. */
export const WORKAROUND_SPANS = { within24hMs: 24 * HOUR_MS, within48hMs: 48 * HOUR_MS } as const;

/** `from <= at < to`: the definition of "in the period" (registration time). */
export const inPeriod = (at: Date, period: CompliancePeriod): boolean =>
  at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();

const percentage = (part: number, whole: number): number | null => (whole === 0 ? null : (part * 100) / whole);

/**
 * Evaluates every clock of the requests at `now` (pure: time comes in), each on its
 * agreement's calendar (one calendar for all, or one per request).
 */
export function complianceRequests(
  states: readonly RequestSlaState[],
  now: Date,
  calendars: BusinessCalendar | ((state: RequestSlaState, index: number) => BusinessCalendar),
): ComplianceRequest[] {
  const calendarOf = typeof calendars === 'function' ? calendars : () => calendars;
  return states.map((s, i) => ({
    requestId: s.requestId,
    type: s.type,
    priority: s.priority,
    registeredAt: s.registeredAt,
    clocks: s.clocks.map((clock) => ({ clock, evaluation: evaluate(clock, now, calendarOf(s, i)) })),
  }));
}

function targetCompliance(kind: TargetKind, requests: readonly ComplianceRequest[]): TargetCompliance {
  const counts = { met: 0, breached: 0, stillRunning: 0, notApplicable: 0 };
  for (const request of requests) {
    const found = request.clocks.find((c) => c.clock.kind === kind);
    const state = found?.evaluation.state ?? 'NOT_APPLICABLE';
    if (state === 'MET') counts.met += 1;
    else if (state === 'BREACHED') counts.breached += 1;
    else if (state === 'RUNNING' || state === 'PAUSED') counts.stillRunning += 1;
    else counts.notApplicable += 1;
  }
  const counted = counts.met + counts.breached;
  return { kind, counted, ...counts, percentageMet: percentage(counts.met, counted) };
}

function goal(
  withinMs: number,
  goalPercentage: number,
  outcomes: readonly ('WITHIN' | 'MISSED' | 'PENDING' | 'NOT_COUNTED')[],
): WorkaroundGoal {
  const within = outcomes.filter((o) => o === 'WITHIN').length;
  const missed = outcomes.filter((o) => o === 'MISSED').length;
  const pending = outcomes.filter((o) => o === 'PENDING').length;
  const counted = within + missed;
  return {
    withinMs,
    goalPercentage,
    counted,
    within,
    missed,
    pending,
    percentage: percentage(within, counted),
    // Integer comparison in tenths of a percent: no floating-point doubt at exactly the goal.
    met: counted === 0 ? null : within * 1000 >= Math.round(goalPercentage * 10) * counted,
  };
}

function highWorkaround(requests: readonly ComplianceRequest[], goals: ComplianceGoals): HighWorkaroundCompliance {
  const clocks = requests
    .filter((r) => r.type === 'INCIDENT' && r.priority === 'HIGH')
    .map((r) => r.clocks.find((c) => c.clock.kind === 'WORKAROUND'))
    .filter((c): c is NonNullable<typeof c> => c !== undefined && c.clock.budget !== null);

  const first = clocks.map(({ evaluation }) =>
    evaluation.state === 'MET'
      ? 'WITHIN'
      : evaluation.state === 'BREACHED'
        ? 'MISSED'
        : evaluation.state === 'NOT_APPLICABLE'
          ? 'NOT_COUNTED'
          : 'PENDING',
  );
  const second = clocks.map(({ clock, evaluation }) => {
    const limit = clock.hardLimitMs ?? WORKAROUND_SPANS.within48hMs;
    if (evaluation.elapsedMs > limit) return 'MISSED';
    if (clock.stop?.outcome === 'MET') return 'WITHIN';
    return clock.stop ? 'NOT_COUNTED' : 'PENDING';
  });
  return {
    requests: clocks.length,
    within24h: goal(WORKAROUND_SPANS.within24hMs, goals.workaroundPercent, first),
    within48h: goal(WORKAROUND_SPANS.within48hMs, goals.hardLimitPercent, second),
  };
}

/**
 * The compliance report of the requests registered in `period` (others are ignored), with
 * their clocks evaluated at `evaluatedAt`. Filters other than the period (customer, product
 * group, priority) are the caller's: pass only the requests that match.
 */
export function slaCompliance(
  all: readonly ComplianceRequest[],
  period: CompliancePeriod,
  evaluatedAt: Date,
  goals: ComplianceGoals = DEFAULT_COMPLIANCE_GOALS,
): ComplianceReport {
  const requests = all.filter((r) => inPeriod(r.registeredAt, period));
  return {
    period,
    evaluatedAt,
    requests: requests.length,
    targets: TARGET_KINDS.map((kind) => targetCompliance(kind, requests)),
    highWorkaround: highWorkaround(requests, goals),
  };
}
