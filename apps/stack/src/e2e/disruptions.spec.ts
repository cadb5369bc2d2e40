import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { escalationsOutbox, registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { DisruptionNoticeViewFragment } from './generated/graphql';

graphql(`
  fragment DisruptionNoticeView on DisruptionNotice {
    id number status productId updateOverdue nextUpdateDueAt cause solution closesAt closedAt affectedCustomers { id }
    updates { message by { id } } linkedRequests { id }
  }`);
/** The notice mutations, each answering the notice it changed. */
const STEPS = {
  openDisruptionNotice: graphql(`
    mutation DisruptionsOpenDisruptionNotice($input: OpenDisruptionNoticeInput!) { openDisruptionNotice(input: $input) { notice { ...DisruptionNoticeView } } }`),
  linkRequestToDisruption: graphql(`
    mutation DisruptionsLinkRequestToDisruption($input: LinkRequestToDisruptionInput!) { linkRequestToDisruption(input: $input) { notice { ...DisruptionNoticeView } } }`),
  postDisruptionUpdate: graphql(`
    mutation DisruptionsPostDisruptionUpdate($input: PostDisruptionUpdateInput!) { postDisruptionUpdate(input: $input) { notice { ...DisruptionNoticeView } } }`),
  publishDisruptionNotice: graphql(`
    mutation DisruptionsPublishDisruptionNotice($input: PublishDisruptionNoticeInput!) { publishDisruptionNotice(input: $input) { notice { ...DisruptionNoticeView } } }`),
  resolveDisruptionNotice: graphql(`
    mutation DisruptionsResolveDisruptionNotice($input: ResolveDisruptionNoticeInput!) { resolveDisruptionNotice(input: $input) { notice { ...DisruptionNoticeView } } }`),
};
type Step = keyof typeof STEPS;
const READ = graphql(`query DisruptionsRead($id: ID) { disruptionNotice(id: $id) { ...DisruptionNoticeView } }`);
const LIST = graphql(`
  query DisruptionsList($productId: ID, $first: Int) { disruptionNotices(productId: $productId, first: $first) { totalCount nodes { id } } }`);
const REQUEST_SOLUTION = graphql(`query DisruptionsRequestSolution($id: ID) { request(id: $id) { status solution } }`);
const HOUR = 60 * 60 * 1000;

describe('disruption notices through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-06-02T08:00:00Z');
  let tokens: Record<string, string>;
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  /** Sends a notice mutation with unchecked variables (bad input on purpose) and answers the whole response. */
  const mutate = (name: Step, input: Record<string, unknown>, who: string) =>
    ts.client.request(
      STEPS[name] as TypedDocumentNode<Record<string, { notice: DisruptionNoticeViewFragment }>, never>,
      { input },
      tokens[who],
    );
  const ok = async <K extends Step>(
    name: K,
    input: VariablesOf<(typeof STEPS)[K]>['input'],
    who = 'p-lead',
  ): Promise<DisruptionNoticeViewFragment> => {
    // Every notice document selects `notice { ...DisruptionNoticeView }` under its own root field.
    const document = STEPS[name] as unknown as TypedDocumentNode<
      Record<K, { notice: DisruptionNoticeViewFragment }>,
      { input: typeof input }
    >;
    return (await ts.client.ok(document, { input }, tokens[who]))[name].notice;
  };
  const read = async (id: string, who = 'p-lead') => (await ts.client.ok(READ, { id }, tokens[who])).disruptionNotice;
  const outbox = async (type: string) => (await escalationsOutbox(ts, type)).map((r) => r.envelope);
  /** Fires the escalations service's due timers now (its polling loop is stopped: no waiting on it). */
  const fireDueTimers = () => ts.stack.services.escalations.runtime().timers.runDue();

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'u-globex', 'p-lead', 'p-anna', 'p-sm', 'p-po']);
    await ts.stack.services.escalations.runtime().timers.stop();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('runs a notice from first notice through an overdue update to resolution, closing 4 hours later', async () => {
    const request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3', 'HIGH');

    const draft = await ok('openDisruptionNotice', {
      productId: 'prod-payroll',
      source: 'CUSTOMER_REPORT',
      title: 'Payroll runs fail',
      startedAt: later(-HOUR),
      userExperience: 'The payroll run stops at step 3 with error PR-500',
    });
    expect(draft).toMatchObject({ status: 'DRAFT', productId: 'prod-payroll' });
    expect(draft.number).toMatch(/^DN-2026-\d{4}$/);
    // Customers never see drafts.
    expect(await read(draft.id, 'u-acme')).toBeNull();

    // Row 119: only the problem of priority High gets a notice; the request of the problem is linked first.
    const noProblem = await mutate(
      'publishDisruptionNotice',
      { noticeId: draft.id, nextUpdateDueAt: later(HOUR) },
      'p-lead',
    );
    expect(noProblem.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      missing: ['linkedRequest.priority=HIGH'],
    });
    // The request reaches the escalations read model through its events.
    const linked = await waitFor(
      () => mutate('linkRequestToDisruption', { noticeId: draft.id, requestId: request.id }, 'p-anna'),
      (r) => !r.errors,
      { what: 'the request linked once the read model knows it' },
    );
    expect(linked.data?.linkRequestToDisruption.notice.linkedRequests).toEqual([{ id: request.id }]);
    const support = await mutate(
      'publishDisruptionNotice',
      { noticeId: draft.id, nextUpdateDueAt: later(HOUR) },
      'p-anna',
    );
    expect(support.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const tooLate = await mutate(
      'publishDisruptionNotice',
      { noticeId: draft.id, nextUpdateDueAt: later(2 * HOUR + 60_000) },
      'p-lead',
    );
    expect(tooLate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const dueAt = later(2 * HOUR);
    const notice = await ok('publishDisruptionNotice', {
      noticeId: draft.id,
      nextUpdateDueAt: dueAt,
    });
    expect(notice).toMatchObject({
      status: 'PUBLISHED',
      updateOverdue: false,
      nextUpdateDueAt: new Date(dueAt).toISOString(),
    });

    const unknown = await mutate(
      'linkRequestToDisruption',
      { noticeId: notice.id, requestId: '00000000-0000-4000-8000-000000000000' },
      'p-lead',
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Customers read public notices of their products only.
    expect(await read(notice.id, 'u-acme')).toMatchObject({
      number: notice.number,
      status: 'PUBLISHED',
      linkedRequests: [{ id: request.id }],
    });
    expect(await read(notice.id, 'u-globex')).toBeNull();
    const globexList = await ts.client.ok(LIST, { productId: 'prod-payroll' }, tokens['u-globex']);
    expect(globexList.disruptionNotices.totalCount).toBe(0);
    const acmeList = await ts.client.ok(LIST, { productId: 'prod-payroll' }, tokens['u-acme']);
    expect(acmeList.disruptionNotices.nodes.map((n) => n.id)).toEqual([notice.id]);

    // The promised update does not come: the timer flags the notice and announces it.
    clock.advance(2 * HOUR + 60_000);
    expect(await fireDueTimers()).toBe(1);
    expect((await read(notice.id))?.updateOverdue).toBe(true);
    const overdue = await outbox('servicecenter.disruption.update-overdue.v1');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      subject: notice.id,
      data: { noticeId: notice.id, dueAt: new Date(dueAt).toISOString(), number: notice.number },
    });

    const tooFar = await mutate(
      'postDisruptionUpdate',
      { noticeId: notice.id, message: 'x', nextUpdateDueAt: later(24 * HOUR + 60_000) },
      'p-lead',
    );
    expect(tooFar.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const updated = await ok('postDisruptionUpdate', {
      noticeId: notice.id,
      message: 'Product development found the cause',
      nextUpdateDueAt: later(4 * HOUR),
    });
    expect(updated).toMatchObject({
      updateOverdue: false,
      updates: [{ message: 'Product development found the cause', by: { id: 'p-lead' } }],
    });

    // Row 126: product development decides the disruption is solved; the team lead is informed, not asked.
    const byLead = await mutate(
      'resolveDisruptionNotice',
      { noticeId: notice.id, cause: 'x', solution: 'y' },
      'p-lead',
    );
    expect(byLead.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const noCause = await mutate(
      'resolveDisruptionNotice',
      { noticeId: notice.id, cause: ' ', solution: 'Restarted' },
      'p-po',
    );
    expect(noCause.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const resolved = await ok(
      'resolveDisruptionNotice',
      {
        noticeId: notice.id,
        cause: 'A storage server ran out of room',
        solution: 'Room was made; start the payroll run again',
      },
      'p-po',
    );
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      cause: 'A storage server ran out of room',
      closesAt: later(4 * HOUR),
    });
    // Written in the resolving transaction: in the outbox once the mutation answered.
    const resolvedEvents = await outbox('servicecenter.disruption.resolved.v1');
    expect(resolvedEvents).toHaveLength(1);
    const [event] = resolvedEvents;
    expect(event.data).toMatchObject({
      noticeId: notice.id,
      number: notice.number,
      productId: 'prod-payroll',
      cause: 'A storage server ran out of room',
      solution: 'Room was made; start the payroll run again',
      linkedRequestIds: [request.id],
      resolvedBy: 'p-po',
    });
    for (const type of ['published', 'updated'])
      expect(await outbox(`servicecenter.disruption.${type}.v1`)).toHaveLength(1);
    // The requests service gives the linked request the solution and cause, for the customer to confirm.
    const withSolution = await waitFor(
      () => ts.client.ok(REQUEST_SOLUTION, { id: request.id }, tokens['u-acme']),
      (r) => r.request?.status === 'SOLUTION_PROPOSED',
      { what: 'the solution on the linked request' },
    );
    expect(withSolution.request?.solution).toContain('A storage server ran out of room');

    // 4 hours after resolution the notice closes by itself.
    clock.advance(4 * HOUR + 60_000);
    expect(await fireDueTimers()).toBe(1);
    const closed = await read(notice.id);
    expect(closed?.status).toBe('CLOSED');
    expect(closed?.closedAt).not.toBeNull();
    expect(await outbox('servicecenter.disruption.closed.v1')).toHaveLength(1);
    expect(await outbox('servicecenter.disruption.update-overdue.v1')).toHaveLength(1);
    expect(await read(notice.id, 'u-acme')).toMatchObject({ status: 'CLOSED' });
  });

  describe('product and customer ids the directory never announced', () => {
    const notices = async () => ({
      listed: (await ts.client.ok(LIST, { first: 0 }, tokens['p-lead'])).disruptionNotices.totalCount,
      rows: (
        (await ts.stack.services.escalations
          .runtime()
          .dataSource.query(`SELECT count(*)::int AS n FROM disruption_notice`)) as { n: number }[]
      )[0].n,
    });
    const open = (input: Record<string, unknown>) =>
      mutate('openDisruptionNotice', { source: 'MONITORING', title: 'Logins fail', ...input }, 'p-lead');
    const refusal = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => ({
      code: r.errors?.[0]?.extensions?.code,
      field: r.errors?.[0]?.extensions?.field,
      unknown: r.errors?.[0]?.extensions?.unknown,
    });

    it('refuses a notice of an unknown product, writing nothing', async () => {
      const before = await notices();
      expect(refusal(await open({ productId: 'prod-nobody' }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.productId',
        unknown: ['prod-nobody'],
      });
      expect(await notices()).toEqual(before);
    });

    it('refuses affected customers the directory does not have, naming the first by its position', async () => {
      const before = await notices();
      const result = await open({
        productId: 'prod-payroll',
        affectedCustomerIds: ['cust-acme', 'cust-globex', 'cust-nobody', 'cust-ghost'],
      });
      expect(refusal(result)).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.affectedCustomerIds.2',
        unknown: ['cust-nobody', 'cust-ghost'],
      });
      expect(await notices()).toEqual(before);
    });
  });
});
