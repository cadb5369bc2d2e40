import { randomUUID } from 'node:crypto';
import { TestClock, type GraphResponse } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const REGISTER = graphql(`
  mutation RegisterOnce($input: RegisterRequestInput!) {
    registerRequest(input: $input) { request { id number status } }
  }`);
const PLAN = graphql(`
  mutation PlanOnce($input: PlanReleaseInput!) {
    planRelease(input: $input) { release { id status releaseVersion } }
  }`);

/**
 * Issue 15: a front end that did not hear the answer to a creating mutation sends it again
 * with the same Idempotency-Key, through the gateway, and the change is made once.
 */
describe('idempotency keys through the gateway', () => {
  let ts: TestStack;
  let t: Record<string, string>;
  const clock = new TestClock('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    t = await tokensFor(ts.client, ['p-uat', 'u-acme']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const register = (title: string, key: string, token = t['u-acme']) =>
    ts.client.request(
      REGISTER,
      { input: { type: 'INCIDENT', title, description: 'The payroll run stops', requestedPriority: 'HIGH' } },
      token,
      { 'Idempotency-Key': key },
    );
  const count = async (service: 'requests' | 'release-testing', sql: string, params: unknown[]) =>
    Number(((await ts.stack.services[service].runtime().dataSource.query(sql, params)) as { n: string }[])[0].n);
  const requestsTitled = (title: string) =>
    count('requests', `SELECT count(*) AS n FROM request WHERE title = $1`, [title]);
  const eventsAbout = (service: 'requests' | 'release-testing', subject: string) =>
    count(service, `SELECT count(*) AS n FROM outbox WHERE message_key = $1`, [subject]);

  const ok = <T>(response: GraphResponse<T>): T => {
    if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };

  it('answers the same key a second time with the first answer, and registers one request with one set of events', async () => {
    const key = randomUUID();
    const first = ok(await register('Idempotent payroll failure', key));
    const events = await eventsAbout('requests', first.registerRequest.request.id);
    expect(events).toBeGreaterThan(0);

    const second = ok(await register('Idempotent payroll failure', key));
    expect(second).toEqual(first);
    expect(await requestsTitled('Idempotent payroll failure')).toBe(1);
    expect(await eventsAbout('requests', first.registerRequest.request.id)).toBe(events);

    // Without a key (or with a new one) the same input is a new request.
    ok(await register('Idempotent payroll failure', randomUUID()));
    expect(await requestsTitled('Idempotent payroll failure')).toBe(2);
  });

  it('refuses the same key with other input as CONFLICT and writes nothing', async () => {
    const key = randomUUID();
    ok(await register('Reports are empty', key));
    const other = await register('Reports are slow', key);
    expect(other.data?.registerRequest ?? null).toBeNull();
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', usedFor: 'registerRequest' });
    expect(await requestsTitled('Reports are slow')).toBe(0);
  });

  it('keeps the keys of different callers apart', async () => {
    const key = randomUUID();
    const other = await ts.client.token('customer', { customerId: 'acme', sub: 'u-acme-other' });
    const mine = ok(await register('Shared key, two callers', key));
    const theirs = ok(await register('Shared key, two callers', key, other));
    expect(theirs.registerRequest.request.id).not.toBe(mine.registerRequest.request.id);
  });

  it('writes once when duplicates arrive while the first is still in flight', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => register('Concurrent duplicates', key)));
    const ids = answers.map((a) => ok(a).registerRequest.request.id);
    expect(new Set(ids).size).toBe(1);
    expect(await requestsTitled('Concurrent duplicates')).toBe(1);
  });

  it('works for the creating mutations of every subgraph, e.g. planRelease in release-testing', async () => {
    const key = randomUUID();
    const input = {
      productId: 'prod-payroll',
      releaseVersion: '27.1',
      plannedProductionDate: '2027-01-15T06:00:00Z',
      releaseNotes: 'Idempotent planning',
    };
    const plan = () =>
      ts.client.request(PLAN, { input }, t['p-uat'], {
        'Idempotency-Key': key,
      });
    const [a, b] = await Promise.all([plan(), plan()]);
    expect(ok(b)).toEqual(ok(a));
    const again = ok(await plan());
    expect(again).toEqual(ok(a));
    expect(
      await count('release-testing', `SELECT count(*) AS n FROM release WHERE release_version = $1`, ['27.1']),
    ).toBe(1);
  });

  it('forgets a key after 24 hours: the same key then makes a new change, and the purge removes the old row', async () => {
    const key = randomUUID();
    const first = ok(await register('Remembered for a day', key));
    clock.advance(23 * 60 * 60 * 1000);
    expect(ok(await register('Remembered for a day', key))).toEqual(first);

    clock.advance(2 * 60 * 60 * 1000);
    const later = ok(await register('Remembered for a day', key));
    expect(later.registerRequest.request.id).not.toBe(first.registerRequest.request.id);
    expect(await requestsTitled('Remembered for a day')).toBe(2);

    // A key nobody uses again goes with the hourly purge (by the service clock).
    const unused = randomUUID();
    ok(await register('Purged after a day', unused));
    const keyRows = () => count('requests', `SELECT count(*) AS n FROM idempotency_key WHERE key = $1`, [unused]);
    expect(await keyRows()).toBe(1);
    clock.advance(25 * 60 * 60 * 1000);
    await ts.stack.services.requests.runtime().purgeIdempotencyKeys();
    expect(await keyRows()).toBe(0);
  });
});
