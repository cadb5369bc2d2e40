import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import { nextThresholdAt, type SlaClock, type ThresholdDue } from './clocks';

/**
 * The thresholds of a clock reached by `now` and not yet published (lowest first; 1 is the
 * breach), and the next one still ahead, for the scanner. A scanner that was down publishes
 * each missed level once, in order.
 */
export function dueThresholds(
  clock: SlaClock,
  thresholds: readonly number[],
  published: readonly number[],
  now: Date,
  calendar: BusinessCalendar,
): { due: ThresholdDue[]; next: ThresholdDue | null } {
  const done = [...published];
  const due: ThresholdDue[] = [];
  for (;;) {
    const next = nextThresholdAt(clock, thresholds, done, calendar);
    if (!next || next.at.getTime() > now.getTime()) return { due, next };
    due.push(next);
    done.push(next.threshold);
  }
}
