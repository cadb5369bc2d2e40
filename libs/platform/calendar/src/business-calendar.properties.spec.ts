import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar';

// Deterministic and quick: a failure names its counterexample and replays with this seed.
fc.configureGlobal({ seed: 20_260_329, numRuns: 200 });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Amsterdam';

const calendars = {
  office: new BusinessCalendar(),
  // Split shifts, a Saturday and closed days next to holidays and weekends.
  split: new BusinessCalendar({
    workingHours: {
      ...Object.fromEntries(
        [1, 2, 3, 4, 5].map((day) => [
          day,
          [
            { start: '09:00', end: '12:00' },
            { start: '13:00', end: '17:30' },
          ],
        ]),
      ),
      6: [{ start: '10:00', end: '14:00' }],
    },
    extraClosedDays: ['2026-05-15', '2026-12-24', '2026-12-31', '2027-01-04'],
  }),
  // Night shifts every day, so the missing and the doubled DST hour are working time.
  nights: new BusinessCalendar({
    workingHours: Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].map((day) => [
        day,
        [
          { start: '00:00', end: '03:30' },
          { start: '22:00', end: '24:00' },
        ],
      ]),
    ),
  }),
};
type Name = keyof typeof calendars;
const names = Object.keys(calendars) as Name[];

// Days where mistakes show: DST Sundays, holidays and the weekends around them (UTC midnight).
const hotSpots = [
  '2025-12-24',
  '2025-12-31',
  '2026-01-09',
  '2026-03-27',
  '2026-03-29',
  '2026-04-03',
  '2026-04-26',
  '2026-05-13',
  '2026-10-23',
  '2026-10-25',
  '2026-12-24',
  '2026-12-31',
  '2027-03-28',
].map((date) => Date.parse(`${date}T00:00:00Z`));

const instant = fc
  .oneof(
    fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2027-01-31T00:00:00Z') }),
    fc
      .tuple(fc.constantFrom(...hotSpots), fc.integer({ min: -3 * DAY, max: 4 * DAY }))
      .map(([day, offset]) => day + offset),
    // Exactly on an hour or half hour, where openings and closings are.
    fc
      .tuple(fc.constantFrom(...hotSpots), fc.integer({ min: -72, max: 96 }))
      .map(([day, halves]) => day + halves * (HOUR / 2)),
  )
  .map((ms) => new Date(ms));

const duration = fc.oneof(
  fc.integer({ min: 1, max: 60_000 }),
  fc.integer({ min: 1, max: 9 * HOUR }),
  fc.integer({ min: 1, max: 200 * HOUR }),
);
const calendarName = fc.constantFrom(...names);
const sorted = (...dates: Date[]) => dates.sort((a, b) => a.getTime() - b.getTime());

describe('BusinessCalendar properties (weekends, holidays, DST)', () => {
  it('measures back exactly what addWorkingTime added', () => {
    fc.assert(
      fc.property(calendarName, instant, duration, (name, a, d) => {
        const calendar = calendars[name];
        expect(calendar.businessTimeBetween(a, calendar.addWorkingTime(a, d))).toBe(d);
      }),
    );
  });

  it('returns the earliest instant with that much business time', () => {
    fc.assert(
      fc.property(calendarName, instant, instant, (name, x, y) => {
        const calendar = calendars[name];
        const [a, b] = sorted(x, y);
        const d = calendar.businessTimeBetween(a, b);
        fc.pre(d > 0);
        const due = calendar.addWorkingTime(a, d);
        expect(due.getTime()).toBeLessThanOrEqual(b.getTime());
        expect(calendar.businessTimeBetween(due, b)).toBe(0);
      }),
    );
  });

  it('is monotonic in the start and in the amount', () => {
    fc.assert(
      fc.property(calendarName, instant, instant, duration, duration, (name, x, y, d1, d2) => {
        const calendar = calendars[name];
        const [a, b] = sorted(x, y);
        const [small, large] = [Math.min(d1, d2), Math.max(d1, d2)];
        expect(calendar.addWorkingTime(a, small).getTime()).toBeLessThanOrEqual(
          calendar.addWorkingTime(b, small).getTime(),
        );
        expect(calendar.addWorkingTime(a, small).getTime()).toBeLessThanOrEqual(
          calendar.addWorkingTime(a, large).getTime(),
        );
      }),
    );
  });

  it('lands inside working hours or exactly at a closing time, on a working day', () => {
    fc.assert(
      fc.property(calendarName, instant, duration, (name, a, d) => {
        const calendar = calendars[name];
        const justBefore = new Date(calendar.addWorkingTime(a, d).getTime() - 1);
        expect(calendar.isOpen(justBefore)).toBe(true);
        expect(calendar.isWorkingDay(justBefore)).toBe(true);
      }),
    );
  });

  it('adds business time up over consecutive ranges and never exceeds elapsed time', () => {
    fc.assert(
      fc.property(calendarName, instant, instant, instant, (name, x, y, z) => {
        const calendar = calendars[name];
        const [a, b, c] = sorted(x, y, z);
        const whole = calendar.businessTimeBetween(a, c);
        expect(whole).toBe(calendar.businessTimeBetween(a, b) + calendar.businessTimeBetween(b, c));
        expect(whole).toBeLessThanOrEqual(c.getTime() - a.getTime());
        expect(calendar.businessTimeBetween(c, a)).toBe(0);
      }),
    );
  });

  it('never counts a weekend, a public holiday or an extra closed day', () => {
    // An independent oracle: the holiday library and luxon, not the calendar's own lookups.
    const dutch = new Holidays('NL');
    const publicHolidays = new Set(
      [2025, 2026, 2027].flatMap((year) =>
        dutch
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom<Name>('office', 'split'), instant, (name, x) => {
        const calendar = calendars[name];
        const day = DateTime.fromJSDate(x, { zone: ZONE }).startOf('day');
        const date = day.toISODate() as string;
        const closed =
          day.weekday === 7 ||
          (day.weekday === 6 && name === 'office') ||
          publicHolidays.has(date) ||
          calendar.definition.extraClosedDays.includes(date);
        const worked = calendar.businessTimeBetween(day.toJSDate(), day.plus({ days: 1 }).toJSDate());
        expect(calendar.isWorkingDay(x)).toBe(!closed);
        const openDay = name === 'office' ? 8.5 * HOUR : day.weekday === 6 ? 4 * HOUR : 7.5 * HOUR;
        expect(worked).toBe(closed ? 0 : openDay);
      }),
    );
  });

  it('finds the next opening without skipping working time', () => {
    fc.assert(
      fc.property(calendarName, instant, (name, a) => {
        const calendar = calendars[name];
        const opening = calendar.nextOpening(a);
        expect(opening.getTime()).toBeGreaterThanOrEqual(a.getTime());
        expect(calendar.isOpen(opening)).toBe(true);
        expect(calendar.businessTimeBetween(a, opening)).toBe(0);
      }),
    );
  });

  it('adds working days: a working day that many working days later, at the start wall time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 15 }), (a, days) => {
        const calendar = calendars.office;
        const start = DateTime.fromJSDate(calendar.nextOpening(a), { zone: ZONE });
        const due = DateTime.fromJSDate(calendar.addWorkingDays(a, days), { zone: ZONE });
        expect(due.toFormat('HH:mm:ss.SSS')).toBe(start.toFormat('HH:mm:ss.SSS'));
        expect(calendar.isWorkingDay(due.toJSDate())).toBe(true);
        let between = 0;
        for (let day = start.startOf('day').plus({ days: 1 }); day <= due; day = day.plus({ days: 1 })) {
          if (calendar.isWorkingDay(day.toJSDate())) between++;
        }
        expect(between).toBe(days);
      }),
    );
  });

  it('adds working days at the wall time luxon reads, in zones whose DST changes at any hour', () => {
    // The oracle: luxon's wall time of the start on the local date that many working days later
    // (working days counted with isWorkingDay), wherever the desk is open then. Nights put the DST
    // hours themselves into working time; Santiago and Beirut change at midnight.
    const zoned = ['Europe/Amsterdam', 'America/Santiago', 'Asia/Beirut', 'America/New_York'].map(
      (timeZone) => [timeZone, new BusinessCalendar({ timeZone, holidayCountry: 'NL' })] as const,
    );
    const all = [...names.map((n) => [ZONE, calendars[n]] as const), ...zoned];
    fc.assert(
      fc.property(fc.constantFrom(...all), instant, fc.integer({ min: 1, max: 12 }), ([zone, calendar], a, days) => {
        const start = DateTime.fromJSDate(calendar.nextOpening(a), { zone });
        let date = start.startOf('day');
        for (let counted = 0; counted < days;) {
          date = date.plus({ days: 1 });
          if (calendar.isWorkingDay(date.toISODate() as string)) counted++;
        }
        const wall = DateTime.fromObject(
          {
            ...date.toObject(),
            hour: start.hour,
            minute: start.minute,
            second: start.second,
            millisecond: start.millisecond,
          },
          { zone },
        );
        fc.pre(calendar.isOpen(wall.toJSDate()));
        expect(calendar.addWorkingDays(a, days).toISOString()).toBe(wall.toJSDate().toISOString());
      }),
      { numRuns: 600 },
    );
  });

  it('adds calendar days at the same local wall time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -400, max: 400 }), (a, days) => {
        const local = DateTime.fromJSDate(a, { zone: ZONE });
        fc.pre(local.hour >= 4); // wall times in the DST gap or fold have no single answer
        const later = DateTime.fromJSDate(calendars.office.addCalendarDays(a, days), { zone: ZONE });
        expect(later.toFormat('HH:mm:ss.SSS')).toBe(local.toFormat('HH:mm:ss.SSS'));
        expect(Math.round(later.startOf('day').diff(local.startOf('day'), 'days').days)).toBe(days);
      }),
    );
  });

  it("adds calendar days exactly as luxon's plus did, also across DST changes and on the days of a change", () => {
    // The oracle is the previous implementation: luxon's plus({ days }) in the calendar's zone,
    // which decides the wall times a DST change removes or doubles. Zones whose DST changes at
    // 02:00 / 03:00, at midnight (Santiago, Beirut) and by half an hour (Lord Howe); the
    // instants include the hot spots' DST days and whole hours next to them.
    const zones = ['Europe/Amsterdam', 'America/Santiago', 'Asia/Beirut', 'America/New_York', 'Australia/Lord_Howe'];
    const byZone = Object.fromEntries(zones.map((timeZone) => [timeZone, new BusinessCalendar({ timeZone })]));
    const dstDays = [
      '2026-03-08', // New York
      '2026-03-29', // Amsterdam, Beirut
      '2026-04-05', // Santiago, Lord Howe
      '2026-09-06', // Santiago
      '2026-10-04', // Lord Howe
      '2026-10-25', // Amsterdam, Beirut
      '2026-11-01', // New York
    ].map((date) => Date.parse(`${date}T00:00:00Z`));
    const near = fc
      .tuple(fc.constantFrom(...dstDays), fc.integer({ min: -48, max: 48 }), fc.integer({ min: 0, max: HOUR - 1 }))
      .map(([day, hours, ms]) => new Date(day + hours * HOUR + ms));
    const days = fc.oneof(fc.integer({ min: -400, max: 400 }), fc.constantFrom(-1, 0, 1, 30, 90));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.oneof(instant, near), days, (zone, a, n) => {
        const expected = DateTime.fromMillis(a.getTime(), { zone }).plus({ days: n }).toMillis();
        expect(byZone[zone].addCalendarDays(a, n).getTime()).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads an instant on the local date of its zone, also far from UTC and where DST changes at midnight', () => {
    // Wednesdays closed, so a day off by one shows; the oracle is luxon's local date of the instant.
    const zones = ['Europe/Amsterdam', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Santiago', 'Asia/Beirut'];
    const byZone = Object.fromEntries(
      zones.map((timeZone) => [
        timeZone,
        new BusinessCalendar({
          timeZone,
          workingHours: Object.fromEntries([1, 2, 4, 5, 6, 7].map((day) => [day, [{ start: '08:00', end: '17:00' }]])),
        }),
      ]),
    );
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, fc.integer({ min: -14, max: 14 }), (zone, at, hours) => {
        const moment = new Date(at.getTime() + hours * HOUR);
        const local = DateTime.fromJSDate(moment, { zone });
        const calendar = byZone[zone];
        expect(calendar.isWorkingDay(moment)).toBe(calendar.isWorkingDay(local.toFormat('yyyy-MM-dd')));
      }),
    );
  });
});
