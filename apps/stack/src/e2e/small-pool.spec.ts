import { SUBGRAPHS } from '@servicecenter/platform-config';
import { TestClock, waitFor, type GraphResponse } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { RegisterRequestInput } from './generated/graphql';

const DAY = 24 * 3_600_000;
const complete: RegisterRequestInput = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
  evidence: [{ kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 }],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};
/** Goes back to the customer at once: a follow-up timer per request. */
const incomplete: RegisterRequestInput = { ...complete, evidence: [], businessImpact: null };

const REGISTER = graphql(`
  mutation PoolRegister($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id number status remindersSent } } }`);
const ASSIGN = graphql(`
  mutation PoolAssign($input: AssignRequestInput!) { assignRequest(input: $input) { request { id } } }`);
const PRIORITISE = graphql(`
  mutation PoolPrioritise($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { id } } }`);
const READ = graphql(`
  query PoolRead($id: ID) { request(id: $id) { id number status remindersSent sla { targets { kind } } } }`);

/**
 * Two connections per service and a short wait for one: code that holds a connection in a
 * transaction and asks its pool for a second one starves the pool at once here (every
 * connection held, every holder waiting), so such a path shows up as SERVICE_UNAVAILABLE
 * answers or as events and timers that never get through.
 */
describe('the whole graph with two pooled connections per service', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z'); // a Monday
  const tokens: Record<string, string> = {};

  const expectAllAnswered = (answers: GraphResponse<unknown>[]) =>
    expect(answers.flatMap((a) => a.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`)).toEqual([]);
  const register = (input: RegisterRequestInput, who: string) => ts.client.request(REGISTER, { input }, tokens[who]);
  const registerMany = (n: number) =>
    Array.from({ length: n }, (_, i) => register(i % 2 ? complete : incomplete, i % 3 ? 'u-acme' : 'u-acme-2'));

  beforeAll(async () => {
    ts = await startTestStack({
      clock: clock.now,
      env: {
        DATABASE_POOL_SIZE: '2',
        DATABASE_ACQUIRE_TIMEOUT_MS: '5000',
        REQUESTS_REMINDER_WORKING_DAYS: '1,1',
        REQUESTS_CLOSE_AFTER_WORKING_DAYS: '1',
        // One event per transaction: the most consumer transactions competing for the two connections.
        EVENT_BATCH_SIZE: '1',
      },
    });
    await createDesk(ts);
    for (const id of ['u-acme', 'u-acme-2', 'p-anna', 'p-lead']) tokens[id] = await tokenFor(ts.client, id);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('registers, moves and follows up requests at once while consumers, the relay and the timers run', async () => {
    const first = await Promise.all(registerMany(20));
    expectAllAnswered(first);
    const registered = first.flatMap((a) => (a.data ? [a.data.registerRequest.request] : []));
    const open = registered.filter((r) => r.status === 'REGISTERED');
    const waiting = registered.filter((r) => r.status === 'WAITING_FOR_CUSTOMER');
    expect(waiting.length).toBeGreaterThan(0);

    // Two working days later: the first reminders are due while new work arrives.
    clock.advance(2 * DAY);
    const requests = ts.stack.services.requests.runtime();
    const [second] = await Promise.all([
      Promise.all([
        ...registerMany(20),
        ...open.map((r) =>
          ts.client.request(ASSIGN, { input: { requestId: r.id, assigneeId: 'p-anna' } }, tokens['p-anna']),
        ),
        ...open.map((r) =>
          ts.client.request(
            PRIORITISE,
            { input: { requestId: r.id, priority: 'HIGH', category: 'payroll-run' } },
            tokens['p-anna'],
          ),
        ),
      ]),
      requests.timers.runDue(),
    ]);
    expectAllAnswered(second);

    const all = [
      ...registered,
      // The first 20 answers are the registrations (registerMany comes first in the list).
      ...second.slice(0, 20).map((a) => (a.data as ResultOf<typeof REGISTER>).registerRequest.request),
    ];
    // Gapless: 40 registrations, 40 numbers, none skipped.
    expect(all.map((r) => r.number).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `SC-2026-${String(i + 1).padStart(6, '0')}`),
    );

    // Every reminder went out, every event reached its consumers (SLA clocks exist), every outbox drained.
    const read = async (id: string) => {
      const { request } = await ts.client.ok(READ, { id }, tokens['p-lead']);
      if (!request) throw new Error(`request ${id} not visible`);
      return { request };
    };
    await waitFor(
      async () => Promise.all(waiting.map(async (r) => (await read(r.id)).request.remindersSent)),
      (sent) => sent.every((n) => n >= 1),
      { what: 'the first reminder of every waiting request' },
    );
    await waitFor(
      async () => Promise.all(all.map(async (r) => (await read(r.id)).request.sla?.targets.length ?? 0)),
      (targets) => targets.every((n) => n > 0),
      { what: 'the SLA clocks of every request' },
    );
    await waitFor(
      async () =>
        Promise.all(SUBGRAPHS.map(async (s) => (await ts.stack.services[s].runtime().status()).outboxBacklog)),
      (backlogs) => backlogs.every((n) => n === 0),
      { what: 'every outbox published' },
    );
  });
});
