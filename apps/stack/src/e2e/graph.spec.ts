import { waitFor } from '@servicecenter/testing';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { RegisterRequestInput } from './generated/graphql';

const REGISTER = graphql(`
  mutation Register($input: RegisterRequestInput!) {
    registerRequest(input: $input) { request { id number status customerId } }
  }`);
const READ = graphql(`
  query Read($id: ID!) {
    request(id: $id) { id number title status sla { trackedSince timeline { kind note } } }
  }`);
const READ_BY_NUMBER = graphql(`
  query ReadByNumber($n: String) { request(number: $n) { id } }`);

const incident: RegisterRequestInput = {
  type: 'INCIDENT',
  title: 'Payroll run fails',
  description: 'Error 500 when starting the run',
  requestedPriority: 'HIGH',
};

describe('the federated graph in one process', () => {
  let ts: TestStack;
  beforeAll(async () => {
    ts = await startTestStack();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('registers a request in one subgraph and shows its SLA from another in one query, also after a restart', async () => {
    const customer = await ts.client.token('customer', { customerId: 'acme', sub: 'u-acme-1' });
    const registered = await ts.client.ok(REGISTER, { input: incident }, customer);
    const { id, number } = registered.registerRequest.request;
    expect(number).toMatch(/^SC-\d{4}-\d{6}$/);
    // No product, business impact or screenshot: the completeness check sends it back to the customer.
    expect(registered.registerRequest.request).toMatchObject({ status: 'WAITING_FOR_CUSTOMER', customerId: 'acme' });

    const read = await waitFor(
      () => ts.client.ok(READ, { id }, customer),
      (r) => (r.request?.sla?.timeline.length ?? 0) >= 2,
      { what: 'SLA tracking' },
    );
    // Incomplete, so it went back to the customer at once: the clocks started and paused.
    expect(read.request?.sla?.timeline).toEqual([
      { kind: 'STARTED', note: `Registered as ${number}` },
      { kind: 'PAUSED', note: 'Clocks paused: waiting for customer' },
    ]);

    await ts.stack.stop();
    ts = await startTestStack({ databases: ts.databases });
    const again = await ts.client.ok(READ, { id }, customer);
    expect(again.request).toMatchObject({ number, sla: { timeline: [{ kind: 'STARTED' }, { kind: 'PAUSED' }] } });
  });

  it('keeps customers of one organisation out of another organisation’s requests', async () => {
    const acme = await ts.client.token('customer', { customerId: 'acme' });
    const globex = await ts.client.token('customer', { customerId: 'globex' });
    const { registerRequest } = await ts.client.ok(REGISTER, { input: incident }, acme);
    const byId = await ts.client.ok(READ, { id: registerRequest.request.id }, globex);
    expect(byId.request).toBeNull();
    const byNumber = await ts.client.ok(READ_BY_NUMBER, { n: registerRequest.request.number }, globex);
    expect(byNumber.request).toBeNull();
    const attempt = await ts.client.request(REGISTER, { input: { ...incident, customerId: 'acme' } }, globex);
    expect(attempt.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const desk = await ts.client.token('support_consultant');
    const before = await ts.stack.services.requests
      .runtime()
      .dataSource.query('SELECT count(*)::int AS n FROM request');
    const missingCustomer = await ts.client.request(REGISTER, { input: incident }, desk);
    expect(missingCustomer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customerId' });
    const shortTitle = await ts.client.request(
      REGISTER,
      { input: { ...incident, title: 'x', customerId: 'acme' } },
      desk,
    );
    expect(shortTitle.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    const after = await ts.stack.services.requests.runtime().dataSource.query('SELECT count(*)::int AS n FROM request');
    expect(after[0].n).toBe(before[0].n);
  });

  it('refuses anonymous callers and invalid tokens', async () => {
    const anonymous = await ts.client.request(READ, { id: '00000000-0000-0000-0000-000000000000' });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await ts.client.request(READ, { id: '00000000-0000-0000-0000-000000000000' }, 'not.a.token');
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('gateway limits', () => {
  let ts: TestStack;
  beforeAll(async () => {
    ts = await startTestStack({ env: { GATEWAY_MAX_DEPTH: '2', GATEWAY_MAX_COST: '50', GATEWAY_MAX_ALIASES: '100' } });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('rejects operations deeper or costlier than configured before any subgraph runs them', async () => {
    const token = await ts.client.token('support_consultant');
    const shallow = await ts.client.request(
      `{ request(id: "00000000-0000-0000-0000-000000000000") { id } }`,
      {},
      token,
    );
    expect(shallow.errors).toBeUndefined();
    const deep = await ts.client.request(
      `{ request(id: "00000000-0000-0000-0000-000000000000") { sla { trackedSince } } }`,
      {},
      token,
    );
    expect(deep.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/depth/i),
    });
    const aliases = Array.from(
      { length: 60 },
      (_, i) => `r${i}: request(id: "00000000-0000-0000-0000-00000000000${i % 10}") { id number title }`,
    ).join(' ');
    const costly = await ts.client.request(`{ ${aliases} }`, {}, token);
    expect(costly.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/cost/i),
    });
  });
});
