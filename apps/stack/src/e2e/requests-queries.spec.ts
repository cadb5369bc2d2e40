import { TestClock } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { Priority } from './generated/graphql';

const QUEUE = graphql(`query QueriesQueue($first: Int, $after: String) { requestQueue(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { number priority requestedPriority title } } } }`);
const LIST =
  graphql(`query QueriesList($filter: RequestFilter, $orderBy: RequestOrder, $first: Int, $after: String) { requests(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { number priority requestedPriority title } } } }`);
const REGISTER = graphql(`
  mutation QueriesRegister($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`);

describe('finding requests through the gateway', () => {
  let ts: TestStack;
  let anna: string;
  const titles: string[] = [];

  beforeAll(async () => {
    const clock = new TestClock('2026-11-23T09:00:00Z');
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    anna = await tokenFor(ts.client, 'p-anna');
    const customer = await tokenFor(ts.client, 'u-acme');
    // Registered oldest first: Low, High, Medium, High, Low (payroll), one HR request.
    const plan: [Priority, string, string][] = [
      ['LOW', 'prod-payroll', 'Payslip layout question'],
      ['HIGH', 'prod-payroll', 'Payroll run blocked'],
      ['MEDIUM', 'prod-payroll', 'Holiday allowance rounding'],
      ['HIGH', 'prod-payroll', 'Bank file rejected'],
      ['LOW', 'prod-payroll', 'Report column order'],
      ['HIGH', 'prod-hr', 'Onboarding form crashes'],
    ];
    for (const [priority, productId, title] of plan) {
      titles.push(title);
      clock.advance(60_000); // distinct registration times: the order under test is by age
      await ts.client.ok(
        REGISTER,
        {
          input: {
            type: 'INFORMATION',
            title,
            description: `${title}: details`,
            requestedPriority: priority,
            productId,
          },
        },
        customer,
      );
    }
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('gives a consultant the queue of their team: High to Low, then oldest first, page by page', async () => {
    const first = (await ts.client.ok(QUEUE, { first: 3 }, anna)).requestQueue;
    expect(first.totalCount).toBe(5); // the HR request belongs to another team
    expect(first.edges.map((e) => e.node.title)).toEqual([
      'Payroll run blocked',
      'Bank file rejected',
      'Holiday allowance rounding',
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ts.client.ok(QUEUE, { first: 3, after: first.pageInfo.endCursor }, anna)).requestQueue;
    expect(second.edges.map((e) => e.node.title)).toEqual(['Payslip layout question', 'Report column order']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by priority, product group and text, with totalCount over all pages', async () => {
    const high = (await ts.client.ok(LIST, { filter: { priority: ['HIGH'] }, first: 1 }, anna)).requests;
    expect(high.totalCount).toBe(3);
    expect(high.edges).toHaveLength(1);
    const hr = (await ts.client.ok(LIST, { filter: { productGroup: ['grp-hr'] } }, anna)).requests;
    expect(hr.edges.map((e) => e.node.title)).toEqual(['Onboarding form crashes']);
    const text = (await ts.client.ok(LIST, { filter: { text: 'bank file' } }, anna)).requests;
    expect(text.edges.map((e) => e.node.title)).toEqual(['Bank file rejected']);
  });

  it('lists newest first by default and oldest first when asked', async () => {
    const newest = (await ts.client.ok(LIST, {}, anna)).requests;
    expect(newest.edges.map((e) => e.node.title)).toEqual([...titles].reverse());
    const oldest = (await ts.client.ok(LIST, { orderBy: 'REGISTERED_AT_ASC' }, anna)).requests;
    expect(oldest.edges.map((e) => e.node.title)).toEqual(titles);
  });

  it('rejects a page size over 100 and a cursor of another ordering with BAD_USER_INPUT', async () => {
    const big = await ts.client.request(LIST, { first: 101 }, anna);
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const { requests } = await ts.client.ok(LIST, { first: 1 }, anna);
    const mixed = await ts.client.request(LIST, { orderBy: 'QUEUE', after: requests.pageInfo.endCursor }, anna);
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
