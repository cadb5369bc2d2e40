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

export type JwtVerifierOptions =
  { secret: string; issuer?: string; audience?: string } | { jwksUrl: string; issuer?: string; audience?: string };

export type VerifyToken = (token: string) => Promise<Caller>;

export const DEV_ISSUER = 'servicecenter-dev';
export const DEFAULT_AUDIENCE = 'servicecenter';

export function createJwtVerifier(options: JwtVerifierOptions): VerifyToken {
  const key =
    'secret' in options ? new TextEncoder().encode(options.secret) : createRemoteJWKSet(new URL(options.jwksUrl));
  const algorithms = 'secret' in options ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  return async (token) => {
    const { payload } = await jwtVerify<ServiceCenterClaims>(token, key as Parameters<typeof jwtVerify>[1], {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
    });
    if (!payload.sub) throw new Error('token has no subject');
    const roles = (payload.roles ?? []).filter(isRole);
    if (roles.length === 0) throw new Error('token carries no known role');
    return { id: payload.sub, name: payload.name, roles, customerId: payload.customer_id };
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
