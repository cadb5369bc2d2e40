import { TestClock } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';

/** raci.csv row 87: the priority of an application service by the customer's Application Services conditions. */
const FIELDS = `id status priority priorityJustification category history { action actor { id } details }`;
interface Req {
  id: string;
  status: string;
  priority: string | null;
  priorityJustification: string | null;
  category: string | null;
  history: { action: string; actor: { id: string } | null; details: string }[];
}

const mutation = (mutationKind: string) => ({
  type: 'APPLICATION_SERVICE',
  title: 'New user accounts for the payroll department',
  description: 'Create accounts for the three new payroll clerks starting on the first of December.',
  requestedPriority: 'MEDIUM',
  productId: 'prod-payroll',
  mutationKind,
});

describe('application services prioritised by the contract conditions through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z');
  const tokens: Record<string, string> = {};

  const register = async (input: Record<string, unknown>, who = 'u-acme') =>
    (
      await ts.client.ok<{ registerRequest: { request: Req } }>(
        `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { ${FIELDS} } } }`,
        { input },
        tokens[who],
      )
    ).registerRequest.request;
  const prioritise = (input: Record<string, unknown>, who: string) =>
    ts.client.request<{ prioritiseRequest: { request: Req } }>(
      `mutation($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { ${FIELDS} } } }`,
      { input },
      tokens[who],
    );
  const updateCustomer = (input: Record<string, unknown>) =>
    ts.client.request<{
      updateCustomer: { customer: { applicationServicesConditions: { mutationKind: string; priority: string }[] } };
    }>(
      `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { applicationServicesConditions { mutationKind priority } } } }`,
      { input },
      tokens.admin,
    );

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const id of ['u-acme', 'u-globex', 'p-anna', 'p-lead']) tokens[id] = await tokenFor(ts.client, id);
    tokens.admin = await ts.client.token('admin', { sub: 'p-admin' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('lets the admin set the conditions, validated at the edge', async () => {
    const saved = await updateCustomer({
      id: 'cust-acme',
      applicationServicesConditions: [
        { mutationKind: 'User-Account', priority: 'HIGH' },
        { mutationKind: 'price-list', priority: 'LOW' },
      ],
    });
    expect(saved.errors).toBeUndefined();
    expect(saved.data?.updateCustomer.customer.applicationServicesConditions).toEqual([
      { mutationKind: 'user-account', priority: 'HIGH' },
      { mutationKind: 'price-list', priority: 'LOW' },
    ]);

    const badKind = await updateCustomer({
      id: 'cust-acme',
      applicationServicesConditions: [{ mutationKind: 'drop table; --', priority: 'HIGH' }],
    });
    expect(badKind.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const twice = await updateCustomer({
      id: 'cust-acme',
      applicationServicesConditions: [
        { mutationKind: 'price-list', priority: 'HIGH' },
        { mutationKind: 'price-list', priority: 'LOW' },
      ],
    });
    expect(twice.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await updateCustomer({
      id: 'cust-acme',
      applicationServicesConditions: Array.from({ length: 51 }, (_, i) => ({
        mutationKind: `kind-${i}`,
        priority: 'LOW',
      })),
    });
    expect(tooMany.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    const unknownPriority = await updateCustomer({
      id: 'cust-acme',
      applicationServicesConditions: [{ mutationKind: 'price-list', priority: 'URGENT' }],
    });
    expect(unknownPriority.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);

    // The failed attempts changed nothing.
    const customer = await ts.client.ok<{ customer: { applicationServicesConditions: unknown[] } }>(
      `query { customer(id: "cust-acme") { applicationServicesConditions { mutationKind priority } } }`,
      {},
      tokens['p-anna'],
    );
    expect(customer.customer.applicationServicesConditions).toHaveLength(2);
  });

  it('gives a covered kind the conditions’ priority at registration; the team lead may override it', async () => {
    const request = await register(mutation('user-account'));
    expect(request).toMatchObject({
      status: 'REGISTERED',
      priority: 'HIGH',
      category: 'user-account',
      priorityJustification: expect.stringContaining(
        'by the Application Services conditions (mutationKind user-account)',
      ),
    });
    expect(request.history.map((h) => h.action)).toEqual(['REGISTER', 'PRIORITISE']);
    expect(request.history[1].actor).toBeNull(); // the system, not a person
    expect(JSON.parse(request.history[1].details)).toMatchObject({ to: 'HIGH', automatic: true });

    // The priority the contract gives is set; changing it is the team lead's (A), as for any set priority.
    const byConsultant = await prioritise(
      { requestId: request.id, priority: 'LOW', justification: 'Not urgent.' },
      'p-anna',
    );
    expect(byConsultant.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byLead = await prioritise(
      { requestId: request.id, priority: 'LOW', justification: 'The accounts are needed only next month.' },
      'p-lead',
    );
    expect(byLead.errors).toBeUndefined();
    expect(byLead.data?.prioritiseRequest.request).toMatchObject({ priority: 'LOW', category: 'user-account' });
  });

  it('leaves an uncovered kind to the desk, and still declines without a contract', async () => {
    const uncovered = await register(mutation('salary-change'));
    expect(uncovered).toMatchObject({ status: 'REGISTERED', priority: null, category: 'salary-change' });
    const byConsultant = await prioritise({ requestId: uncovered.id, priority: 'MEDIUM' }, 'p-anna');
    expect(byConsultant.data?.prioritiseRequest.request.priority).toBe('MEDIUM');

    const declined = await register(mutation('user-account'), 'u-globex');
    expect(declined).toMatchObject({ status: 'CLOSED', priority: null });

    const onIncident = await ts.client.request(
      `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`,
      { input: { ...mutation('user-account'), type: 'INCIDENT' } },
      tokens['u-acme'],
    );
    expect(onIncident.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
