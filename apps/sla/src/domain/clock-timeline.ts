import type { RequestSlaState } from './clocks';
import type { SlaTimelineKind } from './request-sla';

/** 'FIRST_RESPONSE' → 'first response', as timeline notes name a target. */
export const targetLabel = (kind: string): string => kind.toLowerCase().replace(/_/g, ' ');

/**
 * What the timeline shows of one applied event: the clocks paused or resumed (waiting for
 * the customer), targets met, targets recalculated after a priority change.
 */
export function timelineChanges(
  before: RequestSlaState,
  after: RequestSlaState,
): { kind: SlaTimelineKind; note: string }[] {
  const entries: { kind: SlaTimelineKind; note: string }[] = [];
  const wasPaused = before.pauses.some((p) => p.to === null);
  const isPaused = after.pauses.some((p) => p.to === null);
  if (!wasPaused && isPaused)
    entries.push({ kind: 'PAUSED', note: `Clocks paused: ${after.status.toLowerCase().replace(/_/g, ' ')}` });
  if (wasPaused && !isPaused)
    entries.push({ kind: 'RESUMED', note: `Clocks resumed: ${after.status.toLowerCase().replace(/_/g, ' ')}` });
  if (before.priority !== after.priority)
    entries.push({ kind: 'RECALCULATED', note: `Targets recalculated from the start for priority ${after.priority}` });
  for (const clock of after.clocks) {
    const earlier = before.clocks.find((c) => c.kind === clock.kind);
    if (clock.budget && clock.stop?.outcome === 'MET' && !earlier?.stop)
      entries.push({ kind: 'MET', note: `${targetLabel(clock.kind)} target met` });
  }
  return entries;
}
