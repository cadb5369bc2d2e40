import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const H = 3_600_000;
// Monday 16 November 2026, 09:00 in Amsterdam (CET).
const T0 = new Date('2026-11-16T08:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * H).toISOString();
const Q4 = { period: { quarter: '2026-Q4' } };

/** The steps the spec takes, each answering the request's id and status. */
const STEPS = {
  registerRequest: graphql(`
    mutation ReportingRegisterRequest($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id status } } }`),
  prioritiseRequest: graphql(`
    mutation ReportingPrioritiseRequest($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { id status } } }`),
  assignRequest: graphql(`
    mutation ReportingAssignRequest($input: AssignRequestInput!) { assignRequest(input: $input) { request { id status } } }`),
  sendInHandlingNotice: graphql(`
    mutation ReportingSendInHandlingNotice($input: SendInHandlingNoticeInput!) { sendInHandlingNotice(input: $input) { request { id status } } }`),
  acceptRequest: graphql(`
    mutation ReportingAcceptRequest($input: RequestStepInput!) { acceptRequest(input: $input) { request { id status } } }`),
  startHandling: graphql(`
    mutation ReportingStartHandling($input: RequestStepInput!) { startHandling(input: $input) { request { id status } } }`),
  proposeSolution: graphql(`
    mutation ReportingProposeSolution($input: ProposeSolutionInput!) { proposeSolution(input: $input) { request { id status } } }`),
  respondToSolution: graphql(`
    mutation ReportingRespondToSolution($input: RespondToSolutionInput!) { respondToSolution(input: $input) { request { id status } } }`),
  answerSurvey: graphql(`
    mutation ReportingAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { request { id status } } }`),
};
type Step = keyof typeof STEPS;
const BOOK_TIME = graphql(
  `mutation ReportingBookTime($input: BookTimeInput!) { bookTime(input: $input) { __typename } }`,
);
const REPORTS = graphql(`query ReportingReports($filter: ReportFilter) {
  openRequestsReport(filter: $filter) { total rows { productGroupId priority count ages { lessThan1Day } } }
  satisfactionReport(filter: $filter) { total { responses promoters tnps } comments(first: 5) { totalCount nodes { score comment } } }
  bundleUseReport(filter: $filter) { year rows { customerId bookedHours baseUsed left } }
  sameDayResolutionReport(filter: $filter) { total { registered solvedSameDay rate } }
  slaComplianceReport(filter: $filter) { totals { target met total } highWorkaround { completed withinBudget met } }
}`);
const FRESHNESS = graphql(`
  query ReportingFreshness { reportingFreshness { journalEvents readModels { topic eventsApplied lagSeconds } } }`);
const STATUS = graphql(`query ReportingStatus { reportingStatus { service } }`);
const COMMENTS =
  graphql(`query ReportingComments($filter: ReportFilter, $after: String) { satisfactionReport(filter: $filter) {
  comments(first: 1, after: $after) { totalCount edges { cursor node { requestId score } } pageInfo { hasNextPage endCursor } } } }`);
const OPEN_REQUESTS_TOTAL = graphql(`query ReportingOpenTotal { openRequestsReport { total } }`);
const REVIEW =
  graphql(`query ReportingReview($input: ServiceManagementReviewInput!) { serviceManagementReview(input: $input) {
  customer { name } sla { highWorkaround { met } sameDay { rate } } openRequests { total oldest { title } }
  bundle { bookedHours left } satisfaction { figures { tnps } } escalations { opened } disruptions { figures { published } } changes { changeRef } htmlPath } }`);
const REVIEW_QUARTER = graphql(`
  query ReportingReviewQuarter($input: ServiceManagementReviewInput!) { serviceManagementReview(input: $input) { quarter } }`);

/**
 * The reporting subgraph fed by the other services' events, end to end: requests handled and
 * closed through the gateway, time booked, a survey answered; the reports and the quarterly
 * review as the service manager sees them; the review page served by the reporting service.
 */
describe('reports and the Service Management Review through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock(T0.toISOString());
  const tokens: Record<string, string> = {};
  const change = <K extends Step>(mutation: K, input: VariablesOf<(typeof STEPS)[K]>['input'], who: string) => {
    // Every step document selects `request { id status }` under its own root field.
    const document = STEPS[mutation] as unknown as TypedDocumentNode<
      Record<K, { request: { id: string; status: string } }>,
      { input: typeof input }
    >;
    return ts.client.ok(document, { input }, tokens[who]);
  };
  const register = async (who: string, priority: 'HIGH' | 'MEDIUM', productId: string, title: string) => {
    const r = await change(
      'registerRequest',
      {
        type: 'INCIDENT',
        title,
        description: 'The payroll export to the bank fails with error EX-42 for every run.',
        businessImpact: 'Salaries cannot be transferred.',
        evidence: [{ kind: 'ERROR_MESSAGE', name: 'export log', text: 'EX-42' }],
        requestedPriority: priority,
        productId,
      },
      who,
    );
    return r.registerRequest.request.id;
  };
  const reviewUrl = (ext: string) =>
    `${ts.stack.subgraphUrls.reporting.replace(/\/graphql$/, '')}/reviews/cust-acme/2026-Q4.${ext}`;

  let solved: string;

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const id of ['u-acme', 'u-globex', 'p-anna', 'p-sm', 'p-msc', 'p-msm', 'p-lead'])
      tokens[id] = await tokenFor(ts.client, id);
    tokens.admin = await ts.client.token('admin', { sub: 'p-admin' });

    // A High incident handled and solved with a workaround on its registration day.
    solved = await register('u-acme', 'HIGH', 'prod-payroll', 'Payroll export fails <b>EX-42</b>');
    clock.set(at(1));
    await change('prioritiseRequest', { requestId: solved, priority: 'HIGH' }, 'p-anna');
    await change('assignRequest', { requestId: solved, assigneeId: 'p-anna' }, 'p-anna');
    await change('sendInHandlingNotice', { requestId: solved }, 'p-anna');
    await change('acceptRequest', { requestId: solved }, 'p-anna');
    await change('startHandling', { requestId: solved }, 'p-anna');
    clock.set(at(3));
    await change(
      'proposeSolution',
      { requestId: solved, kind: 'WORKAROUND', solution: 'Export by hand from the run overview until the fix.' },
      'p-anna',
    );
    clock.set(at(4));
    const accepted = await change('respondToSolution', { requestId: solved, accepted: true }, 'u-acme');
    expect(accepted.respondToSolution.request.status).toBe('CLOSED');
    await ts.client.ok(
      BOOK_TIME,
      { input: { requestId: solved, hours: 2.5, workDate: '2026-11-16', description: 'analysis' } },
      tokens['p-anna'],
    );
    await change('answerSurvey', { requestId: solved, score: 9, comment: 'Fast <script>alert(1)</script>' }, 'u-acme');

    // Open work: an HR incident of Acme, a payroll incident of Globex.
    await register('u-acme', 'MEDIUM', 'prod-hr', 'Leave balance wrong');
    await register('u-globex', 'HIGH', 'prod-payroll', 'Globex export fails');

    // A Globex incident solved and rated an hour later: the managers page through two comments.
    const globex = await register('u-globex', 'MEDIUM', 'prod-payroll', 'Globex payslips unreadable');
    await change('prioritiseRequest', { requestId: globex, priority: 'MEDIUM' }, 'p-anna');
    await change('assignRequest', { requestId: globex, assigneeId: 'p-anna' }, 'p-anna');
    await change('sendInHandlingNotice', { requestId: globex }, 'p-anna');
    await change('acceptRequest', { requestId: globex }, 'p-anna');
    await change('startHandling', { requestId: globex }, 'p-anna');
    await change(
      'proposeSolution',
      { requestId: globex, kind: 'WORKAROUND', solution: 'Print the payslips from the archive until the fix.' },
      'p-anna',
    );
    clock.set(at(5));
    expect(
      (await change('respondToSolution', { requestId: globex, accepted: true }, 'u-globex')).respondToSolution.request
        .status,
    ).toBe('CLOSED');
    await change('answerSurvey', { requestId: globex, score: 6, comment: 'Took a while' }, 'u-globex');
    clock.set(at(6));
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('answers the reports from the events, for the service manager of the customer', async () => {
    const reports = await waitFor(
      () => ts.client.ok(REPORTS, { filter: Q4 }, tokens['p-sm']),
      (r) =>
        r.openRequestsReport.total === 1 &&
        r.satisfactionReport.total.responses === 1 &&
        r.bundleUseReport.rows[0]?.bookedHours === 2.5 &&
        r.slaComplianceReport.highWorkaround.completed === 1 &&
        r.slaComplianceReport.totals.some((t) => t.target === 'RESOLUTION'),
      { what: 'the reports to catch up with the events' },
    );
    // The service manager of Acme sees Acme only: the Globex incident is not counted.
    expect(reports.openRequestsReport.rows).toEqual([
      { productGroupId: 'grp-hr', priority: 'MEDIUM', count: 1, ages: { lessThan1Day: 1 } },
    ]);
    expect(reports.satisfactionReport.total).toEqual({ responses: 1, promoters: 1, tnps: 100 });
    expect(reports.satisfactionReport.comments).toEqual({
      totalCount: 1,
      nodes: [{ score: 9, comment: 'Fast <script>alert(1)</script>' }],
    });
    expect(reports.bundleUseReport).toEqual({
      year: 2026,
      rows: [{ customerId: 'cust-acme', bookedHours: 2.5, baseUsed: 2.5, left: 57.5 }],
    });
    // Registered, workaround proposed and closed the same day; the HR incident is not solved yet.
    expect(reports.sameDayResolutionReport.total).toEqual({ registered: 2, solvedSameDay: 1, rate: 0.5 });
    expect(reports.slaComplianceReport.highWorkaround).toEqual({ completed: 1, withinBudget: 1, met: true });
    expect(reports.slaComplianceReport.totals.find((t) => t.target === 'FIRST_RESPONSE')).toEqual({
      target: 'FIRST_RESPONSE',
      met: 1,
      total: 1,
    });

    // The manager Service Management (Accountable for the review's figures, raci.csv 110–113) sees every customer.
    const all = await ts.client.ok(REPORTS, { filter: Q4 }, tokens['p-msm']);
    expect(all.openRequestsReport.total).toBe(2);
    expect(all.bundleUseReport.rows.map((r) => [r.customerId, r.left])).toEqual([
      ['cust-acme', 57.5],
      ['cust-globex', 20],
    ]);

    const freshness = await ts.client.ok(FRESHNESS, {}, tokens.admin);
    const requestsTopic = freshness.reportingFreshness.readModels.find((r) => r.topic === 'servicecenter.requests.v1');
    expect(requestsTopic?.eventsApplied).toBeGreaterThan(10);
    expect(requestsTopic?.lagSeconds).toBeGreaterThanOrEqual(0);
    // Operational queries are for admins: the manager of the Service Center is refused.
    const operational: TypedDocumentNode<unknown, never>[] = [FRESHNESS, STATUS];
    for (const query of operational) {
      const refused = await ts.client.request(query, {}, tokens['p-msc']);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('pages through the comments of every customer: two pages, no comment twice, the right totalCount', async () => {
    const first = (
      await waitFor(
        () => ts.client.ok(COMMENTS, { filter: Q4, after: null }, tokens['p-msc']),
        (r) => r.satisfactionReport.comments.totalCount === 2,
        { what: 'both survey answers to reach the reports' },
      )
    ).satisfactionReport.comments;
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ts.client.ok(COMMENTS, { filter: Q4, after: first.pageInfo.endCursor }, tokens['p-msc']))
      .satisfactionReport.comments;
    expect(second).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(second.edges).toHaveLength(1);
    const both = [...first.edges, ...second.edges];
    // Latest first: Globex's answer (an hour later), then Acme's; each once.
    expect(both.map((e) => e.node.score)).toEqual([6, 9]);
    expect(new Set(both.map((e) => e.node.requestId)).size).toBe(2);
    // The service manager of Acme pages within Acme only.
    expect(
      (await ts.client.ok(COMMENTS, { filter: Q4, after: null }, tokens['p-sm'])).satisfactionReport.comments,
    ).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
  });

  it('refuses customers and other customers of a service manager', async () => {
    const asCustomer = await ts.client.request(OPEN_REQUESTS_TOTAL, {}, tokens['u-acme']);
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await ts.client.request(
      REVIEW_QUARTER,
      { input: { customerId: 'cust-globex', quarter: '2026-Q4' } },
      tokens['p-sm'],
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('returns the quarterly review, and serves it as a printable page and as CSV', async () => {
    const { serviceManagementReview: review } = await ts.client.ok(
      REVIEW,
      { input: { customerId: 'cust-acme', quarter: '2026-Q4' } },
      tokens['p-sm'],
    );
    expect(review).toEqual({
      customer: { name: 'Acme Logistiek' },
      sla: { highWorkaround: { met: true }, sameDay: { rate: 0.5 } },
      openRequests: { total: 1, oldest: [{ title: 'Leave balance wrong' }] },
      bundle: { bookedHours: 2.5, left: 57.5 },
      satisfaction: { figures: { tnps: 100 } },
      escalations: { opened: 0 },
      disruptions: { figures: { published: 0 } },
      changes: [],
      htmlPath: '/reviews/cust-acme/2026-Q4.html',
    });

    const page = await fetch(reviewUrl('html'), { headers: { authorization: `Bearer ${tokens['p-sm']}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const body = await page.text();
    for (const id of ['sla', 'open-requests', 'bundle', 'escalations', 'disruptions', 'satisfaction', 'changes'])
      expect(body).toContain(`<section id="${id}">`);
    expect(body).toContain('<title>Service Management Review – Acme Logistiek – 2026-Q4</title>');
    expect(body).toContain('data-field="tnps">100<');
    expect(body).toContain('<svg ');
    expect(body).not.toContain('<script>');

    // The manager Service Management is Accountable for the review (raci.csv rows 110–118).
    const csv = await fetch(reviewUrl('csv'), { headers: { authorization: `Bearer ${tokens['p-msm']}` } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('bundle,left,2026,57.5,');

    expect((await fetch(reviewUrl('html'))).status).toBe(401);
    expect((await fetch(reviewUrl('html'), { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    // The manager Service Center has no letter on the review's steps; the customer (Informed, row 116) reads its own.
    expect((await fetch(reviewUrl('html'), { headers: { authorization: `Bearer ${tokens['p-msc']}` } })).status).toBe(
      403,
    );
    expect(
      (await fetch(reviewUrl('html'), { headers: { authorization: `Bearer ${tokens['u-globex']}` } })).status,
    ).toBe(403);
    const own = await fetch(reviewUrl('html'), { headers: { authorization: `Bearer ${tokens['u-acme']}` } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('Acme');
  });
});
