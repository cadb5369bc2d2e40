import { SignJWT } from 'jose';
import { callerHeaderSigner, decodeCallerHeaders, encodeCaller, signCaller } from './caller-header';
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

  it('signs a caller once per caller object, and the subgraph accepts what it signed', () => {
    const sign = callerHeaderSigner(SECRET);
    const caller = { id: 'p1', roles: ['team_lead' as const] };
    const headers = sign(caller);
    expect(sign(caller)).toBe(headers);
    expect(decodeCallerHeaders(headers.encoded, headers.signature, SECRET)).toMatchObject({ ok: true, caller });
    expect(sign({ ...caller, id: 'p2' }).encoded).not.toBe(headers.encoded);
    expect(callerHeaderSigner(undefined)(caller).signature).toBeUndefined();
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

describe('remembered tokens', () => {
  const START = new Date('2026-03-02T10:00:00Z').getTime();
  const at = (offsetSeconds: number) => Math.floor(START / 1000) + offsetSeconds;
  const customer = { sub: 'u1', roles: ['customer'], customer_id: 'acme' };
  const verifierAt = (clock: { now: number }, cache?: { maxEntries?: number; maxAgeSeconds?: number } | false) =>
    createJwtVerifier({
      secret: SECRET,
      issuer: DEV_ISSUER,
      audience: DEFAULT_AUDIENCE,
      clockSkewSeconds: 60,
      now: () => new Date(clock.now),
      cache,
    });

  it('answers a token it verified with the same caller, and refuses it once it expires', async () => {
    const clock = { now: START };
    const verify = verifierAt(clock, { maxAgeSeconds: 7200 });
    const token = await claims(customer).setIssuedAt(at(0)).setExpirationTime(at(3600)).sign(KEY);
    const first = await verify(token);
    expect(first).toEqual({ id: 'u1', roles: ['customer'], customerId: 'acme' });
    await expect(verify(token)).resolves.toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    clock.now = START + (3600 + 59) * 1000; // within the skew
    await expect(verify(token)).resolves.toBe(first);
    clock.now = START + (3600 + 61) * 1000;
    await expect(verify(token)).rejects.toThrow(/exp/);
  });

  it('verifies afresh when the clock went back, so a token not yet valid then is refused', async () => {
    const clock = { now: START + 3600 * 1000 };
    const verify = verifierAt(clock);
    const later = await claims(customer).setNotBefore(at(1800)).setExpirationTime(at(7200)).sign(KEY);
    await expect(verify(later)).resolves.toMatchObject({ id: 'u1' });
    clock.now = START;
    await expect(verify(later)).rejects.toThrow(/nbf/);
  });

  it('verifies afresh after maxAgeSeconds, and every time without a cache', async () => {
    const clock = { now: START };
    const token = await claims(customer).setIssuedAt(at(0)).setExpirationTime(at(3600)).sign(KEY);
    const remembering = verifierAt(clock, { maxAgeSeconds: 60 });
    const first = await remembering(token);
    clock.now = START + 30_000;
    await expect(remembering(token)).resolves.toBe(first);
    clock.now = START + 61_000;
    const second = await remembering(token);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    const forgetting = verifierAt(clock, false);
    expect(await forgetting(token)).not.toBe(await forgetting(token));
  });

  it('keeps at most maxEntries tokens, the oldest dropped first', async () => {
    const clock = { now: START };
    const verify = verifierAt(clock, { maxEntries: 2 });
    const tokens = await Promise.all(
      ['u1', 'u2', 'u3'].map((sub) =>
        claims({ ...customer, sub })
          .setIssuedAt(at(0))
          .setExpirationTime(at(3600))
          .sign(KEY),
      ),
    );
    const [a, b] = [await verify(tokens[0]), await verify(tokens[1])];
    await verify(tokens[2]);
    await expect(verify(tokens[1])).resolves.toBe(b);
    await expect(verify(tokens[0])).resolves.not.toBe(a);
  });
});
