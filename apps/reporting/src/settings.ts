import { z } from 'zod';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  DEV_ISSUER,
  DEV_JWT_SECRET,
  type JwtVerifierOptions,
} from '@servicecenter/auth';
import { env, loadConfig } from '@servicecenter/config';

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
      JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      JWT_JWKS_URL: z.url({ message: 'must be an absolute URL' }).optional(),
      JWT_ISSUER: z.string().optional(),
      JWT_AUDIENCE: z.string().default(DEFAULT_AUDIENCE),
      JWT_MAX_TOKEN_LIFETIME: env.positiveInt(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
      JWT_CLOCK_SKEW: env.positiveInt(DEFAULT_CLOCK_SKEW_SECONDS),
    }),
    source,
  );
  const issuer = raw.JWT_ISSUER ?? (raw.JWT_JWKS_URL ? undefined : DEV_ISSUER);
  const limits = { maxLifetimeSeconds: raw.JWT_MAX_TOKEN_LIFETIME, clockSkewSeconds: raw.JWT_CLOCK_SKEW };
  return {
    timeZone: raw.REPORTING_TIME_ZONE,
    jwt: raw.JWT_JWKS_URL
      ? { jwksUrl: raw.JWT_JWKS_URL, issuer, audience: raw.JWT_AUDIENCE, ...limits }
      : raw.JWT_SECRET || raw.NODE_ENV !== 'production'
        ? { secret: raw.JWT_SECRET ?? DEV_JWT_SECRET, issuer, audience: raw.JWT_AUDIENCE, ...limits }
        : undefined,
  };
}
