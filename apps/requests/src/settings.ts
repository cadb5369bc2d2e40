import { z } from 'zod';
import { loadConfig } from '@servicecenter/platform-config';
import type { FollowUpSettings } from './domain/use-cases/step';

const workingDays = z
  .string()
  .transform((v) => v.split(',').map((d) => Number(d.trim())))
  .refine(
    (list) => list.length > 0 && list.every((d) => Number.isInteger(d) && d > 0 && d <= 60),
    'must be a comma-separated list of whole working days, e.g. 3,3',
  );

/** Settings of the requests service beyond the ones every subgraph has. */
export function loadRequestsSettings(source: Record<string, string | undefined>): {
  followUp: FollowUpSettings;
  timeZone: string;
} {
  const raw = loadConfig(
    z.object({
      REQUESTS_REMINDER_WORKING_DAYS: workingDays.default([3, 3]),
      REQUESTS_CLOSE_AFTER_WORKING_DAYS: z.coerce
        .number({ message: 'must be a number' })
        .int('must be a whole number')
        .positive('must be positive')
        .max(60)
        .default(3),
      REQUESTS_TIME_ZONE: z.string().default('Europe/Amsterdam'),
    }),
    source,
  );
  return {
    followUp: {
      reminderWorkingDays: raw.REQUESTS_REMINDER_WORKING_DAYS,
      closeAfterWorkingDays: raw.REQUESTS_CLOSE_AFTER_WORKING_DAYS,
    },
    timeZone: raw.REQUESTS_TIME_ZONE,
  };
}
