import type { BusinessCalendar, BusinessCalendarDefinitionInput, IsoWeekday } from '@servicecenter/platform-calendar';
import { ISO_WEEKDAYS } from '@servicecenter/platform-calendar';
import type { RequestFacts } from '@servicecenter/contracts';

export type RequestType = RequestFacts['type'];
export type Priority = NonNullable<RequestFacts['priority']>;
export type TargetKind = 'FIRST_RESPONSE' | 'ASSIGNMENT' | 'ACCEPTANCE' | 'WORKAROUND' | 'RESOLUTION';
export const TARGET_KINDS: readonly TargetKind[] = [
  'FIRST_RESPONSE',
  'ASSIGNMENT',
  'ACCEPTANCE',
  'WORKAROUND',
  'RESOLUTION',
];
export type TimeUnit = 'WORKING_TIME' | 'CALENDAR_TIME';

const HOUR_MS = 3_600_000;

/**
 * How much time a target allows, as written in the agreement. `workingDays` and `calendarDays`
 * are resolved to milliseconds when a clock starts (see `resolveBudget`), because their length
 * depends on the calendar (a 24/7 desk has 24 h working days) and on DST (a calendar day
 * across the autumn change is 25 h).
 */
export type TargetBudget =
  | { unit: 'WORKING_TIME'; ms: number }
  | { unit: 'WORKING_TIME'; workingDays: number }
  | { unit: 'CALENDAR_TIME'; ms: number }
  | { unit: 'CALENDAR_TIME'; calendarDays: number };

export interface Target {
  /** null: NOT_APPLICABLE (the clock is still created and shown, it never runs). */
  budget: TargetBudget | null;
  /**
   * High workaround only: 48 h. The 90% / 100% rule is a compliance rule over a period,
   * but a single request past this limit already makes the 100% impossible, so it is flagged.
   */
  hardLimitMs?: number;
  /** Medium resolution: a structural solution is expected "between 30 and 90 days"; not a deadline. */
  earliestExpected?: TargetBudget;
}

export type PriorityTargets = Readonly<Record<Priority, Target>>;

export interface Agreement {
  id: string;
  version: number;
  calendar: BusinessCalendarDefinitionInput;
  targets: Readonly<Record<RequestType, Readonly<Record<TargetKind, PriorityTargets>>>>;
  /** Fractions of the budget at which a warning is published; the breach (1.0) always is. */
  thresholds: readonly number[];
  /** The compliance goals measured across requests over a period (DOMAIN.md: 90% and 100%). */
  complianceGoals: ComplianceGoals;
}

export const DEFAULT_THRESHOLDS: readonly number[] = [0.5, 0.75, 0.9];

/**
 * The High-workaround rule's goals, in percent of the High incidents of a period: within the
 * workaround target (24 h) and within its hard limit (48 h). A customer's agreement may agree
 * other figures than the generic 90 and 100.
 */
export interface ComplianceGoals {
  workaroundPercent: number;
  hardLimitPercent: number;
}

export const DEFAULT_COMPLIANCE_GOALS: ComplianceGoals = { workaroundPercent: 90, hardLimitPercent: 100 };

/*
 * WHICH TARGETS RUN ON WHICH TIME, AND WHY
 *
 * FIRST_RESPONSE, ASSIGNMENT and ACCEPTANCE ("within 1 / 3 working days") run on WORKING
 * TIME: a working day is the length of one working day of the agreement's calendar in
 * business time (8.5 h for Mon–Fri 08:30–17:00), elapsed is `businessTimeBetween` and the
 * due time is `addWorkingTime`. We deliberately do NOT use `addWorkingDays` (same wall time
 * on the N-th next working day): its result is not additive, so it cannot carry a pause of
 * 2 h 15 min, nor give a meaningful "elapsed / remaining" or a 50% warning instant. With
 * working time, elapsed + remaining = budget always holds, a pause moves the due time by
 * exactly the paused business time, and on equal-length days the answer is the same as
 * `addWorkingDays` (Fri 15:00 + 8.5 h = Mon 15:00). It differs only for a request registered
 * outside hours (Saturday: due Monday 17:00, the end of the first working day, instead of
 * Tuesday's opening) and on weeks with unequal days, where a fixed business-time length is
 * the fairer reading of "1 working day" for the customer.
 *
 * WORKAROUND (24 h) and RESOLUTION (30 / 90 calendar days) run on CALENDAR TIME: DOMAIN.md
 * states them in hours and calendar days, and a High incident (a payroll run that stops)
 * does not wait for office hours. Calendar days are resolved with `addCalendarDays` (same
 * wall time N days later), so "30 days" across a DST change is 30 days on the customer's
 * clock. Time waiting for the customer is excluded from both units alike.
 */
const workingDays = (days: number): Target => ({ budget: { unit: 'WORKING_TIME', workingDays: days } });
const calendarDays = (days: number): Target => ({ budget: { unit: 'CALENDAR_TIME', calendarDays: days } });
const NOT_APPLICABLE: Target = { budget: null };
const same = (target: Target): PriorityTargets => ({ HIGH: target, MEDIUM: target, LOW: target });

const INTERNAL = {
  FIRST_RESPONSE: same(workingDays(1)),
  ASSIGNMENT: same(workingDays(1)),
  ACCEPTANCE: same(workingDays(3)),
} as const;

/** The generic SLA of DOMAIN.md "Service levels"; per-customer agreements override parts of it. */
export const GENERIC_AGREEMENT: Agreement = {
  id: 'generic',
  version: 1,
  calendar: {},
  thresholds: DEFAULT_THRESHOLDS,
  complianceGoals: DEFAULT_COMPLIANCE_GOALS,
  targets: {
    INCIDENT: {
      ...INTERNAL,
      WORKAROUND: {
        HIGH: { budget: { unit: 'CALENDAR_TIME', ms: 24 * HOUR_MS }, hardLimitMs: 48 * HOUR_MS },
        MEDIUM: NOT_APPLICABLE,
        LOW: NOT_APPLICABLE,
      },
      RESOLUTION: {
        HIGH: calendarDays(30),
        MEDIUM: { ...calendarDays(90), earliestExpected: { unit: 'CALENDAR_TIME', calendarDays: 30 } },
        // Planned in the release calendar: no SLA time.
        LOW: NOT_APPLICABLE,
      },
    },
    CHANGE: { ...INTERNAL, WORKAROUND: same(NOT_APPLICABLE), RESOLUTION: same(NOT_APPLICABLE) },
    INFORMATION: { ...INTERNAL, WORKAROUND: same(NOT_APPLICABLE), RESOLUTION: same(NOT_APPLICABLE) },
    // Resolution comes from the customer's contract; a contract agreement overrides this.
    APPLICATION_SERVICE: { ...INTERNAL, WORKAROUND: same(NOT_APPLICABLE), RESOLUTION: same(NOT_APPLICABLE) },
  },
};

export function targetFor(agreement: Agreement, type: RequestType, kind: TargetKind, priority: Priority): Target {
  return agreement.targets[type][kind][priority];
}

/**
 * The business-time length of one working day of a calendar: the most common daily total of
 * its working weekdays (ties: the longest), so one short Saturday does not shrink the week's
 * "working day". Holidays do not matter: they are closed days, not short ones.
 */
export function workingDayMs(calendar: BusinessCalendar): number {
  let ms = workingDayLengths.get(calendar);
  if (ms === undefined) workingDayLengths.set(calendar, (ms = dailyWorkingMs(calendar)));
  return ms;
}

/** `workingDayMs` per calendar: its definition never changes, and every clock start asks for it. */
const workingDayLengths = new WeakMap<BusinessCalendar, number>();

function dailyWorkingMs(calendar: BusinessCalendar): number {
  const week = calendar.definition.workingHours;
  const counts = new Map<number, number>();
  for (const day of ISO_WEEKDAYS as readonly IsoWeekday[]) {
    const total = (week[day] ?? []).reduce((sum, { start, end }) => sum + minutes(end) - minutes(start), 0) * 60_000;
    if (total > 0) counts.set(total, (counts.get(total) ?? 0) + 1);
  }
  const [best] = [...counts].sort(([lenA, a], [lenB, b]) => b - a || lenB - lenA);
  return best[0];
}

const minutes = (wall: string): number => Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5));

export interface ResolvedBudget {
  unit: TimeUnit;
  ms: number;
}

/** A budget in milliseconds of its unit, for a clock that starts at `start`. */
export function resolveBudget(budget: TargetBudget, start: Date, calendar: BusinessCalendar): ResolvedBudget {
  if ('ms' in budget) return { unit: budget.unit, ms: budget.ms };
  if ('workingDays' in budget)
    return { unit: 'WORKING_TIME', ms: Math.round(budget.workingDays * workingDayMs(calendar)) };
  return {
    unit: 'CALENDAR_TIME',
    ms: calendar.addCalendarDays(start, budget.calendarDays).getTime() - start.getTime(),
  };
}
