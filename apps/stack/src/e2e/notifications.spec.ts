import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { escalationsOutbox, registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

const HOUR = 60 * 60 * 1000;
const NOTIFICATION = `id kind title message link recipientPersonId recipientRole recipientCustomerId recipientCustomer { id name } createdAt readAt`;

interface Notification {
  id: string;
  kind: string;
  title: string;
  message: string;
  link: string;
  recipientPersonId: string | null;
  recipientRole: string | null;
  recipientCustomerId: string | null;
  createdAt: string;
  readAt: string | null;
}

describe('notifications to the roles Informed (RACI) through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-06-02T08:00:00Z');
  let tokens: Record<string, string>;
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  const mine = async (who: string, unreadOnly?: boolean) =>
    (
      await ts.client.ok<{ myNotifications: { totalCount: number; nodes: Notification[] } }>(
        `query($unreadOnly: Boolean) { myNotifications(unreadOnly: $unreadOnly, first: 100) { totalCount nodes { ${NOTIFICATION} } } }`,
        { unreadOnly: unreadOnly ?? null },
        tokens[who],
      )
    ).myNotifications;
  const ok = async <T>(
    mutation: string,
    inputType: string,
    input: Record<string, unknown>,
    who: string,
    select: string,
  ) => {
    const result = await ts.client.request<Record<string, T>>(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${select} } }`,
      { input },
      tokens[who],
    );
    if (result.errors?.length) throw new Error(`${mutation}: ${JSON.stringify(result.errors)}`);
    return (result.data as Record<string, T>)[mutation];
  };
  const markRead = (notificationId: string, who: string) =>
    ts.client.request<{ markNotificationRead: { notification: Notification } }>(
      `mutation($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) { notification { ${NOTIFICATION} } } }`,
      { input: { notificationId } },
      tokens[who],
    );
  const outbox = async (type: string) => (await escalationsOutbox(ts, type)).map((r) => r.envelope);

  let request: { id: string; number: string };
  let askId: string;

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'u-acme-2', 'u-globex', 'p-lead', 'p-sm', 'p-anna', 'p-po']);
    tokens['p-csm'] = await ts.client.token('customer_success_manager', { sub: 'p-csm' });
    tokens['p-csm-other'] = await ts.client.token('customer_success_manager', { sub: 'p-csm-other' });
    // p-csm is Acme's customer success manager (the visibility rule: a CSM reads about their own customers).
    const admin = await ts.client.token('admin', { sub: 'p-admin' });
    await ts.client.ok(
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { __typename } }`,
      {
        input: {
          id: 'p-csm',
          name: 'Carla Sterk',
          email: 'p-csm@servicecenter.example',
          roles: ['CUSTOMER_SUCCESS_MANAGER'],
          teamIds: [],
        },
      },
      admin,
    );
    await ts.client.ok(
      `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`,
      { input: { id: 'cust-acme', customerSuccessManagerId: 'p-csm' } },
      admin,
    );
    request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3', 'HIGH');
    // The service manager asks for a status update once the escalations read model knows the request.
    const asked = await waitFor(
      () =>
        ts.client.request<{ askStatusUpdate: { ask: { id: string } } }>(
          `mutation($input: AskStatusUpdateInput!) { askStatusUpdate(input: $input) { ask { id } } }`,
          { input: { requestId: request.id, question: 'Is anyone on it?' } },
          tokens['p-sm'],
        ),
      (r) => !r.errors,
      { what: 'the request in the escalations read model' },
    );
    askId = asked.data!.askStatusUpdate.ask.id;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it("notifies the customer success manager role of an escalation; the customer's users see nothing internal", async () => {
    const { escalation } = await ok<{ escalation: { id: string; number: string } }>(
      'openEscalation',
      'OpenEscalationInput',
      {
        requestIds: [request.id],
        reason: 'Payroll run at risk',
        businessImpact: '1,200 salaries on Friday',
        desiredOutcome: 'A workaround before Thursday',
      },
      'p-sm',
      'escalation { id number }',
    );
    const csm = await waitFor(
      () => mine('p-csm'),
      (m) => m.totalCount > 0,
      { what: "Acme's CSM relation in the escalations read model" },
    );
    expect(csm.nodes).toEqual([
      expect.objectContaining({
        kind: 'ESCALATION_OPENED',
        link: `escalation:${escalation.id}`,
        recipientRole: 'CUSTOMER_SUCCESS_MANAGER',
        recipientPersonId: null,
        readAt: null,
      }),
    ]);
    expect(csm.nodes[0].title).toContain(escalation.number);
    // The service manager role is Informed (I/C) too.
    expect((await mine('p-sm')).nodes.map((n) => n.kind)).toContain('ESCALATION_OPENED');
    // Customers escalate (R), they are not Informed of the internal record; other roles see nothing,
    // and neither does a customer success manager of other customers (docs/visibility.md).
    for (const who of ['u-acme', 'u-globex', 'p-anna', 'p-csm-other']) expect((await mine(who)).totalCount).toBe(0);

    const [created] = (await outbox('servicecenter.notification.created.v1')).filter(
      (e) => e.data.kind === 'ESCALATION_OPENED' && e.data.recipientRole === 'customer_success_manager',
    );
    expect(created).toMatchObject({
      subject: csm.nodes[0].id,
      data: { notificationId: csm.nodes[0].id, link: `escalation:${escalation.id}` },
    });
  });

  it('gives the asking service manager the answer to their status-update ask, and marking it read hides it with unreadOnly', async () => {
    await ok(
      'answerStatusUpdate',
      'AnswerStatusUpdateInput',
      { askId, answer: 'Product development reproduced it; fix expected tomorrow' },
      'p-lead',
      'ask { id }',
    );
    const answered = (await mine('p-sm')).nodes.filter((n) => n.kind === 'STATUS_UPDATE_ANSWERED');
    expect(answered).toEqual([
      expect.objectContaining({
        recipientPersonId: 'p-sm',
        recipientRole: null,
        link: `request:${request.id}`,
        message: 'Product development reproduced it; fix expected tomorrow',
      }),
    ]);
    // The customer is Informed too, without the internal answer.
    const acme = (await mine('u-acme')).nodes;
    expect(acme).toEqual([
      expect.objectContaining({
        kind: 'STATUS_UPDATE_ANSWERED',
        recipientRole: 'CUSTOMER',
        recipientCustomerId: 'cust-acme',
        recipientCustomer: { id: 'cust-acme', name: expect.any(String) },
        link: `request:${request.id}`,
      }),
    ]);
    expect(acme[0].message).not.toContain('Product development reproduced');
    expect((await mine('u-globex')).totalCount).toBe(0);

    // Nobody else marks it read.
    expect((await markRead(answered[0].id, 'u-globex')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const marked = await markRead(answered[0].id, 'p-sm');
    expect(marked.errors).toBeUndefined();
    expect(marked.data?.markNotificationRead.notification.readAt).not.toBeNull();
    expect((await mine('p-sm', true)).nodes.map((n) => n.id)).not.toContain(answered[0].id);
    expect((await mine('p-sm')).nodes.find((n) => n.id === answered[0].id)?.readAt).not.toBeNull();
  });

  it("notifies cust-acme's users of a resolved disruption notice, not globex's; each user reads it for themselves", async () => {
    clock.advance(60_000);
    const NOTICE = 'notice { id number }';
    const { notice: draft } = await ok<{ notice: { id: string } }>(
      'openDisruptionNotice',
      'OpenDisruptionNoticeInput',
      {
        productId: 'prod-payroll',
        source: 'CUSTOMER_REPORT',
        title: 'Payroll runs fail',
        startedAt: later(-HOUR),
        userExperience: 'The payroll run stops at step 3',
      },
      'p-lead',
      NOTICE,
    );
    await ok(
      'linkRequestToDisruption',
      'LinkRequestToDisruptionInput',
      { noticeId: draft.id, requestId: request.id },
      'p-anna',
      NOTICE,
    );
    await ok(
      'publishDisruptionNotice',
      'PublishDisruptionNoticeInput',
      { noticeId: draft.id, nextUpdateDueAt: later(HOUR) },
      'p-lead',
      NOTICE,
    );
    await ok(
      'resolveDisruptionNotice',
      'ResolveDisruptionNoticeInput',
      { noticeId: draft.id, cause: 'A storage server ran out of room', solution: 'Room was made' },
      'p-po',
      NOTICE,
    );

    const resolved = (await mine('u-acme')).nodes.filter((n) => n.kind === 'DISRUPTION_RESOLVED');
    expect(resolved).toEqual([
      expect.objectContaining({
        recipientRole: 'CUSTOMER',
        recipientCustomerId: 'cust-acme',
        link: `disruption:${draft.id}`,
      }),
    ]);
    expect(resolved[0].message).toContain('A storage server ran out of room');
    expect((await mine('u-acme')).nodes.map((n) => n.kind)).toContain('DISRUPTION_PUBLISHED');
    expect((await mine('u-globex')).totalCount).toBe(0);
    // Internal roles Informed of the first notice (support consultant, service manager, product owner).
    // (the support consultant was also Informed of the status update earlier; newest first).
    expect((await mine('p-anna')).nodes.map((n) => n.kind)).toEqual(['DISRUPTION_PUBLISHED', 'STATUS_UPDATE_ANSWERED']);

    // Shared with the organisation's users: one user reading it leaves it unread for the other.
    expect((await markRead(resolved[0].id, 'u-acme')).errors).toBeUndefined();
    expect((await mine('u-acme', true)).nodes.map((n) => n.id)).not.toContain(resolved[0].id);
    expect((await mine('u-acme-2', true)).nodes.map((n) => n.id)).toContain(resolved[0].id);
  });
});
