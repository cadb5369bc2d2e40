import { randomUUID } from 'node:crypto';
import { DisruptionResolved, PriorityChangeApproved, Topics } from '@servicecenter/contracts';
import { event, type InProcessTransport } from '@servicecenter/platform-events';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { EvidenceInput, LifecycleRequestFragment, RegisterRequestInput } from './generated/graphql';

graphql(`
  fragment LifecycleRequest on Request {
    id number type status version priority requestedPriority completionReason missingInformation remindersSent
    firstResponseAt allowedActions handoverTarget followUpOf { id number } change { ref customerCount }
    replies { side visibility kind body }
  }`);
const REGISTER = graphql(`
  mutation LifecycleRegister($input: RegisterRequestInput!) {
    registerRequest(input: $input) { missingInformation request { ...LifecycleRequest } }
  }`);
const READ = graphql(`query LifecycleRead($id: ID) { request(id: $id) { ...LifecycleRequest } }`);
/** The steps of the lifecycle, each answering the request it changed. */
const STEPS = {
  updateRequest: graphql(`
    mutation LifecycleUpdateRequest($input: UpdateRequestInput!) { updateRequest(input: $input) { request { ...LifecycleRequest } } }`),
  prioritiseRequest: graphql(`
    mutation LifecyclePrioritiseRequest($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { ...LifecycleRequest } } }`),
  assignRequest: graphql(`
    mutation LifecycleAssignRequest($input: AssignRequestInput!) { assignRequest(input: $input) { request { ...LifecycleRequest } } }`),
  sendInHandlingNotice: graphql(`
    mutation LifecycleSendInHandlingNotice($input: SendInHandlingNoticeInput!) { sendInHandlingNotice(input: $input) { request { ...LifecycleRequest } } }`),
  acceptRequest: graphql(`
    mutation LifecycleAcceptRequest($input: RequestStepInput!) { acceptRequest(input: $input) { request { ...LifecycleRequest } } }`),
  startHandling: graphql(`
    mutation LifecycleStartHandling($input: RequestStepInput!) { startHandling(input: $input) { request { ...LifecycleRequest } } }`),
  addReply: graphql(`
    mutation LifecycleAddReply($input: AddReplyInput!) { addReply(input: $input) { request { ...LifecycleRequest } } }`),
  handOverRequest: graphql(`
    mutation LifecycleHandOverRequest($input: HandOverRequestInput!) { handOverRequest(input: $input) { request { ...LifecycleRequest } } }`),
  linkChange: graphql(`
    mutation LifecycleLinkChange($input: LinkChangeInput!) { linkChange(input: $input) { request { ...LifecycleRequest } } }`),
  proposeSolution: graphql(`
    mutation LifecycleProposeSolution($input: ProposeSolutionInput!) { proposeSolution(input: $input) { request { ...LifecycleRequest } } }`),
  respondToSolution: graphql(`
    mutation LifecycleRespondToSolution($input: RespondToSolutionInput!) { respondToSolution(input: $input) { request { ...LifecycleRequest } } }`),
  requestInformation: graphql(`
    mutation LifecycleRequestInformation($input: RequestInformationInput!) { requestInformation(input: $input) { request { ...LifecycleRequest } } }`),
  reopenRequest: graphql(`
    mutation LifecycleReopenRequest($input: ReopenRequestInput!) { reopenRequest(input: $input) { request { ...LifecycleRequest } } }`),
  closeRequest: graphql(`
    mutation LifecycleCloseRequest($input: CloseRequestInput!) { closeRequest(input: $input) { request { ...LifecycleRequest } } }`),
  executeMutation: graphql(`
    mutation LifecycleExecuteMutation($input: ExecuteMutationInput!) { executeMutation(input: $input) { request { ...LifecycleRequest } } }`),
};
type Step = keyof typeof STEPS;
const CHANGE = graphql(`
  query LifecycleChange($ref: ID!) { change(ref: $ref) { ref customerCount requestCount requests { number } } }`);
const TREAT_AS_NEW = graphql(`
  mutation LifecycleTreatAsNew($input: TreatAsNewRequestInput!) {
    treatAsNewRequest(input: $input) { closedRequest { ...LifecycleRequest } request { ...LifecycleRequest } }
  }`);
const ARTICLES = graphql(`
  query LifecycleArticles($search: String, $first: Int) {
    knowledgeArticles(search: $search, first: $first) { totalCount edges { node { id title published } } }
  }`);
const ANSWER_FROM_ARTICLE = graphql(`
  mutation LifecycleAnswerFromArticle($input: ProposeSolutionInput!) {
    proposeSolution(input: $input) { request { solutionArticle { id } } }
  }`);
const DETAIL = graphql(`
  query LifecycleDetail($id: ID) { request(id: $id) { priorityJustification history { action actor { id name } } } }`);

const screenshot: EvidenceInput = { kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 };
const completeIncident: RegisterRequestInput = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
  evidence: [screenshot],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};

describe('the request lifecycle through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z'); // a Monday, 10:00 in Amsterdam
  const tokens: Record<string, string> = {};

  const call = async <K extends Step>(
    mutation: K,
    input: VariablesOf<(typeof STEPS)[K]>['input'],
    who: string,
  ): Promise<LifecycleRequestFragment> => {
    // Every step document selects `request { ...LifecycleRequest }` under its own root field.
    const document = STEPS[mutation] as unknown as TypedDocumentNode<
      Record<K, { request: LifecycleRequestFragment }>,
      { input: typeof input }
    >;
    return (await ts.client.ok(document, { input }, tokens[who]))[mutation].request;
  };
  /** Sends a step as a client might get it wrong (unchecked variables) and answers the whole response. */
  const attempt = (mutation: Step, input: Record<string, unknown>, who: string) => {
    const document: TypedDocumentNode<unknown, never> = STEPS[mutation];
    return ts.client.request(document, { input }, tokens[who]);
  };
  /** Fires whatever is due now, instead of waiting for the timer poll. */
  const runDueTimers = () => ts.stack.services.requests.runtime().timers.runDue();
  const read = async (id: string, who: string) => {
    const { request } = await ts.client.ok(READ, { id }, tokens[who]);
    if (!request) throw new Error(`request ${id} not visible to ${who}`);
    return request;
  };
  const register = async (input: RegisterRequestInput, who = 'u-acme') =>
    (await ts.client.ok(REGISTER, { input }, tokens[who])).registerRequest;

  beforeAll(async () => {
    ts = await startTestStack({
      clock: clock.now,
      env: { REQUESTS_REMINDER_WORKING_DAYS: '2,2', REQUESTS_CLOSE_AFTER_WORKING_DAYS: '2' },
    });
    await createDesk(ts);
    for (const id of ['u-acme', 'u-acme-2', 'u-globex', 'p-anna', 'p-bram', 'p-lead', 'p-msc', 'p-sm', 'p-pd'])
      tokens[id] = await tokenFor(ts.client, id);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('takes an incident from an incomplete registration through hand-over to product development to closing on the customer’s agreement', async () => {
    const { request: registered, missingInformation } = await register({
      ...completeIncident,
      evidence: [],
      businessImpact: null,
    });
    expect(registered.status).toBe('WAITING_FOR_CUSTOMER');
    expect(missingInformation).toEqual([
      expect.stringMatching(/business impact/i),
      expect.stringMatching(/screenshot or the exact error message/i),
    ]);
    expect(registered.replies).toEqual([expect.objectContaining({ side: 'SYSTEM', kind: 'INFORMATION_REQUEST' })]);

    const completed = await call(
      'updateRequest',
      {
        requestId: registered.id,
        businessImpact: completeIncident.businessImpact,
        addEvidence: [screenshot],
        message: 'Added the screenshot.',
      },
      'u-acme',
    );
    expect(completed).toMatchObject({ status: 'REGISTERED', missingInformation: [] });

    const justified = await attempt('prioritiseRequest', { requestId: registered.id, priority: 'MEDIUM' }, 'p-anna');
    expect(justified.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.justification' });
    await call('assignRequest', { requestId: registered.id, assigneeId: 'p-anna' }, 'p-anna');
    await call('prioritiseRequest', { requestId: registered.id, priority: 'HIGH', category: 'payroll-run' }, 'p-anna');
    const noticed = await call('sendInHandlingNotice', { requestId: registered.id }, 'p-anna');
    expect(noticed.firstResponseAt).toBe(clock.now().toISOString());
    expect(noticed.replies.at(-1)).toMatchObject({
      side: 'SERVICE_CENTER',
      visibility: 'PUBLIC',
      kind: 'IN_HANDLING_NOTICE',
      body: expect.stringContaining(registered.number),
    });
    await call('acceptRequest', { requestId: registered.id }, 'p-anna');
    await call('startHandling', { requestId: registered.id }, 'p-anna');
    await call(
      'addReply',
      { requestId: registered.id, body: 'Looks like the tax table import of release 26.11.', internal: true },
      'p-anna',
    );
    const handedOver = await call(
      'handOverRequest',
      {
        requestId: registered.id,
        target: 'PRODUCT_DEVELOPMENT',
        note: 'Defect in the tax table import; reproduced on acceptance.',
      },
      'p-anna',
    );
    expect(handedOver).toMatchObject({ status: 'HANDED_OVER', handoverTarget: 'PRODUCT_DEVELOPMENT' });

    // The relay publishes the outbox right after the commit; wait for it, as a PD consumer would.
    const handover = await waitFor(
      async () =>
        (ts.stack.transport as InProcessTransport)
          .messages(Topics.handovers)
          .map((m) => m.envelope)
          .find((e) => e.subject === registered.id),
      (e) => e !== undefined,
      { what: 'the hand-over event' },
    );
    expect(handover?.type).toBe('servicecenter.handover.requested.v1');
    expect(handover?.data).toMatchObject({
      requestNumber: registered.number,
      requestType: 'INCIDENT',
      priority: 'HIGH',
      businessImpact: completeIncident.businessImpact,
      product: { id: 'prod-payroll', name: 'Payroll Cloud', productGroup: 'Payroll' },
      customer: { id: 'cust-acme', name: 'Acme Logistiek' },
      contact: { id: 'p-anna', name: 'Anna de Vries' },
      evidence: [expect.objectContaining({ kind: 'SCREENSHOT', name: 'error.png' })],
      note: 'Defect in the tax table import; reproduced on acceptance.',
    });

    const linked = await call(
      'linkChange',
      { requestId: registered.id, changeRef: 'PD-4711', kind: 'BUG', title: 'Tax table import' },
      'p-pd',
    );
    expect(linked.change).toEqual({ ref: 'PD-4711', customerCount: 1 });

    const proposed = await call(
      'proposeSolution',
      {
        requestId: registered.id,
        solution: 'Re-import the tax tables with the attached file, then restart the run.',
        kind: 'WORKAROUND',
      },
      'p-anna',
    );
    expect(proposed.status).toBe('SOLUTION_PROPOSED');
    const closed = await call(
      'respondToSolution',
      { requestId: registered.id, accepted: true, comment: 'Works, thanks.' },
      'u-acme',
    );
    expect(closed).toMatchObject({
      status: 'CLOSED',
      completionReason: 'WORKAROUND',
      allowedActions: expect.arrayContaining(['REOPEN']),
    });
    expect(closed.replies.at(-1)).toMatchObject({ kind: 'CLOSING_TEXT', body: expect.stringContaining('workaround') });

    const asCustomer = await read(registered.id, 'u-acme');
    expect(asCustomer.replies.every((r) => r.visibility === 'PUBLIC')).toBe(true);
    expect((await read(registered.id, 'p-anna')).replies.some((r) => r.visibility === 'INTERNAL')).toBe(true);
  });

  it('shows product development the demand behind a change: requests of several customers linked to it', async () => {
    const fromGlobex = (await register({ ...completeIncident, title: 'Tax table import fails' }, 'u-globex')).request;
    for (const step of [
      () => call('assignRequest', { requestId: fromGlobex.id, assigneeId: 'p-anna' }, 'p-anna'),
      () => call('prioritiseRequest', { requestId: fromGlobex.id, priority: 'HIGH' }, 'p-anna'),
      () => call('acceptRequest', { requestId: fromGlobex.id }, 'p-anna'),
      () => call('startHandling', { requestId: fromGlobex.id }, 'p-anna'),
      () =>
        call(
          'handOverRequest',
          { requestId: fromGlobex.id, target: 'PRODUCT_DEVELOPMENT', note: 'Same defect as PD-4711.' },
          'p-anna',
        ),
      () => call('linkChange', { requestId: fromGlobex.id, changeRef: 'PD-4711' }, 'p-pd'),
    ])
      await step();
    const { change } = await ts.client.ok(CHANGE, { ref: 'PD-4711' }, tokens['p-pd']);
    expect(change).toMatchObject({ ref: 'PD-4711', customerCount: 2, requestCount: 2 });
    expect(change?.requests).toContainEqual({ number: fromGlobex.number });
  });

  it('reminds a customer who does not answer after the configured working days and closes the request with NO_REPLY', async () => {
    clock.set('2026-11-23T09:00:00Z');
    const { request } = await register(completeIncident);
    await call('assignRequest', { requestId: request.id, assigneeId: 'p-anna' }, 'p-anna');
    const waiting = await call(
      'requestInformation',
      { requestId: request.id, missing: ['The employee number of one affected employee'] },
      'p-anna',
    );
    expect(waiting.status).toBe('WAITING_FOR_CUSTOMER');

    clock.set('2026-11-24T12:00:00Z'); // one working day: nothing yet
    await runDueTimers();
    expect((await read(request.id, 'p-anna')).remindersSent).toBe(0);
    clock.set('2026-11-25T09:30:00Z'); // two working days after Monday 10:00
    const reminded = await waitFor(
      () => read(request.id, 'u-acme'),
      (r) => r.remindersSent === 1,
      { what: 'the first reminder' },
    );
    expect(reminded.replies.at(-1)).toMatchObject({
      side: 'SYSTEM',
      kind: 'REMINDER',
      body: expect.stringContaining('employee number'),
    });
    clock.set('2026-11-30T09:30:00Z'); // the weekend does not count: Wed + 2 working days = Fri, Monday is past it
    await waitFor(
      () => read(request.id, 'u-acme'),
      (r) => r.remindersSent === 2,
      { what: 'the second reminder' },
    );
    clock.set('2026-12-02T09:30:00Z');
    const closed = await waitFor(
      () => read(request.id, 'u-acme'),
      (r) => r.status === 'CLOSED',
      { what: 'automatic closing' },
    );
    expect(closed.completionReason).toBe('NO_REPLY');
    expect(closed.replies.at(-1)).toMatchObject({ kind: 'CLOSING_TEXT', body: expect.stringContaining('2 reminders') });
  });

  it('resumes handling when the customer replies while waiting, and cancels the pending reminders', async () => {
    clock.set('2026-12-07T09:00:00Z');
    const { request } = await register(completeIncident);
    await call('requestInformation', { requestId: request.id, missing: ['Which pay period?'] }, 'p-anna');
    const answered = await call('addReply', { requestId: request.id, body: 'Period 11.' }, 'u-acme');
    expect(answered).toMatchObject({ status: 'REGISTERED', missingInformation: [] });
    clock.set('2026-12-14T09:00:00Z');
    await runDueTimers();
    expect(await read(request.id, 'u-acme')).toMatchObject({ status: 'REGISTERED', remindersSent: 0 });
  });

  it('reopens a closed request for the same question, and continues a different question as a new linked request', async () => {
    const { request } = await register({
      ...completeIncident,
      type: 'INFORMATION',
      title: 'How do I export the journal?',
      description: 'Where is the export?',
    });
    await call('startHandling', { requestId: request.id }, 'p-anna').catch(() => undefined);
    await call('assignRequest', { requestId: request.id, assigneeId: 'p-anna' }, 'p-anna');
    await call(
      'prioritiseRequest',
      { requestId: request.id, priority: 'LOW', justification: 'A question, no business stop' },
      'p-anna',
    );
    await call('acceptRequest', { requestId: request.id }, 'p-anna');
    await call('startHandling', { requestId: request.id }, 'p-anna');
    await call(
      'proposeSolution',
      {
        requestId: request.id,
        solution: 'Reports > Journal > Export.',
        publishAsArticle: { title: 'Exporting the journal' },
      },
      'p-anna',
    );
    await call('respondToSolution', { requestId: request.id, accepted: true }, 'u-acme');

    const reopened = await call(
      'reopenRequest',
      { requestId: request.id, message: 'The export button is greyed out.' },
      'u-acme',
    );
    expect(reopened).toMatchObject({ status: 'REOPENED', completionReason: null });
    await call('startHandling', { requestId: request.id }, 'p-anna');
    await call(
      'proposeSolution',
      { requestId: request.id, solution: 'You need the role Payroll administrator.' },
      'p-anna',
    );
    await call('respondToSolution', { requestId: request.id, accepted: true }, 'u-acme');

    await call('reopenRequest', { requestId: request.id, message: 'And how do I import one?' }, 'u-acme');
    const result = await ts.client.ok(
      TREAT_AS_NEW,
      {
        input: {
          requestId: request.id,
          title: 'How do I import a journal?',
          description: 'The customer asks how to import a journal.',
        },
      },
      tokens['p-anna'],
    );
    expect(result.treatAsNewRequest.closedRequest).toMatchObject({ status: 'CLOSED', completionReason: 'SOLVED' });
    expect(result.treatAsNewRequest.closedRequest.replies.at(-1)?.body).toContain(
      result.treatAsNewRequest.request.number,
    );
    expect(result.treatAsNewRequest.request).toMatchObject({
      status: 'REGISTERED',
      followUpOf: { id: request.id, number: request.number },
    });
  });

  it('answers an information request from a knowledge article written from an earlier answer', async () => {
    const { knowledgeArticles } = await ts.client.ok(
      ARTICLES,
      { search: 'journal export', first: 5 },
      tokens['p-anna'],
    );
    const article = knowledgeArticles.edges.find((e) => e.node.title === 'Exporting the journal')?.node;
    // Written from an earlier answer as a draft: the desk sees it, customers do not until it is published.
    expect(article).toMatchObject({ published: false });
    const asCustomer = await ts.client.ok(ARTICLES, { search: 'journal export' }, tokens['u-acme']);
    expect(asCustomer.knowledgeArticles.totalCount).toBe(0);
    const { request } = await register(
      { ...completeIncident, type: 'INFORMATION', title: 'Journal export?', description: 'Where?' },
      'u-acme-2',
    );
    await call('prioritiseRequest', { requestId: request.id, priority: 'LOW', justification: 'Question' }, 'p-anna');
    await call('acceptRequest', { requestId: request.id }, 'p-anna');
    await call('startHandling', { requestId: request.id }, 'p-anna');
    const answered = await ts.client.ok(
      ANSWER_FROM_ARTICLE,
      { input: { requestId: request.id, solution: 'See the article.', articleId: article?.id } },
      tokens['p-anna'],
    );
    expect(answered.proposeSolution.request.solutionArticle?.id).toBe(article?.id);
  });

  it('routes a change request to Consulting and closes it by hand with the standard text', async () => {
    const { request } = await register({
      ...completeIncident,
      type: 'CHANGE',
      title: 'Extra pay component for overtime',
      evidence: [],
      requestedPriority: 'MEDIUM',
    });
    expect(request.status).toBe('REGISTERED');
    await call('prioritiseRequest', { requestId: request.id, priority: 'MEDIUM' }, 'p-anna');
    await call('acceptRequest', { requestId: request.id }, 'p-anna');
    await call('startHandling', { requestId: request.id }, 'p-anna');
    const refused = await attempt('handOverRequest', { requestId: request.id, target: 'NOWHERE', note: 'x' }, 'p-anna');
    expect(refused.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(
      (
        await call(
          'handOverRequest',
          { requestId: request.id, target: 'CONSULTING', note: 'Consultancy: configure a new pay component.' },
          'p-anna',
        )
      ).handoverTarget,
    ).toBe('CONSULTING');
    await call(
      'proposeSolution',
      { requestId: request.id, solution: 'Consulting configured the component; see the proposal.' },
      'p-anna',
    );
    const closed = await call('closeRequest', { requestId: request.id, reason: 'SOLVED' }, 'p-anna');
    expect(closed).toMatchObject({ status: 'CLOSED', completionReason: 'SOLVED' });
  });

  it('runs application services: declined without a contract, executed by robot with one', async () => {
    const mutation: RegisterRequestInput = {
      type: 'APPLICATION_SERVICE',
      title: 'Mass salary increase 2%',
      description: 'Apply a 2% increase to all employees of cost centre 100 from January.',
      requestedPriority: 'MEDIUM',
      productId: 'prod-payroll',
    };
    const declined = (await register(mutation, 'u-globex')).request;
    expect(declined).toMatchObject({ status: 'CLOSED', completionReason: 'DECLINED' });
    expect(declined.replies.at(-1)?.body).toMatch(/Application Services-contract/); // Globex reads Dutch

    const { request } = await register(mutation, 'u-acme');
    await call('prioritiseRequest', { requestId: request.id, priority: 'MEDIUM' }, 'p-anna');
    await call('sendInHandlingNotice', { requestId: request.id }, 'p-anna');
    await call('acceptRequest', { requestId: request.id }, 'p-anna');
    await call('startHandling', { requestId: request.id }, 'p-anna');
    const executed = await call(
      'executeMutation',
      { requestId: request.id, executedBy: 'ROBOT', description: '2% increase applied to 214 employees.' },
      'p-anna',
    );
    expect(executed.replies.at(-1)).toMatchObject({
      kind: 'MUTATION_REPORT',
      body: expect.stringContaining('214 employees'),
    });
    expect(await call('respondToSolution', { requestId: request.id, accepted: true }, 'u-acme')).toMatchObject({
      status: 'CLOSED',
      completionReason: 'SOLVED',
    });
  });

  it('refuses a forbidden transition with INVALID_TRANSITION and the allowed actions, and a stale version with CONFLICT, writing nothing', async () => {
    const { request } = await register(completeIncident);
    const early = await attempt('proposeSolution', { requestId: request.id, solution: 'x' }, 'p-anna');
    expect(early.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      from: 'REGISTERED',
      to: 'PROPOSE_SOLUTION',
      allowedTransitions: expect.arrayContaining(['ACCEPT', 'REQUEST_INFORMATION']),
    });
    const unprioritised = await attempt('acceptRequest', { requestId: request.id }, 'p-anna');
    expect(unprioritised.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', missing: ['priority'] });
    const assigned = await call(
      'assignRequest',
      { requestId: request.id, assigneeId: 'p-anna', version: request.version },
      'p-anna',
    );
    const stale = await attempt(
      'prioritiseRequest',
      { requestId: request.id, priority: 'HIGH', version: request.version },
      'p-anna',
    );
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: assigned.version });
    expect(await read(request.id, 'p-anna')).toMatchObject({
      version: assigned.version,
      priority: null,
      status: 'REGISTERED',
    });
  });

  it('applies a priority change agreed in the escalations service, with its justification, as the team manager', async () => {
    const { request } = await register({ ...completeIncident, requestedPriority: 'MEDIUM' });
    await call('prioritiseRequest', { requestId: request.id, priority: 'MEDIUM' }, 'p-anna');
    // What the escalations service publishes when the team manager approves the service manager's ask.
    await ts.stack.services.escalations
      .runtime()
      .uow.run({ actor: 'p-lead', correlationId: randomUUID() }, async (tx) => {
        tx.publish(
          event(PriorityChangeApproved, request.id, {
            askId: randomUUID(),
            requestId: request.id,
            escalationId: null,
            priority: 'HIGH',
            justification: 'agreed in escalation ESC-2026-0001: payroll run at risk',
            askedBy: 'p-sm',
            decidedBy: 'p-lead',
            decidedAt: clock.now().toISOString(),
          }),
        );
      });
    const changed = await waitFor(
      () => read(request.id, 'p-anna'),
      (r) => r.priority === 'HIGH',
      { what: 'the agreed priority' },
    );
    const { request: detail } = await ts.client.ok(DETAIL, { id: changed.id }, tokens['p-anna']);
    expect(detail?.priorityJustification).toBe('agreed in escalation ESC-2026-0001: payroll run at risk');
    expect(detail?.history.at(-1)).toEqual({ action: 'PRIORITISE', actor: { id: 'p-lead', name: 'Lotte Smit' } });
  });

  it('gives the requests linked to a resolved disruption notice the solution and cause, to confirm', async () => {
    const fresh = (await register(completeIncident)).request;
    const handled = (await register(completeIncident)).request;
    await call('prioritiseRequest', { requestId: handled.id, priority: 'HIGH' }, 'p-anna');
    await call('acceptRequest', { requestId: handled.id }, 'p-anna');
    await call('startHandling', { requestId: handled.id }, 'p-anna');
    const withdrawn = (await register(completeIncident)).request;
    await call('closeRequest', { requestId: withdrawn.id, reason: 'WITHDRAWN' }, 'u-acme');
    // What the escalations service publishes when a team manager resolves the notice.
    await ts.stack.services.escalations
      .runtime()
      .uow.run({ actor: 'p-lead', correlationId: randomUUID() }, async (tx) => {
        tx.publish(
          event(DisruptionResolved, randomUUID(), {
            noticeId: randomUUID(),
            number: 'DN-2026-0001',
            productId: 'prod-payroll',
            cause: 'A certificate of the tax office connection expired.',
            solution: 'The certificate was renewed; submit the payroll tax return again.',
            linkedRequestIds: [fresh.id, handled.id, withdrawn.id],
            resolvedAt: clock.now().toISOString(),
            resolvedBy: 'p-lead',
          }),
        );
      });
    for (const id of [fresh.id, handled.id]) {
      const proposed = await waitFor(
        () => read(id, 'u-acme'),
        (r) => r.status === 'SOLUTION_PROPOSED',
        { what: 'the disruption solution' },
      );
      expect(proposed.replies.at(-1)).toMatchObject({
        kind: 'SOLUTION',
        visibility: 'PUBLIC',
        body: expect.stringContaining('certificate of the tax office connection expired'),
      });
      expect(proposed.allowedActions).toEqual(expect.arrayContaining(['ACCEPT_SOLUTION', 'REJECT_SOLUTION']));
    }
    expect(await read(withdrawn.id, 'u-acme')).toMatchObject({ status: 'CLOSED', completionReason: 'WITHDRAWN' });
  });
});
