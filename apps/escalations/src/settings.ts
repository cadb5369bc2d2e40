import { z } from 'zod';
import { loadConfig } from '@servicecenter/platform-config';

/** Settings of the escalations service beyond the ones every subgraph has. */
export function loadEscalationsSettings(source: Record<string, string | undefined>): {
  staleWorkingDays: number;
  timeZone: string;
} {
  const raw = loadConfig(
    z.object({
      ESCALATIONS_STALE_WORKING_DAYS: z.coerce
        .number({ message: 'must be a number' })
        .int('must be a whole number')
        .positive('must be positive')
        .max(60)
        .default(5),
      ESCALATIONS_TIME_ZONE: z.string().default('Europe/Amsterdam'),
    }),
    source,
  );
  return { staleWorkingDays: raw.ESCALATIONS_STALE_WORKING_DAYS, timeZone: raw.ESCALATIONS_TIME_ZONE };
}
