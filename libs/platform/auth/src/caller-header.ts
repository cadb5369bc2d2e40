import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Caller } from './caller';
import { isRole } from './roles';

/**
 * The gateway forwards the verified caller to subgraphs in `x-caller` (base64url JSON).
 * With a shared secret configured it adds `x-caller-signature` (HMAC-SHA256 of the header
 * value), and subgraphs refuse any call without a valid one: a request that bypasses the
 * gateway cannot claim a role.
 */
export const CALLER_HEADER = 'x-caller';
export const CALLER_SIGNATURE_HEADER = 'x-caller-signature';

export function encodeCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller), 'utf8').toString('base64url');
}

export function signCaller(encoded: string, secret: string): string {
  return createHmac('sha256', secret).update(encoded).digest('base64url');
}

/** The `x-caller` header and, with a secret, its `x-caller-signature`. */
export interface CallerHeaders {
  encoded: string;
  signature?: string;
}

/**
 * The caller headers, computed once per caller object and secret: a verified token's caller is
 * one object for as long as the verifier remembers the token (jwt.ts), so the gateway encodes and
 * signs it once, not on every subgraph call of every request.
 */
export function callerHeaderSigner(secret: string | undefined): (caller: Caller) => CallerHeaders {
  const signed = new WeakMap<Caller, CallerHeaders>();
  return (caller) => {
    let headers = signed.get(caller);
    if (!headers) {
      const encoded = encodeCaller(caller);
      headers = Object.freeze({ encoded, signature: secret ? signCaller(encoded, secret) : undefined });
      signed.set(caller, headers);
    }
    return headers;
  };
}

export type DecodeResult = { ok: true; caller: Caller | undefined } | { ok: false; reason: string };

/** Returns the caller in the headers, or why the call is refused. No header means anonymous. */
export function decodeCallerHeaders(
  headerValue: string | undefined,
  signature: string | undefined,
  secret: string | undefined,
): DecodeResult {
  if (secret) {
    if (!headerValue || !signature) return { ok: false, reason: 'calls must come through the gateway' };
    const expected = Buffer.from(signCaller(headerValue, secret));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'the caller signature is not valid' };
    }
  }
  if (!headerValue) return { ok: true, caller: undefined };
  try {
    const parsed = JSON.parse(Buffer.from(headerValue, 'base64url').toString('utf8')) as Partial<Caller>;
    if (typeof parsed.id !== 'string' || !Array.isArray(parsed.roles)) return { ok: false, reason: 'malformed caller' };
    return {
      ok: true,
      caller: {
        id: parsed.id,
        name: typeof parsed.name === 'string' ? parsed.name : undefined,
        roles: parsed.roles.filter((r): r is Caller['roles'][number] => typeof r === 'string' && isRole(r)),
        customerId: typeof parsed.customerId === 'string' ? parsed.customerId : undefined,
      },
    };
  } catch {
    return { ok: false, reason: 'malformed caller' };
  }
}
