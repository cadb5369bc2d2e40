import { z } from 'zod';
import { env } from '@servicecenter/platform-config';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  DEV_ISSUER,
  DEV_JWT_SECRET,
  type JwtVerifierOptions,
} from './jwt';

/**
 * The bearer-token variables of every process that verifies tokens (the gateway, the reporting
 * service's review page): spread into its config schema, so both read them alike.
 */
export const jwtEnv = {
  JWT_SECRET: env.secret(32),
  JWT_JWKS_URL: env.url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().default(DEFAULT_AUDIENCE),
  JWT_MAX_TOKEN_LIFETIME: env.positiveInt(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
  JWT_CLOCK_SKEW: env.positiveInt(DEFAULT_CLOCK_SKEW_SECONDS),
};

export type JwtEnv = z.infer<z.ZodObject<typeof jwtEnv>>;

/**
 * How tokens are verified: the identity provider's JWKS wins over a secret; without either, the
 * development secret where it is allowed (never in production), otherwise nothing.
 */
export function jwtVerifierOptions(raw: JwtEnv, allowDevelopmentSecret: true): JwtVerifierOptions;
export function jwtVerifierOptions(raw: JwtEnv, allowDevelopmentSecret: boolean): JwtVerifierOptions | undefined;
export function jwtVerifierOptions(raw: JwtEnv, allowDevelopmentSecret: boolean): JwtVerifierOptions | undefined {
  const common = {
    issuer: raw.JWT_ISSUER ?? (raw.JWT_JWKS_URL ? undefined : DEV_ISSUER),
    audience: raw.JWT_AUDIENCE,
    maxLifetimeSeconds: raw.JWT_MAX_TOKEN_LIFETIME,
    clockSkewSeconds: raw.JWT_CLOCK_SKEW,
  };
  if (raw.JWT_JWKS_URL) return { jwksUrl: raw.JWT_JWKS_URL, ...common };
  if (raw.JWT_SECRET) return { secret: raw.JWT_SECRET, ...common };
  return allowDevelopmentSecret ? { secret: DEV_JWT_SECRET, ...common } : undefined;
}
