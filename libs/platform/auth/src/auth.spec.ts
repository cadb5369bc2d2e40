import { SignJWT } from 'jose';
import { decodeCallerHeaders, encodeCaller, signCaller } from './caller-header';
import { DEV_ISSUER, DEFAULT_AUDIENCE, createJwtVerifier, signDevToken } from './jwt';

const SECRET = 'a-test-secret-that-is-long-enough-0123';
const KEY = new TextEncoder().encode(SECRET);

/** A token with the dev issuer and audience and the given claims; the caller sets the times. */
const claims = (payload: Record<string, unknown>) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuer(DEV_ISSUER).setAudience(DEFAULT_AUDIENCE);

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
    const noRoles = await claims({ sub: 'u1', roles: ['wizard'] })
      .setExpirationTime('1h')
      .sign(KEY);
    await expect(verify(noRoles)).rejects.toThrow('token names unknown role(s): wizard');
    const none = await claims({ sub: 'u1', roles: [] }).setExpirationTime('1h').sign(KEY);
    await expect(verify(none)).rejects.toThrow('token carries no known role');
  });
});

describe('token lifetime, clock and claim types', () => {
  const NOW = new Date('2026-03-02T10:00:00Z');
  const at = (offsetSeconds: number) => Math.floor(NOW.getTime() / 1000) + offsetSeconds;
  const verify = createJwtVerifier({
    secret: SECRET,
    issuer: DEV_ISSUER,
    audience: DEFAULT_AUDIENCE,
    maxLifetimeSeconds: 12 * 3600,
    clockSkewSeconds: 60,
    now: () => NOW,
  });
  const customer = { sub: 'u1', roles: ['customer'], customer_id: 'acme' };

  it('refuses a token without exp: it would never expire', async () => {
    const token = await claims(customer).setIssuedAt(at(0)).sign(KEY);
    await expect(verify(token)).rejects.toThrow(/"exp" claim/);
  });

  it('refuses a token that lives longer than the configured maximum', async () => {
    await expect(
      verify(
        await claims(customer)
          .setIssuedAt(at(0))
          .setExpirationTime(at(12 * 3600))
          .sign(KEY),
      ),
    ).resolves.toMatchObject({ id: 'u1' });
    const tenYears = await claims(customer)
      .setIssuedAt(at(0))
      .setExpirationTime(at(10 * 365 * 86400))
      .sign(KEY);
    await expect(verify(tenYears)).rejects.toThrow('token lives longer than the allowed 43200 seconds (exp)');
    const noIat = await claims(customer)
      .setExpirationTime(at(2 * 86400))
      .sign(KEY);
    await expect(verify(noIat)).rejects.toThrow(/lives longer/);
  });

  it('refuses a token issued or valid only in the future beyond the clock skew, accepts one within it', async () => {
    const ahead = await claims(customer)
      .setIssuedAt(at(10 * 365 * 86400))
      .setExpirationTime(at(10 * 365 * 86400 + 3600))
      .sign(KEY);
    await expect(verify(ahead)).rejects.toThrow(/iat/);
    const slightlyAhead = await claims(customer).setIssuedAt(at(30)).setExpirationTime(at(3600)).sign(KEY);
    await expect(verify(slightlyAhead)).resolves.toMatchObject({ id: 'u1' });
    const notYet = await claims(customer).setNotBefore(at(600)).setExpirationTime(at(3600)).sign(KEY);
    await expect(verify(notYet)).rejects.toThrow(/nbf/);
  });

  it('refuses a subject that is not a string and roles that are not a list of names', async () => {
    const numeric = await claims({ ...customer, sub: 42 })
      .setIssuedAt(at(0))
      .setExpirationTime(at(3600))
      .sign(KEY);
    await expect(verify(numeric)).rejects.toThrow(/sub/);
    const missing = await claims({ roles: ['customer'], customer_id: 'acme' })
      .setIssuedAt(at(0))
      .setExpirationTime(at(3600))
      .sign(KEY);
    await expect(verify(missing)).rejects.toThrow('token subject must be a string');
    const roleString = await claims({ ...customer, roles: 'customer' })
      .setIssuedAt(at(0))
      .setExpirationTime(at(3600))
      .sign(KEY);
    await expect(verify(roleString)).rejects.toThrow('token roles must be a list of role names');
    const mixed = await claims({ ...customer, roles: ['customer', 'superuser'] })
      .setIssuedAt(at(0))
      .setExpirationTime(at(3600))
      .sign(KEY);
    await expect(verify(mixed)).rejects.toThrow('token names unknown role(s): superuser');
  });

  it('keeps accepting development tokens as `npm run token` signs them (12 hours)', async () => {
    const dev = await signDevToken(SECRET, { sub: 'p-sanne', roles: ['team_lead'] });
    await expect(
      createJwtVerifier({ secret: SECRET, issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE })(dev),
    ).resolves.toEqual({
      id: 'p-sanne',
      roles: ['team_lead'],
      name: undefined,
      customerId: undefined,
    });
  });
});
