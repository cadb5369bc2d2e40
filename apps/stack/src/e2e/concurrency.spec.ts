import type { GraphResponse } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { RegisterRequestInput } from './generated/graphql';

const incident: RegisterRequestInput = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
  evidence: [{ kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 }],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};

graphql(`
  fragment ConcurrentRequest on Request { id number status version assigneeId }
`);
const REGISTER = graphql(`
  mutation ConcurrentRegister($input: RegisterRequestInput!) {
    registerRequest(input: $input) { request { ...ConcurrentRequest } }
  }`);
const ASSIGN = graphql(`
  mutation ConcurrentAssign($input: AssignRequestInput!) { assignRequest(input: $input) { request { ...ConcurrentRequest } } }
`);
const PRIORITISE = graphql(`
  mutation ConcurrentPrioritise($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { id } } }
`);
const ACCEPT = graphql(`
  mutation ConcurrentAccept($input: RequestStepInput!) { acceptRequest(input: $input) { request { ...ConcurrentRequest } } }
`);
const READ = graphql(`
  query ConcurrentRead($id: ID) { request(id: $id) { ...ConcurrentRequest } }
`);
const codesOf = (answers: GraphResponse<unknown>[]) =>
  answers.map((a) => (a.errors?.[0]?.extensions?.code as string) ?? 'OK');
const count = (codes: string[]) =>
  codes.reduce<Record<string, number>>((n, code) => ({ ...n, [code]: (n[code] ?? 0) + 1 }), {});

/** Many callers at once through the gateway, with the default pool (10 connections per service). */
describe('concurrent callers through the gateway', () => {
  let ts: TestStack;
  let customer: string;
  let lead: string;
  const consultants: { id: string; token: string }[] = [];

  const register = (token: string) => ts.client.request(REGISTER, { input: incident }, token);

  const registered = async () => (await ts.client.ok(REGISTER, { input: incident }, customer)).registerRequest.request;

  beforeAll(async () => {
    ts = await startTestStack();
    await createDesk(ts);
    customer = await tokenFor(ts.client, 'u-acme');
    lead = await tokenFor(ts.client, 'p-lead');
    const admin = await ts.client.token('admin', { sub: 'p-admin' });
    for (let i = 1; i <= 50; i++) {
      const id = `p-consultant-${i}`;
      await ts.client.ok(
        `mutation($input: CreatePersonInput!) { createPerson(input: $input) { __typename } }`,
        {
          input: {
            id,
            name: `Consultant ${i}`,
            email: `${id}@servicecenter.example`,
            roles: ['SUPPORT_CONSULTANT'],
            teamIds: ['team-payroll'],
          },
        },
        admin,
      );
      consultants.push({
        id,
        token: await ts.client.token('support_consultant', { sub: id, name: `Consultant ${i}` }),
      });
    }
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('registers 50 requests at once: none refused, every number given once', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => register(customer)));
    expect(count(codesOf(answers))).toEqual({ OK: 50 });
    const numbers = answers.map((a) => a.data?.registerRequest.request.number);
    expect(new Set(numbers).size).toBe(50);
  });

  it('lets exactly one of 50 consultants take a request; the others are told it changed (CONFLICT)', async () => {
    const request = await registered();
    const answers = await Promise.all(
      consultants.map((c) =>
        ts.client.request(
          ASSIGN,
          { input: { requestId: request.id, assigneeId: c.id, version: request.version } },
          c.token,
        ),
      ),
    );
    expect(count(codesOf(answers))).toEqual({ OK: 1, CONFLICT: 49 });
    const winner = answers.find((a) => !a.errors)?.data?.assignRequest.request;
    expect(winner?.assigneeId).toMatch(/^p-consultant-/);
    const now = await ts.client.ok(READ, { id: request.id }, lead);
    expect(now.request).toMatchObject({ assigneeId: winner?.assigneeId, version: request.version + 1 });
  });

  it('accepts a request once when 50 consultants accept it at the same time; the others get INVALID_TRANSITION', async () => {
    const request = await registered();
    await ts.client.ok(
      PRIORITISE,
      { input: { requestId: request.id, priority: 'HIGH', category: 'payroll-run' } },
      consultants[0].token,
    );
    const answers = await Promise.all(
      consultants.map((c) => ts.client.request(ACCEPT, { input: { requestId: request.id } }, c.token)),
    );
    expect(count(codesOf(answers))).toEqual({ OK: 1, INVALID_TRANSITION: 49 });
    const now = await ts.client.ok(READ, { id: request.id }, lead);
    expect(now.request?.status).toBe('ACCEPTED');
  });
});
