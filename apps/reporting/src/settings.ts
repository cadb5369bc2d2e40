import { z } from 'zod';
import { jwtEnv, jwtVerifierOptions, type JwtVerifierOptions } from '@servicecenter/platform-auth';
import { loadConfig } from '@servicecenter/platform-config';

export interface ReportingSettings {
  /** The report time zone: months, quarters, calendar days and same-day are counted in it. */
  timeZone: string;
  /**
   * The review page verifies the bearer token itself, with the gateway's settings. Undefined in
   * production without JWT_SECRET or JWT_JWKS_URL: the page then answers 503 (the development
   * secret is never accepted in production), while GraphQL works as always.
   */
  jwt: JwtVerifierOptions | undefined;
}

/** Settings of the reporting service beyond the ones every subgraph has. */
export function loadReportingSettings(source: Record<string, string | undefined>): ReportingSettings {
  const raw = loadConfig(
    z.object({
      NODE_ENV: z.string().default('development'),
      REPORTING_TIME_ZONE: z.string().default('Europe/Amsterdam'),
      ...jwtEnv,
    }),
    source,
  );
  return {
    timeZone: raw.REPORTING_TIME_ZONE,
    jwt: jwtVerifierOptions(raw, raw.NODE_ENV !== 'production'),
  };
}
