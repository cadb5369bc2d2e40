import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export interface Holiday {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** The library's name for it, in the country's own language (Dutch for NL). */
  name: string;
}

let catalogue: Holidays | undefined;
// Loading the rule data once is enough for the validation look-ups below.
const lookups = () => (catalogue ??= new Holidays());

export const isKnownHolidayCountry = (country: string): boolean =>
  Object.hasOwn(lookups().getCountries(), country.toUpperCase());

export const isKnownHolidayRegion = (country: string, region: string): boolean =>
  Object.hasOwn(lookups().getStates(country.toUpperCase()) ?? {}, region.toUpperCase());

/**
 * Public holidays of one country (and optionally region), per year, computed once per year.
 *
 * Only date-holidays' type `public` closes the desk. `bank` days (e.g. 31 December in NL),
 * `school`, `optional` and `observance` days are normal working days for a service desk:
 * they are not statutory days off, and treating them as closed would silently stretch
 * every SLA. The Netherlands shows the edge: Liberation Day (5 May) is a day off only every
 * fifth year under many collective agreements (CAOs), and the library types it `school`, so
 * it never closes this calendar; an organisation that closes on it lists the date in
 * `extraClosedDays`.
 */
export class HolidayCalendar {
  private readonly source: Holidays;
  private readonly byYear = new Map<number, { list: Holiday[]; dates: Set<string> }>();

  constructor(country: string, region?: string) {
    this.source = region
      ? new Holidays(country.toUpperCase(), region.toUpperCase())
      : new Holidays(country.toUpperCase());
  }

  holidays(year: number): Holiday[] {
    return this.year(year).list.map((holiday) => ({ ...holiday }));
  }

  isHoliday(isoDate: string): boolean {
    const year = Number(isoDate.slice(0, 4));
    // A holiday of several days may start in the previous year.
    return this.year(year).dates.has(isoDate) || this.year(year - 1).dates.has(isoDate);
  }

  private year(year: number) {
    let entry = this.byYear.get(year);
    if (!entry) {
      const list: Holiday[] = [];
      const dates = new Set<string>();
      for (const holiday of this.source.getHolidays(year)) {
        if (holiday.type !== 'public') continue;
        // `date` is the local start ("YYYY-MM-DD hh:mm:ss"); a holiday starting in the
        // afternoon still closes the whole day, which is how Dutch rules read anyway.
        const first = DateTime.fromISO(holiday.date.slice(0, 10), { zone: 'UTC' });
        const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
        for (let i = 0; i < days; i++) {
          const date = first.plus({ days: i }).toISODate() as string;
          if (!dates.has(date)) list.push({ date, name: holiday.name });
          dates.add(date);
        }
      }
      list.sort((a, b) => a.date.localeCompare(b.date));
      entry = { list, dates };
      this.byYear.set(year, entry);
    }
    return entry;
  }
}
