import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Caller } from './caller';
import { isRole, type Role } from './roles';

/**
 * Token claims we read: `sub` (person id), `name`, `roles` (RACI role names) and
 * `customer_id` (the organisation of a customer user).
 */
export interface ServiceCenterClaims extends JWTPayload {
  name?: string;
  roles?: string[];
  customer_id?: string;
}

interface VerifierLimits {
  /**
   * The longest lifetime a token may have, in seconds: `exp` minus `iat` (or `nbf`, or now when
   * the token has neither). Default 24 hours.
   */
  maxLifetimeSeconds?: number;
  /** Clock difference tolerated between the issuer and us for `exp`, `nbf` and `iat`. Default 60 s. */
  clockSkewSeconds?: number;
  /** The current time (tests move it). */
  now?: () => Date;
  /**
   * Verified tokens remembered by their text, so a client sending the same token with every
   * request is verified once (the signature check was ~7 % of the gateway's CPU on the queue
   * page). A remembered token still expires at its `exp`; it is verified afresh after
   * `maxAgeSeconds` (a key the identity provider withdrew stops being trusted by then), and when
   * the clock went back since. At most `maxEntries` tokens, the oldest dropped first. Refused
   * tokens are never remembered. `false` verifies every call. Default 10,000 tokens, 300 s.
   */
  cache?: { maxEntries?: number; maxAgeSeconds?: number } | false;
}

export type JwtVerifierOptions = (
  { secret: string; issuer?: string; audience?: string } | { jwksUrl: string; issuer?: string; audience?: string }
) &
  VerifierLimits;

export type VerifyToken = (token: string) => Promise<Caller>;

export const DEV_ISSUER = 'servicecenter-dev';
export const DEFAULT_AUDIENCE = 'servicecenter';
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
export const DEFAULT_TOKEN_CACHE = { maxEntries: 10_000, maxAgeSeconds: 300 };

/**
 * Verifies a bearer token and turns it into the caller. Beyond the signature, issuer and
 * audience, a token must: carry `exp`, live no longer than `maxLifetimeSeconds`, not be issued
 * (`iat`) or become valid (`nbf`) in the future beyond the clock skew, name its subject as a
 * non-empty string, and list roles (`roles`, an array of strings) that are all known: a token
 * naming a role we do not know is refused rather than quietly downgraded, so a mistyped role at
 * the identity provider shows at once.
 */
export function createJwtVerifier(options: JwtVerifierOptions): VerifyToken {
  const key =
    'secret' in options ? new TextEncoder().encode(options.secret) : createRemoteJWKSet(new URL(options.jwksUrl));
  const algorithms = 'secret' in options ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const clock = options.now ?? (() => new Date());
  const verify = async (token: string, currentDate: Date): Promise<{ caller: Caller; exp: number }> => {
    const { payload } = await jwtVerify<ServiceCenterClaims>(token, key as Parameters<typeof jwtVerify>[1], {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp'],
      clockTolerance: skew,
      currentDate,
    });
    const now = Math.floor(currentDate.getTime() / 1000);
    const exp = payload.exp as number;
    if (payload.iat !== undefined && payload.iat > now + skew) throw new Error('token is issued in the future (iat)');
    const start = payload.iat ?? payload.nbf ?? now;
    if (exp - start > maxLifetime) {
      throw new Error(`token lives longer than the allowed ${maxLifetime} seconds (exp)`);
    }
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '') throw new Error('token subject must be a string');
    if (
      payload.roles !== undefined &&
      !(Array.isArray(payload.roles) && payload.roles.every((r) => typeof r === 'string'))
    ) {
      throw new Error('token roles must be a list of role names');
    }
    const named = payload.roles ?? [];
    const unknown = named.filter((r) => !isRole(r));
    if (unknown.length > 0) throw new Error(`token names unknown role(s): ${unknown.join(', ')}`);
    if (named.length === 0) throw new Error('token carries no known role');
    if (payload.customer_id !== undefined && typeof payload.customer_id !== 'string') {
      throw new Error('token customer_id must be a string');
    }
    const name = typeof payload.name === 'string' ? payload.name : undefined;
    return { caller: { id: payload.sub, name, roles: named as Role[], customerId: payload.customer_id }, exp };
  };
  if (options.cache === false) return async (token) => (await verify(token, clock())).caller;
  const maxEntries = options.cache?.maxEntries ?? DEFAULT_TOKEN_CACHE.maxEntries;
  const maxAgeMs = (options.cache?.maxAgeSeconds ?? DEFAULT_TOKEN_CACHE.maxAgeSeconds) * 1000;
  const verified = new Map<string, { caller: Caller; exp: number; at: number }>();
  return async (token) => {
    const currentDate = clock();
    const now = currentDate.getTime();
    const known = verified.get(token);
    // Every check but `exp` only gets easier as time passes (nbf, iat): a token verified before
    // still passes them, unless the clock went back. jose refuses a token once exp <= now - skew.
    if (known && known.at <= now && now - known.at < maxAgeMs && known.exp * 1000 > now - skew * 1000) {
      return known.caller;
    }
    if (known) verified.delete(token);
    const { caller, exp } = await verify(token, currentDate);
    const kept = Object.freeze({ ...caller, roles: Object.freeze([...caller.roles]) as Role[] }) as Caller;
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(token, { caller: kept, exp, at: now });
    return kept;
  };
}

export interface DevTokenInput {
  sub: string;
  roles: Role[];
  name?: string;
  customerId?: string;
  expiresIn?: string;
}

/** Development and test tokens (HS256). Production tokens come from the identity provider. */
export async function signDevToken(
  secret: string,
  input: DevTokenInput,
  issuer = DEV_ISSUER,
  audience = DEFAULT_AUDIENCE,
) {
  return new SignJWT({ roles: input.roles, name: input.name, customer_id: input.customerId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(input.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(input.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}

/**
 * Used only outside production when JWT_SECRET is unset, so `npm start` and
 * `npm run token` work together out of the box. Production refuses to start without
 * JWT_SECRET or JWT_JWKS_URL.
 */
export const DEV_JWT_SECRET = 'servicecenter-development-secret-not-for-production';
