import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import { passesThresholds, thresholdAt, thresholdLevels, type SlaClock, type ThresholdDue } from './clocks';

/**
 * The thresholds of a clock reached by `now` and not yet published (lowest first; 1 is the
 * breach), and the next one still ahead, for the scanner. A scanner that was down publishes
 * each missed level once, in order. (`nextThresholdAt` after each one, the levels ordered once.)
 */
export function dueThresholds(
  clock: SlaClock,
  thresholds: readonly number[],
  published: readonly number[],
  now: Date,
  calendar: BusinessCalendar,
): { due: ThresholdDue[]; next: ThresholdDue | null } {
  const due: ThresholdDue[] = [];
  if (!passesThresholds(clock)) return { due, next: null };
  for (const threshold of thresholdLevels(thresholds)) {
    if (published.includes(threshold)) continue;
    const next = thresholdAt(clock, threshold, calendar);
    if (!next || next.at.getTime() > now.getTime()) return { due, next };
    due.push(next);
  }
  return { due, next: null };
}
