import { DomainError, validate } from '@servicecenter/platform-errors';
import { BusinessCalendar } from './business-calendar';
import { businessCalendarDefinitionSchema, type BusinessCalendarDefinitionInput } from './definition';

/** The field the first problem names, as a GraphQL client would see it. */
function badField(input: unknown): string | undefined {
  try {
    validate(businessCalendarDefinitionSchema, input, 'input.calendar');
    return undefined;
  } catch (error) {
    return (error as DomainError).details.field as string;
  }
}

describe('businessCalendarDefinitionSchema', () => {
  it('fills in the Dutch office week', () => {
    expect(businessCalendarDefinitionSchema.parse({})).toEqual({
      timeZone: 'Europe/Amsterdam',
      workingHours: Object.fromEntries(
        ['1', '2', '3', '4', '5'].map((day) => [day, [{ start: '08:30', end: '17:00' }]]),
      ),
      holidayCountry: 'NL',
      extraClosedDays: [],
    });
  });

  it('keeps a given week as is: missing weekdays are closed', () => {
    const week: BusinessCalendarDefinitionInput['workingHours'] = { 6: [{ start: '10:00', end: '24:00' }] };
    expect(businessCalendarDefinitionSchema.parse({ workingHours: week }).workingHours).toEqual({
      '6': [{ start: '10:00', end: '24:00' }],
    });
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'input.calendar.timeZone'],
    [
      'a time that is not HH:mm',
      { workingHours: { 1: [{ start: '8:30', end: '17:00' }] } },
      'input.calendar.workingHours.1.0.start',
    ],
    ['25:00', { workingHours: { 1: [{ start: '08:30', end: '25:00' }] } }, 'input.calendar.workingHours.1.0.end'],
    [
      'an end before its start',
      { workingHours: { 2: [{ start: '17:00', end: '08:30' }] } },
      'input.calendar.workingHours.2.0.end',
    ],
    [
      'an empty interval',
      { workingHours: { 2: [{ start: '09:00', end: '09:00' }] } },
      'input.calendar.workingHours.2.0.end',
    ],
    [
      'overlapping intervals',
      {
        workingHours: {
          3: [
            { start: '13:00', end: '17:00' },
            { start: '09:00', end: '13:30' },
          ],
        },
      },
      'input.calendar.workingHours.3.0.start',
    ],
    // zod reports unknown record keys on the record, naming the key in the message.
    ['a weekday 8', { workingHours: { 8: [{ start: '09:00', end: '17:00' }] } }, 'input.calendar.workingHours'],
    ['a week without working hours', { workingHours: { 1: [] } }, 'input.calendar.workingHours'],
    ['an unknown country', { holidayCountry: 'XX' }, 'input.calendar.holidayCountry'],
    ['an unknown region', { holidayCountry: 'NL', holidayRegion: 'BY' }, 'input.calendar.holidayRegion'],
    ['an impossible closed day', { extraClosedDays: ['2026-12-24', '2026-02-30'] }, 'input.calendar.extraClosedDays.1'],
  ])('names the field for %s', (_case, input, field) => {
    expect(badField(input)).toBe(field);
  });

  it('accepts touching intervals, a region and extra closed days', () => {
    expect(
      badField({
        workingHours: {
          1: [
            { start: '12:00', end: '17:00' },
            { start: '08:00', end: '12:00' },
          ],
        },
        holidayCountry: 'DE',
        holidayRegion: 'BY',
        extraClosedDays: ['2026-02-16'],
      }),
    ).toBeUndefined();
  });

  it('makes the BusinessCalendar constructor throw BAD_USER_INPUT under calendar.', () => {
    expect(() => new BusinessCalendar({ timeZone: 'Nowhere/Else' })).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        details: expect.objectContaining({ field: 'calendar.timeZone' }),
      }),
    );
  });
});
