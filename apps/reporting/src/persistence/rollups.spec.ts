import { monthPeriod, quarterPeriod } from '../domain/period';
import { wholeDays } from './rollups';

const ZONE = 'Europe/Amsterdam';

describe('which periods the day counters can answer', () => {
  it('a month, a quarter and a range from midnight to midnight in the report time zone, across a DST change', () => {
    const march = monthPeriod('2026-03', ZONE); // the clocks go forward on 29 March
    expect(wholeDays(march.from, march.to, ZONE)).toEqual({ fromDay: '2026-03-01', toDay: '2026-04-01' });
    const q4 = quarterPeriod('2026-Q4', ZONE); // and back on 25 October
    expect(wholeDays(q4.from, q4.to, ZONE)).toEqual({ fromDay: '2026-10-01', toDay: '2027-01-01' });
    expect(wholeDays(new Date('2026-06-09T22:00:00Z'), new Date('2026-06-11T22:00:00Z'), ZONE)).toEqual({
      fromDay: '2026-06-10',
      toDay: '2026-06-12',
    });
  });

  it('not a range that starts or ends inside a day (it is read from the rows)', () => {
    // Midnight in UTC is 01:00 or 02:00 in Amsterdam.
    expect(wholeDays(new Date('2026-06-10T00:00:00Z'), new Date('2026-06-12T00:00:00Z'), ZONE)).toBeUndefined();
    expect(wholeDays(new Date('2026-06-09T22:00:00Z'), new Date('2026-06-12T09:30:00Z'), ZONE)).toBeUndefined();
    // The same instants are whole days in UTC.
    expect(wholeDays(new Date('2026-06-10T00:00:00Z'), new Date('2026-06-12T00:00:00Z'), 'UTC')).toEqual({
      fromDay: '2026-06-10',
      toDay: '2026-06-12',
    });
  });
});
