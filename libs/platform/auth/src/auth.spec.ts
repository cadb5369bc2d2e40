import { SignJWT } from 'jose';
import { decodeCallerHeaders, encodeCaller, signCaller } from './caller-header';
import { DEV_ISSUER, DEFAULT_AUDIENCE, createJwtVerifier, signDevToken } from './jwt';

const SECRET = 'a-test-secret-that-is-long-enough-0123';

describe('caller forwarding between gateway and subgraphs', () => {
  const encoded = encodeCaller({ id: 'p1', roles: ['team_lead'], customerId: undefined, name: 'Tess' });

  it('accepts a caller signed with the shared secret', () => {
    expect(decodeCallerHeaders(encoded, signCaller(encoded, SECRET), SECRET)).toEqual({
      ok: true,
      caller: { id: 'p1', roles: ['team_lead'], name: 'Tess', customerId: undefined },
    });
  });

  it('refuses a caller header that was changed after signing, or not signed at all', () => {
    const forged = encodeCaller({ id: 'p1', roles: ['admin'] });
    expect(decodeCallerHeaders(forged, signCaller(encoded, SECRET), SECRET)).toMatchObject({ ok: false });
    expect(decodeCallerHeaders(forged, undefined, SECRET)).toMatchObject({
      ok: false,
      reason: 'calls must come through the gateway',
    });
  });

  it('drops roles it does not know', () => {
    const odd = encodeCaller({ id: 'p2', roles: ['customer', 'superuser' as never], customerId: 'c1' });
    expect(decodeCallerHeaders(odd, undefined, undefined)).toMatchObject({
      ok: true,
      caller: { roles: ['customer'], customerId: 'c1' },
    });
  });
});

describe('bearer tokens', () => {
  const verify = createJwtVerifier({ secret: SECRET, issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE });

  it('turns a valid token into the caller', async () => {
    const token = await signDevToken(SECRET, { sub: 'u1', roles: ['customer'], customerId: 'acme', name: 'Ann' });
    await expect(verify(token)).resolves.toEqual({ id: 'u1', roles: ['customer'], customerId: 'acme', name: 'Ann' });
  });

  it('rejects tokens signed with another secret, expired tokens and tokens without a known role', async () => {
    await expect(
      verify(await signDevToken('another-secret-that-is-long-enough-xyz', { sub: 'u1', roles: ['customer'] })),
    ).rejects.toThrow();
    await expect(
      verify(await signDevToken(SECRET, { sub: 'u1', roles: ['customer'], expiresIn: '-1m' })),
    ).rejects.toThrow(/exp/);
    const noRoles = await new SignJWT({ roles: ['wizard'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEFAULT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verify(noRoles)).rejects.toThrow('token carries no known role');
  });
});
