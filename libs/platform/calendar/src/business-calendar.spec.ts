import { BusinessCalendar } from './business-calendar';

// Instants are written with their Amsterdam offset (+01:00 winter, +02:00 summer) so each
// example reads as the local wall time it is about.
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();
const HOUR = 3_600_000;

describe('BusinessCalendar (default: NL, Mon–Fri 08:30–17:00, Europe/Amsterdam)', () => {
  const calendar = new BusinessCalendar();

  it('carries working hours over the weekend: Friday 16:30 + 1 h is Monday 09:00', () => {
    expect(iso(calendar.addWorkingHours(at('2026-01-09T16:30:00+01:00'), 1))).toBe(
      iso(at('2026-01-12T09:00:00+01:00')),
    );
  });

  it('ends exactly at closing time when the hour fits: Friday 16:00 + 1 h is Friday 17:00', () => {
    expect(iso(calendar.addWorkingHours(at('2026-01-09T16:00:00+01:00'), 1))).toBe(
      iso(at('2026-01-09T17:00:00+01:00')),
    );
  });

  it('starts counting at the next opening when added outside working hours', () => {
    expect(iso(calendar.addWorkingHours(at('2026-01-10T11:00:00+01:00'), 2))).toBe(
      iso(at('2026-01-12T10:30:00+01:00')),
    );
    expect(iso(calendar.addWorkingHours(at('2026-01-12T06:00:00+01:00'), 0.5))).toBe(
      iso(at('2026-01-12T09:00:00+01:00')),
    );
  });

  it('lists the Dutch public holidays of 2026 only (no Good Friday, Liberation Day or New Year’s Eve)', () => {
    expect(calendar.holidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Nieuwjaar' },
      { date: '2026-04-05', name: 'Pasen' },
      { date: '2026-04-06', name: 'Tweede paasdag' },
      { date: '2026-04-27', name: 'Koningsdag' },
      { date: '2026-05-14', name: 'Hemelvaartsdag' },
      { date: '2026-05-24', name: 'Pinksteren' },
      { date: '2026-05-25', name: 'Tweede pinksterdag' },
      { date: '2026-12-25', name: 'Kerstmis' },
      { date: '2026-12-26', name: 'Tweede kerstdag' },
    ]);
    for (const open of ['2026-04-03', '2026-05-05', '2026-12-31', '2025-05-05'])
      expect(calendar.isWorkingDay(open)).toBe(true);
  });

  it.each([
    ['Christmas', '2026-12-24T16:00:00+01:00', 2, '2026-12-28T09:30:00+01:00'],
    ['Boxing Day (a Friday in 2025)', '2025-12-24T16:00:00+01:00', 2, '2025-12-29T09:30:00+01:00'],
    ['New Year', '2025-12-31T16:00:00+01:00', 4, '2026-01-02T11:30:00+01:00'],
    ["King's Day", '2026-04-24T16:30:00+02:00', 1, '2026-04-28T09:00:00+02:00'],
    ['Easter Monday', '2026-04-03T16:30:00+02:00', 1, '2026-04-07T09:00:00+02:00'],
    ['Ascension Day', '2026-05-13T16:00:00+02:00', 2, '2026-05-15T09:30:00+02:00'],
  ])('skips %s', (_name, from, hours, expected) => {
    expect(iso(calendar.addWorkingHours(at(from), hours))).toBe(iso(at(expected)));
  });

  it('closes on every holiday of 2026 even when it falls on a weekend', () => {
    for (const date of ['2026-01-01', '2026-04-06', '2026-04-27', '2026-12-25', '2026-12-26']) {
      expect(calendar.isWorkingDay(date)).toBe(false);
    }
    // 23:30 UTC on 26 April is already King's Day in Amsterdam.
    expect(calendar.isWorkingDay(at('2026-04-26T23:30:00Z'))).toBe(false);
    expect(calendar.isWorkingDay(at('2026-04-26T21:30:00Z'))).toBe(false); // a Sunday
    expect(calendar.isWorkingDay(at('2026-04-28T06:00:00Z'))).toBe(true);
  });

  it('adds working days as the same wall time on the N-th following working day', () => {
    expect(iso(calendar.addWorkingDays(at('2026-01-07T10:15:00+01:00'), 1))).toBe(iso(at('2026-01-08T10:15:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-08T10:15:00+01:00'), 3))).toBe(iso(at('2026-01-13T10:15:00+01:00')));
    // King's Day Monday and the weekend are skipped.
    expect(iso(calendar.addWorkingDays(at('2026-04-24T12:00:00+02:00'), 1))).toBe(iso(at('2026-04-28T12:00:00+02:00')));
    expect(iso(calendar.addWorkingDays(at('2026-12-24T11:00:00+01:00'), 1))).toBe(iso(at('2026-12-28T11:00:00+01:00')));
  });

  it('adds working days from the next opening when outside working hours', () => {
    expect(iso(calendar.addWorkingDays(at('2026-01-10T11:00:00+01:00'), 1))).toBe(iso(at('2026-01-13T08:30:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-09T17:00:00+01:00'), 1))).toBe(iso(at('2026-01-13T08:30:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-09T07:00:00+01:00'), 1))).toBe(iso(at('2026-01-12T08:30:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-10T11:00:00+01:00'), 0))).toBe(iso(at('2026-01-12T08:30:00+01:00')));
  });

  it('finds the next opening', () => {
    const open = at('2026-01-09T12:00:00+01:00');
    expect(calendar.nextOpening(open)).toEqual(open);
    expect(iso(calendar.nextOpening(at('2026-01-09T17:00:00+01:00')))).toBe(iso(at('2026-01-12T08:30:00+01:00')));
    expect(iso(calendar.nextOpening(at('2026-12-24T18:00:00+01:00')))).toBe(iso(at('2026-12-28T08:30:00+01:00')));
    expect(calendar.isOpen(at('2026-01-09T08:30:00+01:00'))).toBe(true);
    expect(calendar.isOpen(at('2026-01-09T17:00:00+01:00'))).toBe(false);
  });

  it('measures business time and is 0 for an empty or reversed range', () => {
    expect(calendar.businessTimeBetween(at('2026-01-09T16:00:00+01:00'), at('2026-01-12T10:00:00+01:00'))).toBe(
      2.5 * HOUR,
    );
    expect(calendar.businessTimeBetween(at('2026-01-05T00:00:00+01:00'), at('2026-01-12T00:00:00+01:00'))).toBe(
      5 * 8.5 * HOUR,
    );
    expect(calendar.businessTimeBetween(at('2026-04-27T00:00:00+02:00'), at('2026-04-28T00:00:00+02:00'))).toBe(0);
    expect(calendar.businessTimeBetween(at('2026-01-12T10:00:00+01:00'), at('2026-01-09T16:00:00+01:00'))).toBe(0);
    expect(calendar.businessTimeBetween(at('2026-01-12T10:00:00+01:00'), at('2026-01-12T10:00:00+01:00'))).toBe(0);
  });

  it('keeps working time across the DST weekends (last Sundays of March and October)', () => {
    expect(iso(calendar.addWorkingHours(at('2026-03-27T16:00:00+01:00'), 2))).toBe(
      iso(at('2026-03-30T09:30:00+02:00')),
    );
    expect(iso(calendar.addWorkingHours(at('2026-10-23T16:00:00+02:00'), 2))).toBe(
      iso(at('2026-10-26T09:30:00+01:00')),
    );
    expect(iso(calendar.addWorkingDays(at('2026-03-27T10:00:00+01:00'), 1))).toBe(iso(at('2026-03-30T10:00:00+02:00')));
    expect(iso(calendar.addWorkingDays(at('2026-10-23T10:00:00+02:00'), 1))).toBe(iso(at('2026-10-26T10:00:00+01:00')));
    expect(calendar.businessTimeBetween(at('2026-03-27T08:30:00+01:00'), at('2026-03-30T17:00:00+02:00'))).toBe(
      17 * HOUR,
    );
  });

  it('adds calendar days at the same wall time, 23 or 25 hours across DST', () => {
    const spring = at('2026-03-28T12:00:00+01:00');
    expect(iso(calendar.addCalendarDays(spring, 1))).toBe(iso(at('2026-03-29T12:00:00+02:00')));
    expect(calendar.addCalendarDays(spring, 1).getTime() - spring.getTime()).toBe(23 * HOUR);
    const autumn = at('2026-10-24T12:00:00+02:00');
    expect(calendar.addCalendarDays(autumn, 1).getTime() - autumn.getTime()).toBe(25 * HOUR);
    expect(iso(calendar.addCalendarDays(at('2026-01-31T09:00:00+01:00'), 30))).toBe(
      iso(at('2026-03-02T09:00:00+01:00')),
    );
    expect(iso(calendar.addCalendarDays(at('2026-03-30T09:00:00+02:00'), -2))).toBe(
      iso(at('2026-03-28T09:00:00+01:00')),
    );
  });

  it('rejects negative, fractional and invalid arguments', () => {
    const monday = at('2026-01-12T09:00:00+01:00');
    expect(() => calendar.addWorkingTime(monday, -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingTime(monday, 0.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(monday, 1.5)).toThrow(RangeError);
    expect(() => calendar.addCalendarDays(monday, Number.NaN)).toThrow(RangeError);
    expect(() => calendar.nextOpening(new Date('nope'))).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(calendar.addWorkingTime(monday, 0)).toEqual(monday);
  });
});

describe('BusinessCalendar (other definitions)', () => {
  it('skips extra closed days', () => {
    const calendar = new BusinessCalendar({ extraClosedDays: ['2026-05-15'] });
    expect(calendar.isWorkingDay('2026-05-15')).toBe(false);
    // Ascension Thursday, the bridge Friday and the weekend.
    expect(iso(calendar.addWorkingDays(at('2026-05-13T12:00:00+02:00'), 1))).toBe(iso(at('2026-05-18T12:00:00+02:00')));
    expect(iso(calendar.addWorkingHours(at('2026-05-13T16:00:00+02:00'), 2))).toBe(
      iso(at('2026-05-18T09:30:00+02:00')),
    );
  });

  it('counts real elapsed time in hours that DST shortens or lengthens', () => {
    const nights = new BusinessCalendar({ workingHours: { 7: [{ start: '01:00', end: '04:00' }] } });
    const spring = at('2026-03-29T00:00:00+01:00');
    const autumn = at('2026-10-25T00:00:00+02:00');
    expect(nights.businessTimeBetween(spring, nights.addCalendarDays(spring, 1))).toBe(2 * HOUR);
    expect(nights.businessTimeBetween(autumn, nights.addCalendarDays(autumn, 1))).toBe(4 * HOUR);
    // The next Sunday is Easter, a public holiday.
    expect(iso(nights.addWorkingHours(spring, 2.5))).toBe(iso(at('2026-04-12T01:30:00+02:00')));

    const aroundTheClock = new BusinessCalendar({
      workingHours: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [day, [{ start: '00:00', end: '24:00' }]])),
    });
    expect(aroundTheClock.businessTimeBetween(spring, at('2026-03-30T00:00:00+02:00'))).toBe(23 * HOUR);
    expect(aroundTheClock.businessTimeBetween(autumn, at('2026-10-26T00:00:00+01:00'))).toBe(25 * HOUR);
  });

  it('clamps addWorkingDays into a target day with other hours', () => {
    const calendar = new BusinessCalendar({
      workingHours: {
        1: [{ start: '10:00', end: '17:00' }],
        4: [{ start: '08:30', end: '17:00' }],
        5: [
          { start: '08:30', end: '12:00' },
          { start: '13:00', end: '15:00' },
        ],
      },
    });
    expect(iso(calendar.addWorkingDays(at('2026-01-08T16:00:00+01:00'), 1))).toBe(iso(at('2026-01-09T15:00:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-08T12:30:00+01:00'), 1))).toBe(iso(at('2026-01-09T12:00:00+01:00')));
    expect(iso(calendar.addWorkingDays(at('2026-01-09T09:00:00+01:00'), 1))).toBe(iso(at('2026-01-12T10:00:00+01:00')));
    // The lunch gap: next opening is 13:00 the same day.
    expect(iso(calendar.nextOpening(at('2026-01-09T12:00:00+01:00')))).toBe(iso(at('2026-01-09T13:00:00+01:00')));
  });

  it('uses the holidays of a region', () => {
    const bavaria = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidayCountry: 'DE', holidayRegion: 'BY' });
    const germany = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidayCountry: 'DE' });
    expect(bavaria.isWorkingDay('2026-01-06')).toBe(false);
    expect(germany.isWorkingDay('2026-01-06')).toBe(true);
    expect(germany.isWorkingDay('2026-04-03')).toBe(false); // Good Friday is public in Germany
  });
});
