import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import { evaluate, instantAtElapsed, type RequestSlaState, type SlaClock, type TargetKind } from './clocks';

export type TargetOutcome = 'MET' | 'MISSED' | 'NOT_APPLICABLE';

export interface TargetCompletion {
  change: 'COMPLETED';
  kind: TargetKind;
  clock: SlaClock;
  outcome: TargetOutcome;
  completedAt: Date;
  dueAt: Date | null;
  elapsedMs: number;
  pausedMs: number;
  hardLimitExceeded: boolean;
}

export interface TargetResumption {
  change: 'RESUMED';
  kind: TargetKind;
  clock: SlaClock;
}

export type TargetSettlement = TargetCompletion | TargetResumption;

const OUTCOME = { MET: 'MET', BREACHED: 'MISSED', NOT_APPLICABLE: 'NOT_APPLICABLE' } as const;

/** How a stopped clock with a target ended; null while it runs or when it never had a target. */
function completion(clock: SlaClock, calendar: BusinessCalendar): TargetCompletion | null {
  if (!clock.budget || !clock.stop) return null;
  const view = evaluate(clock, clock.stop.at, calendar);
  if (view.state !== 'MET' && view.state !== 'BREACHED' && view.state !== 'NOT_APPLICABLE') return null;
  return {
    change: 'COMPLETED',
    kind: clock.kind,
    clock,
    outcome: OUTCOME[view.state],
    completedAt: clock.stop.at,
    dueAt: view.dueAt ?? instantAtElapsed(clock, clock.budget.ms, calendar),
    elapsedMs: view.elapsedMs,
    pausedMs: view.pausedMs,
    hardLimitExceeded: view.hardLimitExceeded,
  };
}

const sameCompletion = (a: TargetCompletion, b: TargetCompletion) =>
  a.outcome === b.outcome &&
  a.completedAt.getTime() === b.completedAt.getTime() &&
  a.elapsedMs === b.elapsedMs &&
  a.clock.budget?.ms === b.clock.budget?.ms;

/**
 * What one applied request event did to the targets, for reporting: a target that stopped
 * (met in time, met late, abandoned) or stopped differently than before, and a completed
 * target that runs again (rejected solution, reopen). Targets without a budget (not
 * applicable from the start) never complete: they are not part of any compliance figure.
 */
export function targetSettlements(
  before: RequestSlaState | null,
  after: RequestSlaState,
  calendar: BusinessCalendar,
): TargetSettlement[] {
  const changes: TargetSettlement[] = [];
  for (const clock of after.clocks) {
    const earlierClock = before?.clocks.find((c) => c.kind === clock.kind);
    // Clocks are immutable: the event left this one as it was, so its completion is unchanged
    // (a stopped clock would otherwise be evaluated twice for every later event of the request).
    if (earlierClock === clock) continue;
    const earlier = earlierClock ? completion(earlierClock, calendar) : null;
    const now = completion(clock, calendar);
    if (now && (!earlier || !sameCompletion(earlier, now))) changes.push(now);
    if (!now && earlier) changes.push({ change: 'RESUMED', kind: clock.kind, clock });
  }
  return changes;
}
