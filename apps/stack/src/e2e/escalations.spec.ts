import { waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { escalationsOutbox, registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const STEPS = [
  'FACT_FINDING',
  'ALIGNED_WITH_TEAM_LEAD',
  'CUSTOMER_INFORMED',
  'ESCALATED_TO_MANAGER_SERVICE_CENTER',
  'ESCALATED_TO_PRODUCT_OWNER',
];
graphql(`
  fragment EscalationView on Escalation {
    id number status customer { id name } openedBy { id name } version nextStep steps { step by { id } at note } requests { id number }
  }`);
graphql(`fragment AskView on Ask { id kind status priority decidedBy { id name } tookEffectAt escalation { number } }`);
const ASK_STATUS_UPDATE = graphql(`
  mutation EscAskStatusUpdate($input: AskStatusUpdateInput!) { askStatusUpdate(input: $input) { ask { id } } }`);
const RECORD_STEP = graphql(`
  mutation EscRecordStep($input: RecordEscalationStepInput!) { recordEscalationStep(input: $input) { escalation { ...EscalationView } } }`);
const OPEN = graphql(`
  mutation EscOpen($input: OpenEscalationInput!) { openEscalation(input: $input) { escalation { ...EscalationView } } }`);
const CLOSE = graphql(`
  mutation EscClose($input: CloseEscalationInput!) { closeEscalation(input: $input) { escalation { status outcome nextStep } } }`);
const REQUEST_ESCALATIONS = graphql(`
  query EscOnRequest($id: ID) { request(id: $id) { escalations { number status steps { step by { id } at note } } } }`);
const VISIBLE = graphql(`
  query EscVisible($n: String, $filter: EscalationFilter) { escalation(number: $n) { number } escalations(filter: $filter) { totalCount } }`);
const LIST = graphql(`
  query EscList($filter: EscalationFilter, $first: Int) { escalations(filter: $filter, first: $first) { totalCount nodes { number } } }`);
const ASK_PRIORITY = graphql(`
  mutation EscAskPriority($input: AskPriorityChangeInput!) { askPriorityChange(input: $input) { ask { ...AskView } } }`);
const DECIDE_PRIORITY = graphql(`
  mutation EscDecidePriority($input: DecidePriorityChangeInput!) { decidePriorityChange(input: $input) { ask { ...AskView } } }`);
const ASK_TOOK_EFFECT = graphql(`query EscAskTookEffect($id: ID!) { ask(id: $id) { tookEffectAt } }`);
const REQUEST_PRIORITY = graphql(`query EscRequestPriority($id: ID) { request(id: $id) { priority } }`);
const ASKS = graphql(
  `query EscAsks($r: ID, $status: AskStatus) { asks(requestId: $r, status: $status) { id kind status } }`,
);
const ANSWER = graphql(`
  mutation EscAnswer($input: AnswerStatusUpdateInput!) { answerStatusUpdate(input: $input) { ask { status answer } } }`);
const LOG_URGENT_CALL = graphql(`
  mutation EscLogUrgentCall($input: LogUrgentCallInput!) {
    logUrgentCall(input: $input) { urgentCall { assessedImpact priorityAtCall impactHigherThanPriority request { number } } }
  }`);

describe('customer escalations and asks through the gateway', () => {
  let ts: TestStack;
  let tokens: Record<string, string>;
  let request: { id: string; number: string; status: string };

  const register = (title: string) => registerPayrollIncident(ts, tokens['u-acme'], title);

  /** The escalations service knows a request once its read model got the registration. */
  const known = (id: string) =>
    waitFor(
      () =>
        ts.client.request(
          ASK_STATUS_UPDATE,
          { input: { requestId: id, question: 'Is anyone on it?' } },
          tokens['p-sm'],
        ),
      (r) => !r.errors,
      { what: 'the request in the escalations read model' },
    );

  const step = (escalationId: string, s: string, note: string, who = 'p-sm', version?: number) =>
    ts.client.request(
      RECORD_STEP,
      { input: { escalationId, step: s, note, ...(version !== undefined ? { version } : {}) } },
      tokens[who],
    );

  beforeAll(async () => {
    ts = await startTestStack();
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'p-sm', 'p-lead', 'p-anna', 'p-msc', 'u-globex']);
    request = await register('Payroll run stops at step 3');
    await known(request.id);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('refuses an escalation on a request that was never registered: the customer must register one first', async () => {
    const open = (input: Record<string, unknown>) =>
      ts.client.request(
        OPEN,
        { input: { reason: 'x', businessImpact: 'y', desiredOutcome: 'z', ...input } },
        tokens['p-sm'],
      );
    for (const input of [
      { requestNumbers: ['SC-2026-999999'] },
      { requestIds: ['00000000-0000-4000-8000-000000000000'] },
    ]) {
      const refused = await open(input);
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0].message).toMatch(/must register a request first/);
    }
  });

  it('refuses an escalation opened by the desk: the customer (R), its service manager and the manager Service Center open one (raci.csv rows 105, 106)', async () => {
    for (const who of ['p-lead', 'p-anna']) {
      const refused = await ts.client.request(
        OPEN,
        { input: { requestIds: [request.id], reason: 'x', businessImpact: 'y', desiredOutcome: 'z' } },
        tokens[who],
      );
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('walks an escalation through all five steps in order and closes it; the request shows it', async () => {
    const { openEscalation } = await ts.client.ok(
      OPEN,
      {
        input: {
          requestNumbers: [request.number],
          reason: 'Payroll run at risk',
          businessImpact: '1,200 salaries on Friday',
          desiredOutcome: 'A workaround before Thursday',
        },
      },
      tokens['p-sm'],
    );
    const opened = openEscalation.escalation;
    expect(opened).toMatchObject({
      status: 'OPEN',
      // References to the directory's entities, resolved by the requests subgraph.
      customer: { id: 'cust-acme', name: expect.any(String) },
      openedBy: { id: 'p-sm', name: 'Sanne Bos' },
      nextStep: 'FACT_FINDING',
      steps: [],
      requests: [{ id: request.id, number: request.number }],
    });
    expect(opened.number).toMatch(/^ESC-\d{4}-0001$/);

    // Out of order: the answer names the allowed next step.
    const skipped = await step(opened.id, 'CUSTOMER_INFORMED', 'too early');
    expect(skipped.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      allowedTransitions: ['FACT_FINDING'],
    });

    let version = opened.version;
    for (const [i, s] of STEPS.entries()) {
      const result = await step(opened.id, s, `note ${i + 1}`, i === 3 ? 'p-msc' : 'p-sm', version);
      expect(result.errors).toBeUndefined();
      version = result.data!.recordEscalationStep.escalation.version;
    }
    // A stale version is a conflict; a step again is out of order.
    expect((await step(opened.id, 'FACT_FINDING', 'again', 'p-sm', opened.version)).errors?.[0].extensions?.code).toBe(
      'CONFLICT',
    );
    const again = await step(opened.id, 'FACT_FINDING', 'again');
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', allowedTransitions: [] });

    const { closeEscalation } = await ts.client.ok(
      CLOSE,
      { input: { escalationId: opened.id, outcome: 'Workaround delivered; payroll ran on time' } },
      tokens['p-sm'],
    );
    expect(closeEscalation.escalation).toMatchObject({
      status: 'CLOSED',
      outcome: 'Workaround delivered; payroll ran on time',
      nextStep: null,
    });

    const { request: onRequest } = await ts.client.ok(REQUEST_ESCALATIONS, { id: request.id }, tokens['p-anna']);
    const seen = { escalations: onRequest?.escalations ?? [] };
    expect(onRequest?.escalations).toHaveLength(1);
    expect(seen.escalations[0]).toMatchObject({ number: opened.number, status: 'CLOSED' });
    expect(seen.escalations[0].steps.map((s) => s.step)).toEqual(STEPS);
    expect(seen.escalations[0].steps.map((s) => s.by?.id)).toEqual(['p-sm', 'p-sm', 'p-sm', 'p-msc', 'p-sm']);
    expect(
      seen.escalations[0].steps.every((s, i) => s.note === `note ${i + 1}` && !Number.isNaN(Date.parse(s.at))),
    ).toBe(true);

    // Customers read their own organisation's escalations (read-only); others see none.
    const own = await ts.client.ok(VISIBLE, { n: opened.number, filter: { requestId: request.id } }, tokens['u-acme']);
    expect(own).toEqual({ escalation: { number: opened.number }, escalations: { totalCount: 1 } });
    const other = await ts.client.ok(VISIBLE, { n: opened.number }, tokens['u-globex']);
    expect(other).toEqual({ escalation: null, escalations: { totalCount: 0 } });
    expect((await step(opened.id, 'FACT_FINDING', 'x', 'u-acme')).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const { escalations } = await ts.client.ok(
      LIST,
      { filter: { status: 'CLOSED', customerId: 'cust-acme' }, first: 5 },
      tokens['p-lead'],
    );
    expect(escalations).toEqual({ totalCount: 1, nodes: [{ number: opened.number }] });
  });

  it('publishes an approved priority change agreed in an escalation, decided by the team manager', async () => {
    const { openEscalation } = await ts.client.ok(
      OPEN,
      {
        input: {
          requestIds: [request.id],
          reason: 'Payroll run at risk again',
          businessImpact: 'Salaries',
          desiredOutcome: 'High priority',
        },
      },
      tokens['p-sm'],
    );
    const escalation = openEscalation.escalation;
    const ask = async (who: string) =>
      ts.client.request(
        ASK_PRIORITY,
        {
          input: {
            requestId: request.id,
            priority: 'HIGH',
            reason: 'payroll run at risk',
            escalationId: escalation.id,
          },
        },
        tokens[who],
      );
    expect((await ask('p-lead')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const asked = (await ask('p-sm')).data!.askPriorityChange.ask;
    expect(asked).toMatchObject({
      kind: 'PRIORITY_CHANGE',
      status: 'ASKED',
      priority: 'HIGH',
      escalation: { number: escalation.number },
    });

    const decide = (who: string) =>
      ts.client.request(
        DECIDE_PRIORITY,
        { input: { askId: asked.id, approve: true, reason: 'Agreed: payroll first' } },
        tokens[who],
      );
    expect((await decide('p-sm')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await decide('p-lead')).data?.decidePriorityChange.ask).toMatchObject({
      status: 'APPROVED',
      decidedBy: { id: 'p-lead', name: 'Lotte Smit' },
    });
    expect((await decide('p-lead')).errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');

    const rows = await waitFor(
      () => escalationsOutbox(ts, 'servicecenter.escalation.priority-change-approved.v1'),
      (r) => r.length === 1 && r[0].published,
      { what: 'the published PriorityChangeApproved event' },
    );
    expect(rows[0].envelope.data).toMatchObject({
      askId: asked.id,
      requestId: request.id,
      escalationId: escalation.id,
      priority: 'HIGH',
      justification: `agreed in escalation ${escalation.number}: payroll run at risk`,
      askedBy: 'p-sm',
      decidedBy: 'p-lead',
    });

    // The requests service applies it (its consumer) and reports back with request.prioritised.
    const took = await waitFor(
      () => ts.client.ok(ASK_TOOK_EFFECT, { id: asked.id }, tokens['p-sm']),
      (r) => r.ask?.tookEffectAt != null,
      { what: 'the ask taking effect on the request' },
    );
    expect(Date.parse(took.ask?.tookEffectAt as string)).not.toBeNaN();
    const { request: onRequest } = await ts.client.ok(REQUEST_PRIORITY, { id: request.id }, tokens['p-anna']);
    expect(onRequest?.priority).toBe('HIGH');
  });

  it('answers a status-update ask, and logs an urgent call against the current priority', async () => {
    const { asks } = await ts.client.ok(ASKS, { r: request.id, status: 'ASKED' }, tokens['p-lead']);
    const statusAsk = asks.find((a) => a.kind === 'STATUS_UPDATE');
    expect(statusAsk).toBeDefined();
    const { answerStatusUpdate } = await ts.client.ok(
      ANSWER,
      { input: { askId: statusAsk!.id, answer: 'A fix is in test; expected Thursday.' } },
      tokens['p-lead'],
    );
    expect(answerStatusUpdate.ask).toEqual({ status: 'ANSWERED', answer: 'A fix is in test; expected Thursday.' });
    expect((await ts.client.request(ASKS, { r: request.id }, tokens['u-acme'])).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );

    const fresh = await register('Payslips show last month');
    await known(fresh.id);
    const { logUrgentCall } = await ts.client.ok(
      LOG_URGENT_CALL,
      {
        input: {
          requestId: fresh.id,
          customerContact: 'Alice Acme, +31 20 555 0100',
          summary: 'Payslips wrong for all employees',
          assessedImpact: 'HIGH',
        },
      },
      tokens['p-sm'],
    );
    expect(logUrgentCall.urgentCall).toMatchObject({
      assessedImpact: 'HIGH',
      priorityAtCall: 'MEDIUM',
      impactHigherThanPriority: true,
      request: { number: fresh.number },
    });
  });

  it('lets the customer escalate its own request (raci.csv row 105); another customer finds no such request', async () => {
    const open = (who: string) =>
      ts.client.request(
        OPEN,
        {
          input: {
            requestIds: [request.id],
            reason: 'Our payroll run is at risk',
            businessImpact: 'Salaries on Friday',
            desiredOutcome: 'A workaround before Thursday',
          },
        },
        tokens[who],
      );
    const other = await open('u-globex');
    expect(other.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const own = await open('u-acme');
    expect(own.errors).toBeUndefined();
    expect(own.data?.openEscalation.escalation).toMatchObject({
      status: 'OPEN',
      customer: { id: 'cust-acme' },
      nextStep: 'FACT_FINDING',
      requests: [{ id: request.id, number: request.number }],
    });
    // The customer does not take the service manager's steps.
    const stepByCustomer = await step(own.data!.openEscalation.escalation.id, 'FACT_FINDING', 'x', 'u-acme');
    expect(stepByCustomer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
