import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { escalationsOutbox, registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const HOUR = 60 * 60 * 1000;
graphql(`
  fragment NotificationView on Notification {
    id kind title message link recipientPersonId recipientRole recipientCustomerId recipientCustomer { id name } createdAt readAt
  }`);
const MINE = graphql(`
  query NotificationsMine($unreadOnly: Boolean) {
    myNotifications(unreadOnly: $unreadOnly, first: 100) { totalCount nodes { ...NotificationView } }
  }`);
const MARK_READ = graphql(`
  mutation NotificationsMarkRead($input: MarkNotificationReadInput!) {
    markNotificationRead(input: $input) { notification { ...NotificationView } }
  }`);
const CREATE_PERSON = graphql(`
  mutation NotificationsCreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { __typename } }`);
const UPDATE_CUSTOMER = graphql(`
  mutation NotificationsUpdateCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }`);
const ASK_STATUS_UPDATE = graphql(`
  mutation NotificationsAskStatus($input: AskStatusUpdateInput!) { askStatusUpdate(input: $input) { ask { id } } }`);
const ANSWER_STATUS_UPDATE = graphql(`
  mutation NotificationsAnswerStatus($input: AnswerStatusUpdateInput!) { answerStatusUpdate(input: $input) { ask { id } } }`);
const OPEN_ESCALATION = graphql(`
  mutation NotificationsOpenEscalation($input: OpenEscalationInput!) { openEscalation(input: $input) { escalation { id number } } }`);
const OPEN_NOTICE = graphql(`
  mutation NotificationsOpenNotice($input: OpenDisruptionNoticeInput!) { openDisruptionNotice(input: $input) { notice { id number } } }`);
const LINK_REQUEST = graphql(`
  mutation NotificationsLinkRequest($input: LinkRequestToDisruptionInput!) {
    linkRequestToDisruption(input: $input) { notice { id number } }
  }`);
const PUBLISH_NOTICE = graphql(`
  mutation NotificationsPublishNotice($input: PublishDisruptionNoticeInput!) {
    publishDisruptionNotice(input: $input) { notice { id number } }
  }`);
const RESOLVE_NOTICE = graphql(`
  mutation NotificationsResolveNotice($input: ResolveDisruptionNoticeInput!) {
    resolveDisruptionNotice(input: $input) { notice { id number } }
  }`);

describe('notifications to the roles Informed (RACI) through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-06-02T08:00:00Z');
  let tokens: Record<string, string>;
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  const mine = async (who: string, unreadOnly?: boolean) =>
    (await ts.client.ok(MINE, { unreadOnly: unreadOnly ?? null }, tokens[who])).myNotifications;
  const markRead = (notificationId: string, who: string) =>
    ts.client.request(MARK_READ, { input: { notificationId } }, tokens[who]);
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
      CREATE_PERSON,
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
    await ts.client.ok(UPDATE_CUSTOMER, { input: { id: 'cust-acme', customerSuccessManagerId: 'p-csm' } }, admin);
    request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3', 'HIGH');
    // The service manager asks for a status update once the escalations read model knows the request.
    const asked = await waitFor(
      () =>
        ts.client.request(
          ASK_STATUS_UPDATE,
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
    const {
      openEscalation: { escalation },
    } = await ts.client.ok(
      OPEN_ESCALATION,
      {
        input: {
          requestIds: [request.id],
          reason: 'Payroll run at risk',
          businessImpact: '1,200 salaries on Friday',
          desiredOutcome: 'A workaround before Thursday',
        },
      },
      tokens['p-sm'],
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
    await ts.client.ok(
      ANSWER_STATUS_UPDATE,
      { input: { askId, answer: 'Product development reproduced it; fix expected tomorrow' } },
      tokens['p-lead'],
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
    const {
      openDisruptionNotice: { notice: draft },
    } = await ts.client.ok(
      OPEN_NOTICE,
      {
        input: {
          productId: 'prod-payroll',
          source: 'CUSTOMER_REPORT',
          title: 'Payroll runs fail',
          startedAt: later(-HOUR),
          userExperience: 'The payroll run stops at step 3',
        },
      },
      tokens['p-lead'],
    );
    await ts.client.ok(LINK_REQUEST, { input: { noticeId: draft.id, requestId: request.id } }, tokens['p-anna']);
    await ts.client.ok(
      PUBLISH_NOTICE,
      { input: { noticeId: draft.id, nextUpdateDueAt: later(HOUR) } },
      tokens['p-lead'],
    );
    await ts.client.ok(
      RESOLVE_NOTICE,
      { input: { noticeId: draft.id, cause: 'A storage server ran out of room', solution: 'Room was made' } },
      tokens['p-po'],
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
