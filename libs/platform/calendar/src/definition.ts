import { IANAZone } from 'luxon';
import { z } from 'zod';
import { isKnownHolidayCountry, isKnownHolidayRegion } from './holidays';

/** ISO weekdays as object keys (JSON keys are strings): 1 = Monday … 7 = Sunday. */
export const ISO_WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type IsoWeekday = (typeof ISO_WEEKDAYS)[number];

// 24:00 is allowed so a day can be open until midnight without crossing it.
const wallTime = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:mm between 00:00 and 24:00');

export const workingIntervalSchema = z
  .object({ start: wallTime, end: wallTime })
  .refine((interval) => interval.end > interval.start, {
    // Same-length zero-padded strings compare like the times they hold.
    message: 'end must be after start (intervals cannot cross midnight)',
    path: ['end'],
  });
export type WorkingInterval = z.infer<typeof workingIntervalSchema>;

const dayIntervals = z.array(workingIntervalSchema).superRefine((intervals, ctx) => {
  const sorted = intervals
    .map((interval, index) => ({ ...interval, index }))
    .sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      ctx.addIssue({
        code: 'custom',
        message: `overlaps ${sorted[i - 1].start}–${sorted[i - 1].end}`,
        path: [sorted[i].index, 'start'],
      });
    }
  }
});

const officeHours = (): WorkingInterval[] => [{ start: '08:30', end: '17:00' }];

export const DEFAULT_WORKING_HOURS: Readonly<Partial<Record<IsoWeekday, WorkingInterval[]>>> = {
  '1': officeHours(),
  '2': officeHours(),
  '3': officeHours(),
  '4': officeHours(),
  '5': officeHours(),
};

/**
 * A business calendar as stored or entered by an administrator. Every field has a default,
 * so `{}` is the Dutch office week: Mon–Fri 08:30–17:00 in Europe/Amsterdam, closed on
 * Dutch public holidays. A weekday missing from `workingHours` is closed.
 */
export const businessCalendarDefinitionSchema = z
  .object({
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone')
      .default('Europe/Amsterdam'),
    workingHours: z
      .partialRecord(z.enum(ISO_WEEKDAYS), dayIntervals)
      .refine((week) => Object.values(week).some((intervals) => intervals.length > 0), {
        // Without one open interval every search for the next opening would never end.
        message: 'at least one weekday needs working hours',
      })
      .prefault(DEFAULT_WORKING_HOURS),
    holidayCountry: z
      .string()
      .refine(isKnownHolidayCountry, 'unknown holiday country (ISO 3166-1 alpha-2, e.g. NL)')
      .default('NL'),
    /** ISO 3166-2 subdivision for regional holidays (date-holidays calls it a state). */
    holidayRegion: z.string().optional(),
    extraClosedDays: z.array(z.iso.date('expected an ISO date YYYY-MM-DD')).default([]),
  })
  .superRefine((definition, ctx) => {
    if (
      definition.holidayRegion !== undefined &&
      !isKnownHolidayRegion(definition.holidayCountry, definition.holidayRegion)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown region of ${definition.holidayCountry}`,
        path: ['holidayRegion'],
      });
    }
  });

/** What an administrator may send: every field optional. */
export type BusinessCalendarDefinitionInput = z.input<typeof businessCalendarDefinitionSchema>;
/** A validated definition with the defaults filled in. */
export type BusinessCalendarDefinition = z.output<typeof businessCalendarDefinitionSchema>;
