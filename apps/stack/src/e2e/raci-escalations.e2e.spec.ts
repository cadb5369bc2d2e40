import { RACI_MATRIX, RACI_ROLES, rolesWith, type RaciRole, type Role } from '@servicecenter/platform-auth';
import { REPORTING_RACI_ROWS } from '@servicecenter/reporting';
import { ESCALATIONS_RACI_ROWS, escalationsRights } from '@servicecenter/escalations';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, directoryKnown } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

// Stays on string operations: the row walk builds each operation from the RACI matrix at run time.
const HOUR = 60 * 60 * 1000;
const NOBODY = '00000000-0000-4000-8000-000000000000';

/**
 * One schema-valid call per operation, about things that do not exist: the rights are checked before
 * anything is looked up, so a refused role gets FORBIDDEN and an allowed one gets past the check (and then
 * BAD_USER_INPUT or NOT_FOUND). Nothing is written either way.
 */
const CALLS: Record<string, { query: string; variables: Record<string, unknown> }> = {
  attentionList: { query: `{ attentionList(first: 1) { totalCount } }`, variables: {} },
  reviewAlignments: {
    query: `{ reviewAlignments(customerId: "cust-nobody", first: 1) { totalCount } }`,
    variables: {},
  },
  reviewActionPoints: {
    query: `{ reviewActionPoints(customerId: "cust-nobody", first: 1) { totalCount } }`,
    variables: {},
  },
  ...Object.fromEntries(
    (
      [
        [
          'openEscalation',
          'OpenEscalationInput',
          { requestIds: [NOBODY], reason: 'r', businessImpact: 'b', desiredOutcome: 'd' },
        ],
        [
          'recordEscalationStep',
          'RecordEscalationStepInput',
          { escalationId: NOBODY, step: 'FACT_FINDING', note: 'n' },
        ],
        ['closeEscalation', 'CloseEscalationInput', { escalationId: NOBODY, outcome: 'o' }],
        ['askPriorityChange', 'AskPriorityChangeInput', { requestId: NOBODY, priority: 'HIGH', reason: 'r' }],
        ['askStatusUpdate', 'AskStatusUpdateInput', { requestId: NOBODY, question: 'q' }],
        ['decidePriorityChange', 'DecidePriorityChangeInput', { askId: NOBODY, approve: true, reason: 'r' }],
        ['answerStatusUpdate', 'AnswerStatusUpdateInput', { askId: NOBODY, answer: 'a' }],
        [
          'logUrgentCall',
          'LogUrgentCallInput',
          { requestId: NOBODY, customerContact: 'c', summary: 's', assessedImpact: 'HIGH' },
        ],
        [
          'communicateWithCustomer',
          'CommunicateWithCustomerInput',
          { context: 'FEEDBACK', requestId: NOBODY, message: 'm' },
        ],
        [
          'openDisruptionNotice',
          'OpenDisruptionNoticeInput',
          { productId: 'prod-nobody', source: 'MONITORING', title: 't' },
        ],
        [
          'publishDisruptionNotice',
          'PublishDisruptionNoticeInput',
          { noticeId: NOBODY, nextUpdateDueAt: '2026-06-02T09:00:00Z' },
        ],
        [
          'postDisruptionUpdate',
          'PostDisruptionUpdateInput',
          { noticeId: NOBODY, message: 'm', nextUpdateDueAt: '2026-06-02T09:00:00Z' },
        ],
        ['instructDisruptionAnalysis', 'InstructDisruptionAnalysisInput', { noticeId: NOBODY, instruction: 'i' }],
        ['startDisruptionAnalysis', 'StartDisruptionAnalysisInput', { noticeId: NOBODY, note: 'n' }],
        ['linkRequestToDisruption', 'LinkRequestToDisruptionInput', { noticeId: NOBODY, requestId: NOBODY }],
        ['resolveDisruptionNotice', 'ResolveDisruptionNoticeInput', { noticeId: NOBODY, cause: 'c', solution: 's' }],
        [
          'recordReviewAlignment',
          'RecordReviewAlignmentInput',
          { customerId: 'cust-nobody', quarter: '2026-Q2', party: 'CUSTOMER_SUCCESS_MANAGER', note: 'n' },
        ],
        [
          'addReviewActionPoint',
          'AddReviewActionPointInput',
          {
            customerId: 'cust-nobody',
            quarter: '2026-Q2',
            description: 'd',
            owner: 'o',
            dueAt: '2026-07-01T00:00:00Z',
          },
        ],
        [
          'followUpReviewActionPoint',
          'FollowUpReviewActionPointInput',
          { actionPointId: NOBODY, note: 'n', status: 'OPEN' },
        ],
        [
          'recordReviewConversation',
          'RecordReviewConversationInput',
          { customerId: 'cust-nobody', quarter: '2026-Q2', summary: 's' },
        ],
      ] as const
    ).map(([name, type, input]) => [
      name,
      { query: `mutation($input: ${type}!) { ${name}(input: $input) { __typename } }`, variables: { input } },
    ]),
  ),
};

const OPERATIONS = [...new Set(ESCALATIONS_RACI_ROWS.flatMap((r) => r.operations))].sort();
/** Queries: read by every letter of their rows (and the exceptions); the mutations by R, A and the exceptions. */
const QUERIES = new Set(['attentionList', 'reviewAlignments', 'reviewActionPoints']);

describe('the RACI rows of escalations and reporting', () => {
  it('declares each row of their processes (raci.csv 94–131) exactly once between the two services', () => {
    const processes = new Set(RACI_MATRIX.filter((r) => r.row >= 94).map((r) => r.process));
    expect([...processes]).toEqual([
      'feedback_on_requests',
      'urgent_disruption_call',
      'customer_escalation',
      'service_management_review',
      'disruption_communication',
    ]);
    const declared = [...ESCALATIONS_RACI_ROWS, ...REPORTING_RACI_ROWS].map((r) => r.row).sort((a, b) => a - b);
    expect(declared).toEqual(RACI_MATRIX.filter((r) => processes.has(r.process)).map((r) => r.row));
  });
});

describe('the RACI matrix as the rule: escalations rows through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-06-02T08:00:00Z');
  let tokens: Record<string, string>;
  /** A token per RACI column, for people outside the desk fixture. */
  const byRole: Record<string, string> = {};
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  const call = (name: string, input: Record<string, unknown>, who: string, select = '__typename') => {
    const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    return ts.client.request<Record<string, Record<string, unknown>>>(
      `mutation($input: ${type}!) { ${name}(input: $input) { ${select} } }`,
      { input },
      tokens[who] ?? byRole[who],
    );
  };
  const ok = async <T>(name: string, input: Record<string, unknown>, who: string, select: string) => {
    const result = await call(name, input, who, select);
    if (result.errors?.length) throw new Error(`${name} as ${who}: ${JSON.stringify(result.errors)}`);
    return (result.data as Record<string, T>)[name];
  };
  const notifications = async (who: string) =>
    (
      await ts.client.ok<{
        myNotifications: { nodes: { kind: string; title: string; message: string; link: string }[] };
      }>(`{ myNotifications(first: 100) { nodes { kind title message link } } }`, {}, tokens[who] ?? byRole[who])
    ).myNotifications.nodes;
  const inReadModel = (requestId: string) =>
    waitFor(
      async () =>
        (
          (await ts.stack.services.escalations
            .runtime()
            .dataSource.query(`SELECT count(*)::int AS n FROM request_view WHERE request_id = $1`, [requestId])) as {
            n: number;
          }[]
        )[0].n,
      (n) => n === 1,
      { what: 'the request in the escalations read model' },
    );

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    tokens = await tokensFor(ts.client, [
      'u-acme',
      'u-globex',
      'p-sm',
      'p-msm',
      'p-msc',
      'p-lead',
      'p-anna',
      'p-po',
      'p-pd',
    ]);
    for (const role of RACI_ROLES)
      byRole[role] = await ts.client.token(role as Role, {
        sub: `raci-${role}`,
        ...(role === 'customer' ? { customerId: 'cust-acme' } : {}),
      });
    tokens['p-labs'] = await ts.client.token('labs_director', { sub: 'p-labs' });
    tokens['p-csm'] = await ts.client.token('customer_success_manager', { sub: 'p-csm' });
    // p-csm is Acme's customer success manager: it is informed of what concerns Acme.
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
    await waitFor(
      async () =>
        (
          (await ts.stack.services.escalations
            .runtime()
            .dataSource.query(
              `SELECT customer_success_manager_id AS csm FROM customer_relation WHERE customer_id = 'cust-acme'`,
            )) as {
            csm: string | null;
          }[]
        )[0]?.csm,
      (csm) => csm === 'p-csm',
      { what: "Acme's customer success manager in the escalations read model" },
    );
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('has a call for every operation its rows name', () => {
    expect(OPERATIONS.filter((op) => !CALLS[op])).toEqual([]);
  });

  describe.each(OPERATIONS)('%s', (operation) => {
    const rows = escalationsRights.rowsOf(operation);
    const allowed = new Set<string>(
      QUERIES.has(operation) ? escalationsRights.readers(rows) : escalationsRights.actors(rows),
    );

    it(`lets the R and A roles (and the declared exceptions) of rows ${rows.join(', ')} past the rights, and refuses every other role with FORBIDDEN`, async () => {
      const answers: Record<string, string> = {};
      for (const role of RACI_ROLES) {
        const result = await ts.client.request(CALLS[operation].query, CALLS[operation].variables, byRole[role]);
        answers[role] = (result.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';
      }
      const expected = Object.fromEntries(
        RACI_ROLES.map((role) => [role, allowed.has(role) ? expect.not.stringMatching(/^FORBIDDEN$/) : 'FORBIDDEN']),
      );
      expect(answers).toEqual(expected);
      // Every R and A of the rows is among the allowed: the matrix is the rule, not a subset of it.
      for (const row of rows) for (const role of rolesWith(row, ['R', 'A'])) expect(allowed.has(role)).toBe(true);
    });
  });

  describe('the cases of issue 18', () => {
    let request: { id: string; number: string };

    beforeAll(async () => {
      request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3', 'HIGH');
      await inReadModel(request.id);
    });

    it('rows 96, 99: the service manager writes to the customer; the customer reads and is notified of the text, support and team lead informed', async () => {
      const message = 'We raised the priority with the payroll team; you hear from us before 14:00.';
      const sent = await ok<{ communication: { id: string; context: string; message: string; by: { id: string } } }>(
        'communicateWithCustomer',
        { context: 'FEEDBACK', requestId: request.id, message },
        'p-sm',
        'communication { id context message by { id } requestNumber }',
      );
      expect(sent.communication).toMatchObject({ context: 'FEEDBACK', message, by: { id: 'p-sm' } });
      // The customer reads it on its request; another customer reads nothing.
      const read = (who: string) =>
        ts.client.ok<{ customerCommunications: { totalCount: number; nodes: { message: string }[] } }>(
          `query($r: ID) { customerCommunications(requestId: $r, first: 10) { totalCount nodes { message } } }`,
          { r: request.id },
          tokens[who],
        );
      expect((await read('u-acme')).customerCommunications.nodes).toEqual([{ message }]);
      expect((await read('u-globex')).customerCommunications.totalCount).toBe(0);
      // The customer's notification carries the message, not a generic "there is an update".
      expect(await notifications('u-acme')).toContainEqual(
        expect.objectContaining({ kind: 'CUSTOMER_COMMUNICATION_FEEDBACK', message }),
      );
      for (const who of ['p-anna', 'p-lead'])
        expect((await notifications(who)).map((n) => n.kind)).toContain('CUSTOMER_COMMUNICATION_FEEDBACK');
      // The team lead has no letter on rows 96 and 99.
      const byLead = await call(
        'communicateWithCustomer',
        { context: 'FEEDBACK', requestId: request.id, message: 'x' },
        'p-lead',
      );
      expect(byLead.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it('row 104: a message after an urgent call needs the call logged; row 103: the ask on it informs product development and the labs director', async () => {
      const early = await call(
        'communicateWithCustomer',
        { context: 'URGENT_CALL', requestId: request.id, message: 'We are on it' },
        'p-sm',
      );
      expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.requestId' });
      await ok(
        'logUrgentCall',
        { requestId: request.id, customerContact: 'Alice Acme', summary: 'Payroll stops', assessedImpact: 'HIGH' },
        'p-sm',
        '__typename',
      );
      await ok(
        'communicateWithCustomer',
        { context: 'URGENT_CALL', requestId: request.id, message: 'The team is on it; next update at 12:00.' },
        'p-sm',
        '__typename',
      );
      expect(await notifications('u-acme')).toContainEqual(
        expect.objectContaining({
          kind: 'CUSTOMER_COMMUNICATION_URGENT_CALL',
          message: 'The team is on it; next update at 12:00.',
        }),
      );
      for (const who of ['p-pd', 'p-po', 'p-labs'])
        expect((await notifications(who)).map((n) => n.kind)).not.toContain('URGENT_CALL_ASK');
      await ok('askStatusUpdate', { requestId: request.id, question: 'When is the fix there?' }, 'p-sm', '__typename');
      for (const who of ['p-pd', 'p-po', 'p-labs'])
        expect(await notifications(who)).toContainEqual(
          expect.objectContaining({ kind: 'URGENT_CALL_ASK', link: `request:${request.id}` }),
        );
    });

    it("row 98: only the team lead of the product's team (or the manager Service Center) decides an ask", async () => {
      // A team lead of another team, announced by the directory with its team.
      const admin = await ts.client.token('admin', { sub: 'p-admin' });
      await ts.client.ok(
        `mutation($input: CreatePersonInput!) { createPerson(input: $input) { __typename } }`,
        {
          input: {
            id: 'p-lead-hr',
            name: 'Hanna Ruiter',
            email: 'p-lead-hr@servicecenter.example',
            roles: ['TEAM_LEAD'],
            teamIds: ['team-hr'],
          },
        },
        admin,
      );
      await directoryKnown(ts.stack, { personIds: ['p-lead-hr'] });
      tokens['p-lead-hr'] = await ts.client.token('team_lead', { sub: 'p-lead-hr' });
      const { ask } = await ok<{ ask: { id: string } }>(
        'askPriorityChange',
        { requestId: request.id, priority: 'MEDIUM', reason: 'The customer has a workaround' },
        'p-sm',
        'ask { id }',
      );
      const decide = (who: string) =>
        call(
          'decidePriorityChange',
          { askId: ask.id, approve: false, reason: 'Stays High' },
          who,
          'ask { status decidedBy { id } }',
        );
      // The HR lead, and a team lead the directory never placed in a team, are refused: payroll is not theirs.
      expect((await decide('p-lead-hr')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await decide('team_lead')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const byOwnLead = await decide('p-lead');
      expect(byOwnLead.errors).toBeUndefined();
      expect(byOwnLead.data?.decidePriorityChange.ask).toEqual({ status: 'REJECTED', decidedBy: { id: 'p-lead' } });
    });

    it('row 114: the manager Service Management asks the team leads for a status update', async () => {
      const asked = await ok<{ ask: { kind: string; status: string } }>(
        'askStatusUpdate',
        { requestId: request.id, question: 'Open requests for the review: where does this one stand?' },
        'p-msm',
        'ask { kind status }',
      );
      expect(asked.ask).toEqual({ kind: 'STATUS_UPDATE', status: 'ASKED' });
    });

    it('row 109: the service manager tells the customer on an escalation; the customer reads it there', async () => {
      const { escalation } = await ok<{ escalation: { id: string } }>(
        'openEscalation',
        { requestIds: [request.id], reason: 'Payroll at risk', businessImpact: 'Salaries', desiredOutcome: 'A fix' },
        'u-acme',
        'escalation { id }',
      );
      await ok(
        'communicateWithCustomer',
        { context: 'ESCALATION', escalationId: escalation.id, message: 'A workaround comes tomorrow morning.' },
        'p-sm',
        '__typename',
      );
      const read = await ts.client.ok<{ customerCommunications: { nodes: { message: string; context: string }[] } }>(
        `query($e: ID) { customerCommunications(escalationId: $e, first: 10) { nodes { message context } } }`,
        { e: escalation.id },
        tokens['u-acme'],
      );
      expect(read.customerCommunications.nodes).toEqual([
        { message: 'A workaround comes tomorrow morning.', context: 'ESCALATION' },
      ]);
      // The service manager takes the escalation's steps 107–109 (108 and 109 by DOMAIN.md's prose).
      for (const step of ['FACT_FINDING', 'ALIGNED_WITH_TEAM_LEAD', 'CUSTOMER_INFORMED'])
        await ok(
          'recordEscalationStep',
          { escalationId: escalation.id, step, note: `${step} done` },
          'p-sm',
          '__typename',
        );
    });

    it('rows 111, 115, 117, 118: the review is followed up: alignments recorded, action points communicated to the customer, the conversation logged for the CSM', async () => {
      const alignment = await ok<{ alignment: { party: string; by: { id: string } } }>(
        'recordReviewAlignment',
        {
          customerId: 'cust-acme',
          quarter: '2026-Q2',
          party: 'PRODUCT_OWNER',
          note: 'Export fix planned in sprint 14',
        },
        'p-sm',
        'alignment { party by { id } }',
      );
      expect(alignment.alignment).toEqual({ party: 'PRODUCT_OWNER', by: { id: 'p-sm' } });
      // The product owner, Consulted on row 115, reads the alignment; a support consultant has no letter there.
      const alignments = (who: string) =>
        ts.client.request<{ reviewAlignments: { nodes: { note: string }[] } }>(
          `{ reviewAlignments(customerId: "cust-acme", quarter: "2026-Q2", first: 10) { nodes { note } } }`,
          {},
          tokens[who],
        );
      expect((await alignments('p-po')).data?.reviewAlignments.nodes).toEqual([
        { note: 'Export fix planned in sprint 14' },
      ]);
      expect((await alignments('p-anna')).errors?.[0].extensions?.code).toBe('FORBIDDEN');

      const added = await ok<{ actionPoint: { id: string; status: string; version: number } }>(
        'addReviewActionPoint',
        {
          customerId: 'cust-acme',
          quarter: '2026-Q2',
          description: 'Send the list of open payroll requests every Monday',
          owner: 'Sanne Bos',
          dueAt: later(14 * 24 * HOUR),
        },
        'p-sm',
        'actionPoint { id status version }',
      );
      expect(added.actionPoint.status).toBe('OPEN');
      expect(await notifications('u-acme')).toContainEqual(
        expect.objectContaining({
          kind: 'REVIEW_ACTION_POINT',
          message: expect.stringContaining('Send the list of open payroll requests every Monday'),
        }),
      );
      // The team lead (Consulted) follows it up; the customer reads the action point and hears of it.
      await ok(
        'followUpReviewActionPoint',
        {
          actionPointId: added.actionPoint.id,
          note: 'First list sent',
          status: 'DONE',
          version: added.actionPoint.version,
        },
        'p-lead',
        '__typename',
      );
      const points = await ts.client.ok<{
        reviewActionPoints: { nodes: { status: string; followUps: { note: string }[] }[] };
      }>(
        `{ reviewActionPoints(customerId: "cust-acme", first: 10) { nodes { status followUps { note } } } }`,
        {},
        tokens['u-acme'],
      );
      expect(points.reviewActionPoints.nodes).toEqual([{ status: 'DONE', followUps: [{ note: 'First list sent' }] }]);
      expect(
        (
          await ts.client.request(
            `{ reviewActionPoints(customerId: "cust-acme", first: 10) { totalCount } }`,
            {},
            tokens['u-globex'],
          )
        ).data,
      ).toEqual({ reviewActionPoints: { totalCount: 0 } });
      expect((await notifications('u-acme')).filter((n) => n.kind === 'REVIEW_ACTION_POINT')).toHaveLength(2);

      // Row 118: the conversation goes into the customer's communication log; the CSM is informed; the customer does not see the record.
      await ok(
        'recordReviewConversation',
        { customerId: 'cust-acme', quarter: '2026-Q2', summary: 'Discussed the SLA figures; the customer is content.' },
        'p-msm',
        '__typename',
      );
      const log = (who: string) =>
        ts.client.ok<{ customerCommunications: { nodes: { context: string }[] } }>(
          `{ customerCommunications(customerId: "cust-acme", first: 50) { nodes { context } } }`,
          {},
          tokens[who],
        );
      expect((await log('p-sm')).customerCommunications.nodes.map((n) => n.context)).toContain('REVIEW');
      expect((await log('u-acme')).customerCommunications.nodes.map((n) => n.context)).not.toContain('REVIEW');
      expect((await notifications('p-csm')).map((n) => n.kind)).toContain('REVIEW_CONVERSATION_RECORDED');
    });

    it('rows 119–126: the service manager publishes with a community link; the team lead instructs product development, which starts, updates and resolves', async () => {
      const NOTICE =
        'notice { id status communityPostUrl analysisInstruction analysisStartedBy { id } resolvedBy { id } updates { by { id } } }';
      type Notice = {
        notice: {
          id: string;
          status: string;
          communityPostUrl: string | null;
          analysisInstruction: string | null;
          analysisStartedBy: { id: string } | null;
          resolvedBy: { id: string } | null;
          updates: { by: { id: string } }[];
        };
      };
      const { notice: draft } = await ok<Notice>(
        'openDisruptionNotice',
        {
          productId: 'prod-payroll',
          source: 'CUSTOMER_REPORT',
          title: 'Payroll runs fail',
          startedAt: later(-HOUR),
          userExperience: 'The payroll run stops at step 3',
        },
        'p-sm',
        NOTICE,
      );
      await ok('linkRequestToDisruption', { noticeId: draft.id, requestId: request.id }, 'p-anna', '__typename');
      const badLink = await call(
        'publishDisruptionNotice',
        { noticeId: draft.id, nextUpdateDueAt: later(HOUR), communityPostUrl: 'javascript:alert(1)' },
        'p-sm',
      );
      expect(badLink.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.communityPostUrl' });
      const community = 'https://community.example/payroll/disruption-2026-06-02';
      const published = await ok<Notice>(
        'publishDisruptionNotice',
        { noticeId: draft.id, nextUpdateDueAt: later(HOUR), communityPostUrl: community },
        'p-sm',
        NOTICE,
      );
      expect(published.notice).toMatchObject({ status: 'PUBLISHED', communityPostUrl: community });
      expect((await notifications('u-acme')).find((n) => n.kind === 'DISRUPTION_PUBLISHED')?.message).toContain(
        community,
      );

      // Row 122 before 121: product development starts what it was instructed to do.
      const tooSoon = await call('startDisruptionAnalysis', { noticeId: draft.id, note: 'Looking' }, 'p-po');
      expect(tooSoon.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      const instructed = await ok<Notice>(
        'instructDisruptionAnalysis',
        { noticeId: draft.id, instruction: 'Find why payroll stops at step 3' },
        'p-lead',
        NOTICE,
      );
      expect(instructed.notice.analysisInstruction).toBe('Find why payroll stops at step 3');
      expect((await notifications('p-po')).map((n) => n.kind)).toContain('DISRUPTION_ANALYSIS_INSTRUCTED');
      // The team lead is Informed on row 122, not Responsible.
      const byLead = await call('startDisruptionAnalysis', { noticeId: draft.id, note: 'x' }, 'p-lead');
      expect(byLead.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const started = await ok<Notice>(
        'startDisruptionAnalysis',
        { noticeId: draft.id, note: 'Logs pulled' },
        'p-po',
        NOTICE,
      );
      expect(started.notice.analysisStartedBy).toEqual({ id: 'p-po' });
      for (const who of ['p-anna', 'p-lead'])
        expect((await notifications(who)).map((n) => n.kind)).toContain('DISRUPTION_ANALYSIS_STARTED');

      // Rows 124, 125: the product owner (Consulted) posts the analysis' progress; row 126: and resolves.
      const updated = await ok<Notice>(
        'postDisruptionUpdate',
        { noticeId: draft.id, message: 'The cause is a full disk', nextUpdateDueAt: later(4 * HOUR) },
        'p-po',
        NOTICE,
      );
      expect(updated.notice.updates).toEqual([{ by: { id: 'p-po' } }]);
      const resolved = await ok<Notice>(
        'resolveDisruptionNotice',
        { noticeId: draft.id, cause: 'A full disk', solution: 'Room was made' },
        'p-po',
        NOTICE,
      );
      expect(resolved.notice).toMatchObject({ status: 'RESOLVED', resolvedBy: { id: 'p-po' } });
      // Row 128: 4 hours after the solution the notice closes by itself (its timer, fired here at once).
      clock.advance(4 * HOUR + 60_000);
      await ts.stack.services.escalations.runtime().timers.runDue();
      const closed = await ts.client.ok<{ disruptionNotice: { status: string } }>(
        `query($id: ID) { disruptionNotice(id: $id) { status } }`,
        { id: draft.id },
        tokens['p-lead'],
      );
      expect(closed.disruptionNotice.status).toBe('CLOSED');
      expect((await notifications('p-lead')).map((n) => n.kind)).toContain('DISRUPTION_RESOLVED');
    });

    it('informs every Informed role of each row whose step ran above, with the notification kind the row declares', async () => {
      /** A person of each RACI column (the fixture's, or one outside it with the role alone). */
      const PERSON: Partial<Record<RaciRole, string>> = {
        customer: 'u-acme',
        support_consultant: 'p-anna',
        team_lead: 'p-lead',
        manager_service_center: 'p-msc',
        service_manager: 'p-sm',
        manager_service_management: 'p-msm',
        customer_success_manager: 'p-csm',
        pd_change_coordinator: 'p-pd',
        pd_product_owner: 'p-po',
        labs_director: 'p-labs',
      };
      const who = (role: RaciRole) => PERSON[role] ?? role;
      const received = new Map<string, Set<string>>();
      for (const role of RACI_ROLES) received.set(role, new Set((await notifications(who(role))).map((n) => n.kind)));
      const ran = new Set([...received.values()].flatMap((kinds) => [...kinds]));
      const checked = ESCALATIONS_RACI_ROWS.filter((r) => r.informedBy && ran.has(r.informedBy));
      // The steps above reach most rows with Informed roles; each of those roles heard of its step.
      expect(checked.map((r) => r.row)).toEqual(
        expect.arrayContaining([
          96, 99, 100, 103, 104, 105, 108, 109, 117, 118, 120, 121, 122, 123, 124, 125, 126, 128,
        ]),
      );
      const missing = checked.flatMap((r) =>
        rolesWith(r.row, ['I'])
          .filter((role) => !received.get(role)?.has(r.informedBy as string))
          .map((role) => `row ${r.row}: ${role} not informed by ${r.informedBy}`),
      );
      expect(missing).toEqual([]);
    });
  });
});
