import { validate } from '@servicecenter/platform-errors';
import { DateTime } from 'luxon';
import {
  businessCalendarDefinitionSchema,
  type BusinessCalendarDefinition,
  type BusinessCalendarDefinitionInput,
  type IsoWeekday,
  type WorkingInterval,
} from './definition';
import { HolidayCalendar, type Holiday } from './holidays';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Ten years of closed days in a row means the definition can never open again; better an
// error than an endless loop (validation already demands one open weekday).
const SEARCH_LIMIT_DAYS = 3_660;
// Open spans are memoised per date (a few hundred bytes a day); the cap only guards against
// a process that sweeps across centuries.
const SPAN_CACHE_DAYS = 20_000;

type Span = { start: number; end: number };
/** A local date as days since 1970-01-01. */
type EpochDay = number;

/**
 * Working-time arithmetic on one business calendar: working hours per weekday in one time
 * zone, minus public holidays and extra closed days. Pure: no clock, no I/O; every method
 * takes the instant it works from.
 *
 * Working hours are half-open [opening, closing): the desk is open at its opening time and
 * closed at its closing time. Business time is real elapsed time inside those intervals, so
 * an interval that spans a DST change is an hour shorter or longer, like the night it is in.
 */
export class BusinessCalendar {
  readonly definition: BusinessCalendarDefinition;
  private readonly holidayCalendar: HolidayCalendar;
  private readonly closedDays: ReadonlySet<string>;
  private readonly spanCache = new Map<EpochDay, readonly Span[]>();
  /** The instant each local day begins (its first moment in the zone), by day. */
  private readonly dayStartCache = new Map<EpochDay, number>();

  /** Validates the definition; a bad one is a BAD_USER_INPUT naming the field under `calendar.`. */
  constructor(definition: BusinessCalendarDefinitionInput = {}) {
    this.definition = validate(businessCalendarDefinitionSchema, definition, 'calendar');
    this.holidayCalendar = new HolidayCalendar(this.definition.holidayCountry, this.definition.holidayRegion);
    this.closedDays = new Set(this.definition.extraClosedDays);
  }

  get timeZone(): string {
    return this.definition.timeZone;
  }

  /** Public holidays of `year` in this calendar's country/region, by date. */
  holidays(year: number): Holiday[] {
    return this.holidayCalendar.holidays(year);
  }

  /** Whether the local day (a `Date` is read in the calendar's zone, a string is YYYY-MM-DD) has working hours. */
  isWorkingDay(date: Date | string): boolean {
    return this.spansOf(this.localDay(date)).length > 0;
  }

  /** Whether the desk is open at `instant`. */
  isOpen(instant: Date): boolean {
    const at = millis(instant);
    return this.spansOf(this.dayOf(at)).some((span) => span.start <= at && at < span.end);
  }

  /** The first moment at or after `instant` when the desk is open (`instant` itself when open). */
  nextOpening(instant: Date): Date {
    const at = millis(instant);
    for (const span of this.spansFrom(at)) return new Date(Math.max(span.start, at));
    throw unreachable();
  }

  /**
   * The instant `ms` of business time after `instant`. Time outside working hours does not
   * count, so the result of a positive amount lies inside working hours or exactly at a
   * closing time (a deadline of "the last hour of Friday" is Friday's closing, not Monday's
   * opening). Zero returns `instant` unchanged.
   */
  addWorkingTime(instant: Date, ms: number): Date {
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw new RangeError(`working time must be a whole number of ms >= 0, got ${ms}`);
    const at = millis(instant);
    if (ms === 0) return new Date(at);
    let remaining = ms;
    for (const span of this.spansFrom(at)) {
      const from = Math.max(span.start, at);
      if (remaining <= span.end - from) return new Date(from + remaining);
      remaining -= span.end - from;
    }
    throw unreachable();
  }

  /** `addWorkingTime` in hours (fractions allowed, rounded to the millisecond). */
  addWorkingHours(instant: Date, hours: number): Date {
    return this.addWorkingTime(instant, Math.round(hours * HOUR_MS));
  }

  /**
   * The same local wall time on the `days`-th working day after `instant`'s day. An instant
   * outside working hours first moves to the next opening, so a request registered on
   * Saturday is due "1 working day later" at Tuesday's opening, and one registered at
   * Friday's closing time at Tuesday's opening too (closing time is outside working hours).
   * A working day is counted as a day, not as a day's worth of business hours, which is how
   * people read "within 1 working day". When that wall time is not within the target day's
   * hours (weekdays with different hours), the result is clamped into that day: its first
   * opening when earlier, otherwise the last closing before the wall time. Zero days is
   * `nextOpening(instant)`.
   */
  addWorkingDays(instant: Date, days: number): Date {
    if (!Number.isSafeInteger(days) || days < 0)
      throw new RangeError(`working days must be a whole number >= 0, got ${days}`);
    const start = this.nextOpening(instant);
    if (days === 0) return start;
    const startDay = this.dayOf(start.getTime());
    let day = startDay;
    for (let counted = 0, idle = 0; counted < days;) {
      day++;
      idle = this.spansOf(day).length > 0 ? (counted++, 0) : idle + 1;
      if (idle > SEARCH_LIMIT_DAYS) throw unreachable();
    }
    const spans = this.spansOf(day);
    const target = this.sameWallTime(start.getTime(), startDay, day);
    if (spans.some((span) => span.start <= target && target <= span.end)) return new Date(target);
    const closedBefore = spans.filter((span) => span.end < target).at(-1);
    return new Date(closedBefore ? closedBefore.end : spans[0].start);
  }

  /**
   * The instant of `at`'s local wall time (to the millisecond) on another local day. Between
   * days of 24 hours (the same offset at their start and at the next day's; zones change it
   * at most once a day) that is the time since its day's first moment added to the other day's
   * first moment, both cached: luxon's conversion (`fromJSDate`, `toFormat` and `fromObject`,
   * an Intl offset lookup each) cost every follow-up timer of an import ≈ 10 µs, ≈ 4 % of the
   * requests process's CPU (docs/performance.md, change 35). A day with a DST change takes
   * luxon's reading, as before.
   */
  private sameWallTime(at: number, fromDay: EpochDay, toDay: EpochDay): number {
    if (this.hasFullDay(fromDay) && this.hasFullDay(toDay)) return this.dayStart(toDay) + (at - this.dayStart(fromDay));
    const from = DateTime.fromMillis(at, { zone: this.timeZone });
    return this.wallClock(toDay, from.toFormat('HH:mm'), from.second, from.millisecond);
  }

  /** Whether the local day lasts 24 hours: the zone's offset is the same at its start and at the next day's. */
  private hasFullDay(day: EpochDay): boolean {
    return this.dayStart(day + 1) - this.dayStart(day) === DAY_MS;
  }

  /** Business time in ms from `from` to `to`; 0 when `to` is not after `from`. */
  businessTimeBetween(from: Date, to: Date): number {
    const start = millis(from);
    const end = millis(to);
    let total = 0;
    if (end <= start) return total;
    for (const span of this.spansFrom(start)) {
      if (span.start >= end) break;
      total += Math.min(span.end, end) - Math.max(span.start, start);
    }
    return total;
  }

  /**
   * `days` calendar days later (negative: earlier) at the same local wall time, whatever DST does
   * in between. Between days of 24 hours that is `sameWallTime`'s arithmetic on the cached day
   * starts; a day with a DST change (where a wall time can be missing or doubled) and a distance
   * beyond the caches take luxon's `plus`, as before. Every SLA clock with a calendar-day budget
   * resolves it when it starts and again at each priority change: luxon's `plus` (an Intl offset
   * lookup and a zone adjustment) was ≈ 15 % of the SLA consumer's clock work on an import
   * (docs/performance.md, change 41).
   */
  addCalendarDays(instant: Date, days: number): Date {
    if (!Number.isSafeInteger(days)) throw new RangeError(`calendar days must be a whole number, got ${days}`);
    const at = millis(instant);
    if (Math.abs(days) <= SEARCH_LIMIT_DAYS) {
      const from = this.dayOf(at);
      const to = from + days;
      if (this.hasFullDay(from) && this.hasFullDay(to)) return new Date(this.dayStart(to) + (at - this.dayStart(from)));
    }
    return DateTime.fromMillis(at, { zone: this.timeZone }).plus({ days }).toJSDate();
  }

  /** Open spans from the one containing (or next after) `at` onwards; ends after SEARCH_LIMIT_DAYS without any. */
  private *spansFrom(at: number): Generator<Span> {
    for (let day = this.dayOf(at), idle = 0; idle <= SEARCH_LIMIT_DAYS; day++) {
      const spans = this.spansOf(day);
      idle = spans.length === 0 ? idle + 1 : 0;
      for (const span of spans) if (span.end > at) yield span;
    }
  }

  /**
   * The open spans of one local day as instants, empty on closed days. Days are walked as
   * plain day numbers because luxon is slow at stepping through a zone; the zone only
   * matters when a wall time becomes an instant, once per day thanks to the cache.
   */
  private spansOf(day: EpochDay): readonly Span[] {
    let spans = this.spanCache.get(day);
    if (!spans) {
      if (this.spanCache.size >= SPAN_CACHE_DAYS) this.spanCache.clear();
      spans = this.computeSpans(day);
      this.spanCache.set(day, spans);
    }
    return spans;
  }

  private computeSpans(day: EpochDay): Span[] {
    const date = isoDate(day);
    const intervals: WorkingInterval[] = this.definition.workingHours[isoWeekday(day)] ?? [];
    if (intervals.length === 0 || this.closedDays.has(date) || this.holidayCalendar.isHoliday(date)) return [];
    return intervals
      .map((interval) => ({ start: this.wallClock(day, interval.start), end: this.wallClock(day, interval.end) }))
      .filter((span) => span.end > span.start) // a span lost to the spring-forward gap
      .sort((a, b) => a.start - b.start);
  }

  /**
   * The first instant of a local day: its midnight, the earlier one when midnight happens
   * twice (a fall-back at 01:00, where luxon picks the later), the first moment after a
   * spring-forward gap at midnight (luxon moves forward).
   */
  private firstMoment(day: EpochDay): number {
    const midnight = day * DAY_MS;
    const offsetAt = (at: number) => DateTime.fromMillis(at, { zone: this.timeZone }).offset;
    const picked = this.wallClock(day, '00:00');
    let first = picked;
    for (const offset of new Set([offsetAt(midnight - DAY_MS), offsetAt(midnight + DAY_MS), offsetAt(picked)])) {
      const candidate = midnight - offset * 60_000;
      if (candidate < first && offsetAt(candidate) === offset) first = candidate;
    }
    return first;
  }

  /** The instant of a wall time on a local day; 24:00 is the next day's midnight. */
  private wallClock(day: EpochDay, time: string, second = 0, millisecond = 0): number {
    const [hour, minute] = time === '24:00' ? [0, 0] : time.split(':').map(Number);
    const date = new Date((time === '24:00' ? day + 1 : day) * DAY_MS);
    // A time in the spring-forward gap moves forward (luxon), one in the autumn fold takes luxon's pick.
    return DateTime.fromObject(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour,
        minute,
        second,
        millisecond,
      },
      { zone: this.timeZone },
    ).toMillis();
  }

  /**
   * The local day of an instant. Zone offsets lie within ±14 hours, so it is the UTC day or
   * one next to it: the one whose first moment is the last at or before `at`. Day starts
   * come from luxon once per day and are cached (luxon's offset lookup, `formatToParts`,
   * was the SLA consumer's hottest frame when it converted every instant).
   */
  private dayOf(at: number): EpochDay {
    const utcDay = Math.floor(at / DAY_MS);
    for (let day = utcDay + 1; day >= utcDay - 1; day--) if (this.dayStart(day) <= at) return day;
    return utcDay - 2; // unreachable for offsets within ±24 hours
  }

  private dayStart(day: EpochDay): number {
    let start = this.dayStartCache.get(day);
    if (start === undefined) {
      if (this.dayStartCache.size >= SPAN_CACHE_DAYS) this.dayStartCache.clear();
      start = this.firstMoment(day);
      this.dayStartCache.set(day, start);
    }
    return start;
  }

  private localDay(date: Date | string): EpochDay {
    if (date instanceof Date) return this.dayOf(millis(date));
    const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : undefined;
    if (!day?.isValid) throw new RangeError(`expected a date YYYY-MM-DD, got ${date}`);
    return day.toMillis() / DAY_MS;
  }
}

const isoDate = (day: EpochDay) => new Date(day * DAY_MS).toISOString().slice(0, 10);
// 1970-01-01 was a Thursday, ISO weekday 4.
const isoWeekday = (day: EpochDay) => String(((((day + 3) % 7) + 7) % 7) + 1) as IsoWeekday;

function millis(instant: Date): number {
  const at = instant.getTime();
  if (Number.isNaN(at)) throw new RangeError('invalid Date');
  return at;
}

const unreachable = () => new Error(`no working hours within ${SEARCH_LIMIT_DAYS} days: the calendar never opens`);
