import type { Role } from '@servicecenter/platform-auth';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident } from '../testing/escalations-e2e';
import { PAYROLL_PLAN, mutate } from '../testing/release-testing-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

/**
 * The graph's one visibility rule (docs/visibility.md), checked across every subgraph that
 * holds customer data. Two customers: A (Acme: service manager p-sm, customer success manager
 * p-csm) and B (Globex: service manager p-sm-b). Every caller asks every surface about both,
 * and what each surface shows must be the customers the rule lets the caller see, no more,
 * no fewer. Rights (who may read reports, export, use the attention list) are separate and
 * answer FORBIDDEN for everyone outside them, whatever the customer.
 */
type Customer = 'A' | 'B';
const ID: Record<Customer, string> = { A: 'cust-acme', B: 'cust-globex' };
const BOTH: Customer[] = ['A', 'B'];

interface Row {
  who: string;
  roles: Role[];
  customerId?: string;
  /** The customers the rule lets this caller see. */
  sees: Customer[];
  /** The open requests report (raci.csv row 113 and its exceptions), the exit extract, the attention list. */
  reports?: boolean;
  /**
   * The Service Management Review: the roles with a letter on its steps (raci.csv rows 110–117).
   * `every`: of every customer (the product owner, Consulted on the plans of row 115).
   */
  review?: boolean | 'every';
  exports?: boolean;
  attention?: boolean;
  /** Informed (RACI "Customer escalates") when an escalation opens. */
  informedOfEscalations?: boolean;
  /**
   * Product development: work handed to it, whatever the customer. Here A's request is handed
   * over to product development and B's escalation escalated to the product owner.
   */
  handedOver?: { requests: Customer[]; escalations: Customer[] };
}

const MATRIX: Row[] = [
  { who: 'u-acme', roles: ['customer'], customerId: ID.A, sees: ['A'], exports: true, review: true },
  { who: 'u-globex', roles: ['customer'], customerId: ID.B, sees: ['B'], exports: true, review: true },
  { who: 'p-anna', roles: ['support_consultant'], sees: BOTH },
  { who: 'p-lead', roles: ['team_lead'], sees: BOTH, reports: true, review: true },
  { who: 'p-msc', roles: ['manager_service_center'], sees: BOTH, reports: true, exports: true, attention: true },
  {
    who: 'p-msm',
    roles: ['manager_service_management'],
    sees: BOTH,
    reports: true,
    review: true,
    exports: true,
    attention: true,
  },
  {
    who: 'p-sm',
    roles: ['service_manager'],
    sees: ['A'],
    reports: true,
    review: true,
    exports: true,
    attention: true,
    informedOfEscalations: true,
  },
  {
    who: 'p-sm-b',
    roles: ['service_manager'],
    sees: ['B'],
    reports: true,
    review: true,
    exports: true,
    attention: true,
    informedOfEscalations: true,
  },
  {
    who: 'p-csm',
    roles: ['customer_success_manager'],
    sees: ['A'],
    exports: true,
    informedOfEscalations: true,
  },
  { who: 'p-csmd', roles: ['csm_director'], sees: BOTH, exports: true },
  { who: 'p-uat', roles: ['uat_coordinator'], sees: BOTH },
  { who: 'p-admin', roles: ['admin'], sees: BOTH, exports: true },
  // Product development sees no customer as such: only work handed over to it (none here).
  {
    who: 'p-po',
    roles: ['pd_product_owner'],
    sees: [],
    review: 'every',
    handedOver: { requests: ['A'], escalations: ['B'] },
  },
];

const QUARTER = '2026-Q4';

describe('one visibility rule across the subgraphs, through the gateway', () => {
  const clock = new TestClock('2026-11-23T09:00:00Z'); // Monday 10:00 in Amsterdam
  let ts: TestStack;
  const tokens: Record<string, string> = {};
  const request: Record<Customer, string> = { A: '', B: '' };
  const escalation: Record<Customer, string> = { A: '', B: '' };
  let noticeId = '';
  let defectId = '';

  const ask = <T = Record<string, unknown>>(who: string, query: string, variables: Record<string, unknown> = {}) =>
    ts.client.request<T>(query, variables, tokens[who]);
  const code = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    r.errors?.[0]?.extensions?.code ?? null;
  const admin = (mutation: string, input: Record<string, unknown>) =>
    ts.client.ok(
      `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`,
      { input },
      tokens['p-admin'],
    );

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const row of MATRIX)
      tokens[row.who] = await ts.client.token(row.roles, { sub: row.who, customerId: row.customerId });
    // Beyond the fixture: A's customer success manager, B's service manager, a CSM director.
    for (const [id, role] of [
      ['p-csm', 'CUSTOMER_SUCCESS_MANAGER'],
      ['p-sm-b', 'SERVICE_MANAGER'],
      ['p-csmd', 'CSM_DIRECTOR'],
    ])
      await admin('createPerson', { id, name: id, email: `${id}@servicecenter.example`, roles: [role], teamIds: [] });
    await admin('updateCustomer', { id: ID.A, customerSuccessManagerId: 'p-csm' });
    await admin('updateCustomer', { id: ID.B, serviceManagerId: 'p-sm-b' });

    request.A = (await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3')).id;
    request.B = (await registerPayrollIncident(ts, tokens['u-globex'], 'Payroll export fails')).id;
    // The manager Service Center escalates both; each escalation opens once the escalations
    // service knows the request and the customer's relations (events).
    for (const c of BOTH) {
      const opened = await waitFor(
        () =>
          ask<{ openEscalation: { escalation: { id: string } } }>(
            'p-msc',
            `mutation($input: OpenEscalationInput!) { openEscalation(input: $input) { escalation { id } } }`,
            {
              input: {
                requestIds: [request[c]],
                reason: `Reason of ${c}: payroll at risk`,
                businessImpact: 'Salaries on Friday',
                desiredOutcome: 'A workaround',
              },
            },
          ),
        (r) => !r.errors,
        { what: `the escalation of ${c}` },
      );
      escalation[c] = (opened.data as { openEscalation: { escalation: { id: string } } }).openEscalation.escalation.id;
      await ts.client.ok(
        `mutation($input: AskStatusUpdateInput!) { askStatusUpdate(input: $input) { ask { id } } }`,
        { input: { requestId: request[c], question: `How is ${c} doing?` } },
        tokens['p-msc'],
      );
    }
    // Work handed to product development: A's request handed over, B's escalation escalated to the product owner.
    for (const [mutation, inputType, input] of [
      ['prioritiseRequest', 'PrioritiseRequestInput', { priority: 'MEDIUM' }],
      ['acceptRequest', 'RequestStepInput', {}],
      ['startHandling', 'RequestStepInput', {}],
      [
        'handOverRequest',
        'HandOverRequestInput',
        { target: 'PRODUCT_DEVELOPMENT', note: 'Defect in the payroll run.' },
      ],
    ] as const)
      await ts.client.ok(
        `mutation($input: ${inputType}!) { ${mutation}(input: $input) { request { id } } }`,
        { input: { requestId: request.A, ...input } },
        tokens['p-anna'], // the support consultant: Responsible for each of these steps (raci.csv rows 8, 14, 15, 24)
      );
    for (const step of [
      'FACT_FINDING',
      'ALIGNED_WITH_TEAM_LEAD',
      'CUSTOMER_INFORMED',
      'ESCALATED_TO_MANAGER_SERVICE_CENTER',
      'ESCALATED_TO_PRODUCT_OWNER',
    ])
      await ts.client.ok(
        `mutation($input: RecordEscalationStepInput!) { recordEscalationStep(input: $input) { escalation { id } } }`,
        { input: { escalationId: escalation.B, step, note: `${step} done` } },
        tokens['p-msc'],
      );
    // A disruption notice affecting both customers (a draft: staff read it, customers do not yet).
    const { openDisruptionNotice } = await ts.client.ok<{ openDisruptionNotice: { notice: { id: string } } }>(
      `mutation($input: OpenDisruptionNoticeInput!) { openDisruptionNotice(input: $input) { notice { id } } }`,
      {
        input: {
          productId: 'prod-payroll',
          source: 'MONITORING',
          title: 'Payroll runs fail',
          affectedCustomerIds: [ID.A, ID.B],
        },
      },
      tokens['p-lead'],
    );
    noticeId = openDisruptionNotice.notice.id;
    // A release-test defect about the problem of both customers' requests.
    const uat = tokens['p-uat'];
    const { release } = await mutate<{ release: { id: string; version: number } }>(
      ts.client,
      'planRelease',
      {
        productId: 'prod-payroll',
        releaseVersion: '26.12',
        plannedProductionDate: '2026-12-05T06:00:00Z',
        releaseNotes: 'Tax tables',
      },
      'release { id version }',
      uat,
    );
    const { testPlan } = await mutate<{ testPlan: { id: string } }>(
      ts.client,
      'createTestPlan',
      PAYROLL_PLAN,
      'testPlan { id }',
      uat,
    );
    const { testRun } = await mutate<{ testRun: { id: string } }>(
      ts.client,
      'startTestRun',
      { releaseId: release.id, version: release.version, testPlanId: testPlan.id, testerIds: ['p-anna'] },
      'testRun { id }',
      uat,
    );
    const reported = await waitFor(
      () =>
        ts.client.request<{ reportDefect: { defect: { id: string } } }>(
          `mutation($input: ReportDefectInput!) { reportDefect(input: $input) { defect { id } } }`,
          {
            input: {
              runId: testRun.id,
              title: 'Payroll run stops',
              description: 'Step 3 fails with PR-500.',
              severity: 'MAJOR',
              requestIds: [request.A, request.B],
            },
          },
          uat,
        ),
      (r) => !r.errors,
      { what: 'both requests in the release-testing read model' },
    );
    defectId = reported.data!.reportDefect.defect.id;
    // Both requests are quiet for more than 5 working days: on the attention list of whoever may see them.
    clock.set('2026-12-03T09:00:00Z');
    // The reporting read models have both customers and both requests.
    await waitFor(
      () => ask<{ openRequestsReport: { total: number } }>('p-msc', `{ openRequestsReport { total } }`),
      (r) => r.data?.openRequestsReport.total === 2,
      { what: 'both requests in the reporting read models' },
    );
    await waitFor(
      () =>
        ask(
          'p-msm',
          `query($c: ID!) { serviceManagementReview(input: { customerId: $c, quarter: "${QUARTER}" }) { quarter } }`,
          {
            c: ID.B,
          },
        ),
      (r) => !r.errors,
      { what: 'the customers in the reporting read models' },
    );
    // The hand-over reached the release-testing read model.
    await waitFor(
      () =>
        ask<{ defect: { requests: { id: string }[] } | null }>(
          'p-po',
          `query($id: ID!) { defect(id: $id) { requests { id } } }`,
          { id: defectId },
        ),
      (r) => !!r.data?.defect?.requests.some((x) => x.id === request.A),
      { what: "A's hand-over in the release-testing read model" },
    );
    // The relations changed after the customers were created reached the escalations and reporting read models.
    await waitFor(
      () =>
        ask<{ attentionList: { nodes: { customerId: string }[] } }>(
          'p-sm-b',
          `{ attentionList { nodes { customerId } } }`,
        ),
      (r) => !!r.data?.attentionList.nodes.some((i) => i.customerId === ID.B),
      { what: "B's requests on the attention list of B's service manager" },
    );
    for (const [who, c] of [
      ['p-sm-b', 'B'],
      ['p-sm', 'A'],
    ] as const)
      await waitFor(
        () =>
          ask<{ openRequestsReport: { total: number } }>(
            who,
            `query($c: ID) { openRequestsReport(filter: { customerId: $c }) { total } }`,
            { c: ID[c] },
          ),
        (r) => r.data?.openRequestsReport.total === 1,
        { what: `${c}'s report for ${who}` },
      );
  }, 120_000);
  afterAll(async () => {
    await ts?.stop();
  });

  /** What one caller is shown of A and B by every surface: the customers seen, or the error code. */
  async function observe(row: Row) {
    const seen: Record<string, Customer[] | string> = {};
    const each = async (
      surface: string,
      probe: (c: Customer) => Promise<{ shown: boolean; code: unknown }>,
    ): Promise<void> => {
      const results = await Promise.all(BOTH.map(async (c) => [c, await probe(c)] as const));
      const refused = results.map(([, r]) => r.code).find((x) => x);
      seen[surface] = refused ? String(refused) : results.filter(([, r]) => r.shown).map(([c]) => c);
    };
    const who = row.who;

    await each('request by id', async (c) => {
      const r = await ask<{ request: { id: string } | null }>(who, `query($id: ID!) { request(id: $id) { id } }`, {
        id: request[c],
      });
      return { shown: !!r.data?.request, code: code(r) };
    });
    await each('requests filtered by customer', async (c) => {
      const r = await ask<{ requests: { totalCount: number; edges: { node: { id: string } }[] } }>(
        who,
        `query($c: [ID!]!) { requests(filter: { customer: $c }) { totalCount edges { node { id } } } }`,
        { c: [ID[c]] },
      );
      return {
        shown: (r.data?.requests.totalCount ?? 0) > 0 || (r.data?.requests.edges.length ?? 0) > 0,
        code: code(r),
      };
    });
    await each('escalations filtered by customer', async (c) => {
      const r = await ask<{ escalations: { totalCount: number; nodes: { reason: string }[] } }>(
        who,
        `query($c: ID) { escalations(filter: { customerId: $c }) { totalCount nodes { reason } } }`,
        { c: ID[c] },
      );
      return {
        shown: (r.data?.escalations.totalCount ?? 0) > 0 || (r.data?.escalations.nodes.length ?? 0) > 0,
        code: code(r),
      };
    });
    await each('escalations unfiltered', async (c) => {
      const r = await ask<{ escalations: { nodes: { id: string }[] } }>(
        who,
        `{ escalations(first: 50) { nodes { id } } }`,
      );
      return { shown: !!r.data?.escalations.nodes.some((e) => e.id === escalation[c]), code: code(r) };
    });
    await each('escalation by id', async (c) => {
      const r = await ask<{ escalation: { id: string } | null }>(who, `query($id: ID) { escalation(id: $id) { id } }`, {
        id: escalation[c],
      });
      return { shown: !!r.data?.escalation, code: code(r) };
    });
    await each('asks on the request', async (c) => {
      const r = await ask<{ asks: { id: string }[] }>(who, `query($id: ID) { asks(requestId: $id) { id } }`, {
        id: request[c],
      });
      return { shown: (r.data?.asks.length ?? 0) > 0, code: code(r) };
    });
    await each('customers named on the disruption notice', async (c) => {
      // Through the Customer references, which the requests subgraph resolves with its own read rule.
      const r = await ask<{ disruptionNotice: { affectedCustomers: { id: string; name: string }[] } | null }>(
        who,
        `query($id: ID) { disruptionNotice(id: $id) { affectedCustomers { id name } } }`,
        { id: noticeId },
      );
      return {
        shown: !!r.data?.disruptionNotice?.affectedCustomers.some((x) => x.id === ID[c] && x.name),
        code: code(r),
      };
    });
    await each('requests linked from a release-test defect', async (c) => {
      const r = await ask<{ defect: { requests: { id: string }[] } | null }>(
        who,
        `query($id: ID!) { defect(id: $id) { requests { id } } }`,
        { id: defectId },
      );
      return { shown: !!r.data?.defect?.requests.some((x) => x.id === request[c]), code: code(r) };
    });
    await each('attention list', async (c) => {
      const r = await ask<{ attentionList: { nodes: { customerId: string }[] } }>(
        who,
        `{ attentionList(first: 50) { nodes { customerId } } }`,
      );
      return { shown: !!r.data?.attentionList.nodes.some((i) => i.customerId === ID[c]), code: code(r) };
    });
    await each('notifications of escalations opened', async (c) => {
      const r = await ask<{ myNotifications: { nodes: { link: string; kind: string }[] } }>(
        who,
        `{ myNotifications(first: 100) { nodes { kind link } } }`,
      );
      return {
        shown: !!r.data?.myNotifications.nodes.some(
          (n) => n.kind === 'ESCALATION_OPENED' && n.link === `escalation:${escalation[c]}`,
        ),
        code: code(r),
      };
    });
    await each('open requests report for the customer', async (c) => {
      const r = await ask<{ openRequestsReport: { total: number } }>(
        who,
        `query($c: ID) { openRequestsReport(filter: { customerId: $c }) { total } }`,
        { c: ID[c] },
      );
      return { shown: (r.data?.openRequestsReport?.total ?? 0) > 0, code: code(r) };
    });
    await each('service management review', async (c) => {
      const r = await ask<{ serviceManagementReview: { openRequests: { total: number } } }>(
        who,
        `query($c: ID!) { serviceManagementReview(input: { customerId: $c, quarter: "${QUARTER}" }) { openRequests { total } } }`,
        { c: ID[c] },
      );
      return { shown: (r.data?.serviceManagementReview?.openRequests.total ?? 0) > 0, code: code(r) };
    });
    await each('exit extract', async (c) => {
      const r = await ask<{ exportCustomerData: { requestCount: number } }>(
        who,
        `query($c: ID!) { exportCustomerData(customerId: $c) { requestCount } }`,
        { c: ID[c] },
      );
      return { shown: (r.data?.exportCustomerData?.requestCount ?? 0) > 0, code: code(r) };
    });
    return seen;
  }

  /**
   * What the rule says one caller is shown. A surface the caller has no right to is FORBIDDEN
   * whatever the customer; a document about one customer they may not see (report, review,
   * extract) is FORBIDDEN too, so those surfaces answer FORBIDDEN as soon as one of A and B
   * is hidden. Lists and lookups simply leave the hidden customer out.
   */
  function expected(row: Row) {
    const customer = row.roles.includes('customer');
    const document = (right: boolean | undefined) => (right && row.sees.length === BOTH.length ? BOTH : 'FORBIDDEN');
    const plus = (handed: Customer[] = []) => BOTH.filter((c) => row.sees.includes(c) || handed.includes(c));
    const requests = plus(row.handedOver?.requests);
    const escalations = plus(row.handedOver?.escalations);
    return {
      'request by id': requests,
      'requests filtered by customer': requests,
      'escalations filtered by customer': escalations,
      'escalations unfiltered': escalations,
      'escalation by id': escalations,
      // Asks are the Service Center's internal work.
      'asks on the request': customer ? 'FORBIDDEN' : row.sees,
      // A draft notice is internal: a customer does not see it at all.
      'customers named on the disruption notice': customer ? [] : row.sees,
      // Release testing is internal: a customer reads no defect.
      'requests linked from a release-test defect': customer ? [] : requests,
      'attention list': row.attention ? row.sees : 'FORBIDDEN',
      'notifications of escalations opened': row.informedOfEscalations ? row.sees : [],
      'open requests report for the customer': document(row.reports),
      'service management review': row.review === 'every' ? BOTH : document(!!row.review),
      'exit extract': document(row.exports),
    };
  }

  it.each(
    MATRIX.map(
      (row) =>
        [
          row.who,
          (row.sees.join('+') || 'no customer') + (row.handedOver ? ' but the work handed to product development' : ''),
          row,
        ] as const,
    ),
  )('%s sees %s, on every surface of every subgraph', async (_who, _sees, row) => {
    expect(await observe(row)).toEqual(expected(row));
  });

  it("lets a service manager act on another customer's request or escalation no more than on one that does not exist", async () => {
    const missingRequest = '00000000-0000-4000-8000-000000000000';
    const missingEscalation = '00000000-0000-4000-8000-000000000001';
    // One after the other: each answer on its own, as a client sees it.
    const attempts: ((requestId: string, escalationId: string) => ReturnType<typeof ask>)[] = [
      (requestId) =>
        ask('p-sm', `mutation($input: OpenEscalationInput!) { openEscalation(input: $input) { escalation { id } } }`, {
          input: { requestIds: [requestId], reason: 'x', businessImpact: 'y', desiredOutcome: 'z' },
        }),
      (requestId) =>
        ask('p-sm', `mutation($input: AskStatusUpdateInput!) { askStatusUpdate(input: $input) { ask { id } } }`, {
          input: { requestId, question: 'Status?' },
        }),
      (requestId) =>
        ask('p-sm', `mutation($input: LogUrgentCallInput!) { logUrgentCall(input: $input) { urgentCall { id } } }`, {
          input: { requestId, customerContact: 'Ms B', summary: 'Urgent', assessedImpact: 'HIGH' },
        }),
      (_, escalationId) =>
        ask(
          'p-sm',
          `mutation($input: RecordEscalationStepInput!) { recordEscalationStep(input: $input) { escalation { id } } }`,
          { input: { escalationId, step: 'FACT_FINDING', note: 'Looked into it' } },
        ),
    ];
    const answers = async (requestId: string, escalationId: string) => {
      const out: unknown[] = [];
      for (const attempt of attempts) {
        const r = await attempt(requestId, escalationId);
        out.push([code(r), r.errors?.[0]?.message.replace(requestId, '<id>').replace(escalationId, '<id>')]);
      }
      return out;
    };
    const before = await ask<{ escalations: { totalCount: number } }>('p-msc', `{ escalations { totalCount } }`);
    const onB = await answers(request.B, escalation.B);
    expect(onB).toEqual(await answers(missingRequest, missingEscalation));
    expect(onB.map((x) => (x as unknown[])[0])).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'NOT_FOUND',
    ]);
    const after = await ask<{ escalations: { totalCount: number } }>('p-msc', `{ escalations { totalCount } }`);
    expect(after.data?.escalations.totalCount).toBe(before.data?.escalations.totalCount);
    const stepsOfB = await ask<{ escalation: { steps: { step: string }[] } }>(
      'p-msc',
      `query($id: ID) { escalation(id: $id) { steps { step } } }`,
      {
        id: escalation.B,
      },
    );
    expect(stepsOfB.data?.escalation.steps).toHaveLength(5); // as the manager Service Center recorded them
  });

  it('answers a document about a customer the caller may not see with FORBIDDEN, and one they may see with its data', async () => {
    // The "document" surfaces above collapse to FORBIDDEN when one of A and B is hidden; here each customer on its own.
    for (const row of MATRIX.filter((r) => r.sees.length === 1 && (r.reports || r.review || r.exports))) {
      const [own] = row.sees;
      const other = own === 'A' ? 'B' : 'A';
      const review = (c: Customer) =>
        ask<{ serviceManagementReview: { openRequests: { total: number } } }>(
          row.who,
          `query($c: ID!) { serviceManagementReview(input: { customerId: $c, quarter: "${QUARTER}" }) { openRequests { total } } }`,
          { c: ID[c] },
        );
      const extract = (c: Customer) =>
        ask<{ exportCustomerData: { requestCount: number } }>(
          row.who,
          `query($c: ID!) { exportCustomerData(customerId: $c) { requestCount } }`,
          { c: ID[c] },
        );
      const report = (c: Customer) =>
        ask<{ openRequestsReport: { total: number } }>(
          row.who,
          `query($c: ID) { openRequestsReport(filter: { customerId: $c }) { total } }`,
          { c: ID[c] },
        );
      if (row.review) {
        expect([row.who, (await review(own)).data?.serviceManagementReview.openRequests.total]).toEqual([row.who, 1]);
        expect([row.who, code(await review(other))]).toEqual([row.who, 'FORBIDDEN']);
      }
      if (row.reports) {
        expect([row.who, (await report(own)).data?.openRequestsReport.total]).toEqual([row.who, 1]);
        expect([row.who, code(await report(other))]).toEqual([row.who, 'FORBIDDEN']);
      }
      if (row.exports) {
        expect([row.who, (await extract(own)).data?.exportCustomerData.requestCount]).toEqual([row.who, 1]);
        expect([row.who, code(await extract(other))]).toEqual([row.who, 'FORBIDDEN']);
      }
    }
  });
});
