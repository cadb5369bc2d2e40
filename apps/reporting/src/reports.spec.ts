import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql } from 'graphql';
import type { Caller, Role } from '@servicecenter/platform-auth';
import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { TestClock, createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { ReportQueries } from './domain/report-queries';
import { PROJECTION_TABLES } from './events/projections';
import { rebuildFromJournal } from './events/rebuild';
import { ROLLUPS } from './persistence/rollups';
import { ReportReader } from './persistence/report.reader';
import { resolvers } from './resolvers';
import { renderReviewCsv } from './review/review-csv';
import { renderReviewHtml } from './review/review-html';
import { reportingDefinition } from './service';
import { SlaAgreementSaved, formatSequence, sourceOf } from '@servicecenter/contracts';

import { NOW, everyReport, scenario, type ScenarioEvent } from './testing/scenario';
import { startReportingService } from './testing/service';

const ZONE = 'Europe/Amsterdam';
const msc: Caller = { id: 'p-msc', roles: ['manager_service_center'] };
const sm: Caller = { id: 'p-sm', roles: ['service_manager'] };
const msm: Caller = { id: 'p-msm', roles: ['manager_service_management'] };
const customer: Caller = { id: 'u-acme', roles: ['customer'], customerId: 'cust-acme' };
const q4 = { period: { quarter: '2026-Q4' } };
const acmeQ4 = { ...q4, customerId: 'cust-acme' };

/**
 * A known sequence of events (testing/scenario.ts) through the live consumer, and every
 * report checked against figures computed by hand in the comments.
 */
describe('reports over a known sequence of events', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let reports: ReportQueries;
  const transport = new InProcessTransport();
  const clock = new TestClock(NOW);
  const { events } = scenario();
  const deliver = (list: ScenarioEvent[]) =>
    transport.publish(list.map((e) => ({ topic: e.contract.topic, key: e.envelope.subject, envelope: e.envelope })));
  const count = async (sql: string) =>
    Number(((await service.runtime().dataSource.query(sql)) as { n: string }[])[0].n);

  beforeAll(async () => {
    db = await createTestDatabase('reporting_reports');
    service = await startReportingService(db.url, transport, clock.now);
    for (const e of events) await deliver([e]);
    reports = new ReportQueries(new ReportReader(service.runtime().dataSource.manager, ZONE), ZONE, clock.now);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('journals every event once and applies a redelivery never twice', async () => {
    expect(await count(`SELECT count(*) AS n FROM event_journal`)).toBe(events.length);
    await deliver([events[0], events[5]]);
    expect(await count(`SELECT count(*) AS n FROM event_journal`)).toBe(events.length);
    expect(await count(`SELECT count(*) AS n FROM inbox`)).toBe(events.length);
  });

  it('open requests per product group and priority with age buckets', async () => {
    const all = await reports.openRequests(msc, null, 3);
    // grp-hr MEDIUM: R5 (80 days); grp-hr LOW: R4 (10 days, requested LOW, never prioritised);
    // grp-payroll HIGH: R1 (6 h), G1 (2 h), R2 (2 days); grp-payroll MEDIUM: R3 (5 days), R6 (exactly 1 day: 1–3 days).
    expect(all.rows.map((r) => [r.productGroupId, r.priority, r.count, Object.values(r.ages)])).toEqual([
      ['grp-hr', 'MEDIUM', 1, [0, 0, 0, 0, 1]],
      ['grp-hr', 'LOW', 1, [0, 0, 0, 1, 0]],
      ['grp-payroll', 'HIGH', 3, [2, 1, 0, 0, 0]],
      ['grp-payroll', 'MEDIUM', 2, [0, 1, 1, 0, 0]],
    ]);
    expect(all.total).toBe(7);
    expect(all.ages).toEqual({
      lessThan1Day: 2,
      from1To3Days: 2,
      from3To7Days: 1,
      from7To30Days: 1,
      moreThan30Days: 1,
    });
    expect(all.oldest.map((r) => [r.number, r.ageDays])).toEqual([
      ['SC-2026-R5', 80],
      ['SC-2026-R4', 10],
      ['SC-2026-R3', 5],
    ]);
    const hr = await reports.openRequests(msc, { productGroupId: 'grp-hr', priority: 'LOW' });
    expect(hr.total).toBe(1);
    // The service manager of Acme sees Acme's only: G1 (Globex) is left out.
    expect((await reports.openRequests(sm)).total).toBe(6);
  });

  it('response time of open requests per product group', async () => {
    const { rows } = await reports.responseTimes(msc, { customerId: 'cust-acme' });
    expect(rows).toEqual([
      // R5 answered after 1 h; R4 still waiting after 240 h.
      {
        productGroupId: 'grp-hr',
        open: 2,
        responded: 1,
        averageResponseHours: 1,
        medianResponseHours: 1,
        longestResponseHours: 1,
        waiting: 1,
        averageWaitingHours: 240,
        longestWaitingHours: 240,
      },
      // R2 2 h, R3 4 h, R6 6 h; R1 waiting 6 h.
      {
        productGroupId: 'grp-payroll',
        open: 4,
        responded: 3,
        averageResponseHours: 4,
        medianResponseHours: 4,
        longestResponseHours: 6,
        waiting: 1,
        averageWaitingHours: 6,
        longestWaitingHours: 6,
      },
    ]);
  });

  it('open change requests at Consulting', async () => {
    const report = await reports.consultingChanges(msc);
    expect(report.total).toBe(1);
    expect(report.rows).toEqual([
      expect.objectContaining({
        productGroupId: 'grp-hr',
        priority: 'MEDIUM',
        count: 1,
        ages: expect.objectContaining({ moreThan30Days: 1 }),
      }),
    ]);
    const requests = await reports.consultingRequests(report, { first: 10 });
    expect(requests.nodes.map((r) => [r.number, r.title])).toEqual([['SC-2026-R5', 'Wire up <b>payslips</b>']]);
    expect(requests).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false, hasPreviousPage: false } });
  });

  it('SLA compliance per month and target, breached-but-running targets missed in the month of breach', async () => {
    const report = await reports.compliance(msc, acmeQ4, 'MONTH');
    expect(report.rows.map((r) => [r.period, r.target, r.met, r.missed])).toEqual([
      // t1 completed 00:30 on 1 October Amsterdam time counts in October; t8 (23:30 on 30 September) not at all.
      ['2026-10', 'FIRST_RESPONSE', 1, 0],
      ['2026-10', 'WORKAROUND', 9, 1],
      // t2 missed, t3 breached and still running, t6 breached in October but completed (missed) in November, t7 met (an older "missed" arrived late).
      ['2026-11', 'FIRST_RESPONSE', 1, 3],
      ['2026-11', 'WORKAROUND', 8, 2],
    ]);
    // t4 (not applicable) and t5 (resumed: its completion no longer counts) are left out.
    expect(report.totals.map((r) => [r.target, r.met, r.total, r.rate])).toEqual([
      ['FIRST_RESPONSE', 2, 5, 0.4],
      ['WORKAROUND', 17, 20, 0.85],
    ]);
    const quarterly = await reports.compliance(msc, acmeQ4, 'QUARTER');
    expect(quarterly.rows.map((r) => [r.period, r.target, r.total])).toEqual([
      ['2026-Q4', 'FIRST_RESPONSE', 5],
      ['2026-Q4', 'WORKAROUND', 20],
    ]);
  });

  it('the High-workaround rule: exactly 90% within 24 h and all within 48 h is met; 80% or one over 48 h is missed', async () => {
    const acme = await reports.compliance(msc, acmeQ4, 'MONTH');
    expect(
      acme.highWorkaroundPerPeriod.map((r) => [
        r.period,
        r.completed,
        r.withinBudget,
        r.withinHardLimit,
        r.budgetPartMet,
        r.hardLimitPartMet,
        r.met,
      ]),
    ).toEqual([
      ['2026-10', 10, 9, 10, true, true, true],
      ['2026-11', 10, 8, 10, false, true, false],
    ]);
    expect(acme.highWorkaround).toMatchObject({ completed: 20, withinBudget: 17, withinBudgetRate: 0.85, met: false });
    const globex = await reports.compliance(msc, { ...q4, customerId: 'cust-globex' }, 'MONTH');
    expect(globex.highWorkaround).toMatchObject({
      completed: 10,
      withinBudget: 9,
      withinHardLimit: 9,
      budgetPartMet: true,
      hardLimitPartMet: false,
      met: false,
    });
    const october = await reports.compliance(msc, { period: { month: '2026-10' } }, 'MONTH');
    expect(october.highWorkaround).toMatchObject({
      completed: 10,
      withinBudgetRate: 0.9,
      withinHardLimitRate: 1,
      met: true,
    });
  });

  it("judges the High-workaround rule by the goals of the customer's agreement (agreement-saved), the generic goals across customers", async () => {
    const agreementSaved = (version: number, workaroundGoalPercent: number, sequence: number): ScenarioEvent => ({
      contract: SlaAgreementSaved,
      envelope: {
        specversion: '1.0',
        id: randomUUID(),
        source: sourceOf('sla'),
        type: SlaAgreementSaved.type,
        time: NOW,
        subject: 'acme',
        datacontenttype: 'application/json',
        sequence: formatSequence(900_000 + sequence),
        data: {
          agreementId: 'acme',
          version,
          customerId: 'cust-acme',
          workaroundGoalPercent,
          hardLimitGoalPercent: 100,
          savedAt: NOW,
        },
      },
    });
    // Kept in the scenario's list, so the journal, freshness and rebuild sections below count them.
    const deliverAndKeep = async (e: ScenarioEvent) => {
      events.push(e);
      await deliver([e]);
    };
    // 17 of 20 (85%) within 24 h: missed on the generic 90%.
    expect((await reports.compliance(msc, acmeQ4, 'MONTH')).highWorkaround).toMatchObject({
      withinBudget: 17,
      workaroundGoalPercent: 90,
      hardLimitGoalPercent: 100,
      met: false,
    });
    await deliverAndKeep(agreementSaved(2, 85, 1));
    const agreed = await reports.compliance(msc, acmeQ4, 'MONTH');
    expect(agreed.highWorkaround).toMatchObject({ withinBudget: 17, workaroundGoalPercent: 85, met: true });
    // Across customers the generic goals judge; an older version arriving late changes nothing.
    const all = await reports.compliance(msc, { period: { quarter: '2026-Q4' } }, 'MONTH');
    expect(all.highWorkaround?.workaroundGoalPercent).toBe(90);
    await deliverAndKeep(agreementSaved(1, 70, 2));
    expect((await reports.compliance(msc, acmeQ4, 'MONTH')).highWorkaround?.workaroundGoalPercent).toBe(85);
    // Back to the generic figures for the sections below.
    await deliverAndKeep(agreementSaved(3, 90, 3));
    expect((await reports.compliance(msc, acmeQ4, 'MONTH')).highWorkaround?.met).toBe(false);
  });

  it('same-day resolution in the desk time zone', async () => {
    const report = await reports.sameDay(msc, acmeQ4, 'MONTH');
    // October: C1 proposed the same day; C2 registered 23:30 and solved 00:30 (Amsterdam): not.
    // November: C3 closed SOLVED the same day; R1–R4 unsolved; R6 closed the same day but reopened; C4 (duplicate) and C5 (change) not counted.
    expect(report.rows.map((r) => [r.period, r.registered, r.solvedSameDay, r.rate])).toEqual([
      ['2026-10', 2, 1, 0.5],
      ['2026-11', 6, 1, 1 / 6],
    ]);
    expect(report.total).toMatchObject({ registered: 8, solvedSameDay: 2, rate: 0.25, goalMet: false });
    expect(report.goal).toBe(0.95);
    expect((await reports.sameDay(msc, q4, 'QUARTER')).total).toMatchObject({ registered: 9, solvedSameDay: 2 });
  });

  it('customer satisfaction: tNPS = % promoters − % detractors', async () => {
    const report = await reports.satisfaction(msc, acmeQ4, 'MONTH');
    // 5 promoters, 3 passives, 2 detractors: 50% − 20% = 30; mean score 78 / 10.
    expect(report.total).toEqual({
      period: '',
      responses: 10,
      promoters: 5,
      passives: 3,
      detractors: 2,
      averageScore: 7.8,
      tnps: 30,
    });
    expect(report.rows.map((r) => [r.period, r.tnps])).toEqual([['2026-11', 30]]);
    const comments = await reports.surveyComments(report, { first: 5 });
    expect(comments.nodes.map((c) => c.score)).toEqual([3, 10]);
    expect(comments).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect((await reports.satisfaction(msc, { ...q4, customerId: 'cust-globex' }, 'MONTH')).total).toMatchObject({
      responses: 0,
      tnps: null,
    });
  });

  it('credit bundle use: base first, then credit; over-use shown as negative', async () => {
    const report = await reports.bundles(msm, { period: { year: 2026 } });
    expect(report).toMatchObject({ year: 2026, upTo: '2027-01-01' });
    // Acme: 30 + 25 + 10 = 65 h (the redelivered booking once, the 2025 one not) against 40 + 20.
    expect(report.rows).toEqual([
      {
        customerId: 'cust-acme',
        customerName: 'Acme <Logistiek>',
        year: 2026,
        baseHours: 40,
        creditHours: 20,
        bookedHours: 65,
        baseUsed: 40,
        creditUsed: 20,
        baseLeft: 0,
        creditLeft: 0,
        left: -5,
        overrun: 5,
      },
      {
        customerId: 'cust-globex',
        customerName: 'Globex Zorg',
        year: 2026,
        baseHours: 20,
        creditHours: 0,
        bookedHours: 4,
        baseUsed: 4,
        creditUsed: 0,
        baseLeft: 16,
        creditLeft: 0,
        left: 16,
        overrun: 0,
      },
    ]);
    // Up to November (exclusive): the 19 November booking is not counted yet.
    const toOctober = await reports.bundles(msm, {
      customerId: 'cust-acme',
      period: { from: new Date('2026-01-01T00:00:00+01:00'), to: new Date('2026-11-19T00:00:00+01:00') },
    });
    expect(toOctober.rows[0]).toMatchObject({ bookedHours: 55, baseUsed: 40, creditUsed: 15, creditLeft: 5, left: 5 });
  });

  it('escalations and disruptions: counts, durations, on-time update rate', async () => {
    const acme = await reports.escalations(msc, acmeQ4);
    expect(acme.escalations).toEqual({
      opened: 3,
      closed: 2,
      openNow: 1,
      averageDurationHours: 30,
      longestDurationHours: 48,
      priorityChangesAsked: 2,
      priorityChangesRejected: 1,
      statusUpdatesAsked: 1,
      statusUpdatesAnswered: 1,
      urgentCalls: 1,
    });
    // D1: updates due 11:00 (given 10:30), 14:00 (overdue), next day 09:00 (resolved 08:00): 2 of 3 on time; 24 h from start to resolution.
    expect(acme.disruptions).toEqual({
      published: 1,
      resolved: 1,
      averageDurationHours: 24,
      longestDurationHours: 24,
      updatesDue: 3,
      updatesOnTime: 2,
      updatesLate: 1,
      onTimeUpdateRate: 2 / 3,
    });
    expect((await reports.notices(acme)).nodes.map((n) => [n.number, n.durationHours])).toEqual([['DN-2026-D1', 24]]);
    // Globex also has D2 (due yesterday, no update: late) and D3 (not due yet: not counted).
    const globex = await reports.escalations(msc, { ...q4, customerId: 'cust-globex' });
    expect(globex.disruptions).toMatchObject({
      published: 3,
      updatesDue: 4,
      updatesOnTime: 2,
      updatesLate: 2,
      onTimeUpdateRate: 0.5,
    });
    expect(globex.escalations).toMatchObject({ opened: 0, urgentCalls: 1 });
  });

  it('pages the lists in reports through GraphQL by keyset: two pages, no duplicates, the right totalCount', async () => {
    const schema = buildSubgraphSchema({ typeDefs: reportingDefinition.typeDefs, resolvers: resolvers as never });
    const run = async (source: string, variableValues: Record<string, unknown>) => {
      const result = await graphql({
        schema,
        source,
        variableValues,
        contextValue: { caller: msm, correlationId: 'spec', reports },
      });
      return result as {
        data?: Record<string, { [list: string]: Page }> | null;
        errors?: readonly { originalError?: unknown }[];
      };
    };
    interface Page {
      totalCount: number;
      edges: { cursor: string; node: { number: string | null; score?: number } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    }
    const pageThrough = async (query: string, report: string, list: string) => {
      const pages: Page[] = [];
      let after: string | null = null;
      do {
        const { data, errors } = await run(query, { after });
        expect(errors).toBeUndefined();
        const page: Page = (data as Record<string, Record<string, Page>>)[report][list];
        pages.push(page);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after && pages.length < 10);
      return pages;
    };

    // Globex sees three notices in Q4 (D1, D2, D3): pages of two.
    const notices = await pageThrough(
      `query($after: String) { escalationsReport(filter: { customerId: "cust-globex", period: { quarter: "2026-Q4" } }) {
        notices(first: 2, after: $after) { totalCount edges { cursor node { number } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`,
      'escalationsReport',
      'notices',
    );
    expect(notices.map((p) => p.edges.map((e) => e.node.number))).toEqual([
      ['DN-2026-D1', 'DN-2026-D2'],
      ['DN-2026-D3'],
    ]);
    expect(notices.map((p) => [p.totalCount, p.pageInfo.hasNextPage, p.pageInfo.hasPreviousPage])).toEqual([
      [3, true, false],
      [3, false, true],
    ]);

    // Comments answered at the same instant: the request id breaks the tie, so no comment repeats or goes missing.
    const tied = Array.from({ length: 5 }, (_, i) => ({ id: randomUUID(), score: i + 1 }));
    const db = service.runtime().dataSource;
    for (const t of tied) {
      await db.query(
        `INSERT INTO rp_survey (request_id, customer_id, score, comment, answered_at) VALUES ($1, 'cust-paging', $2, 'same time', '2026-11-11T10:00:00.123456Z')`,
        [t.id, t.score],
      );
    }
    try {
      const comments = await pageThrough(
        `query($after: String) { satisfactionReport(filter: { customerId: "cust-paging", period: { quarter: "2026-Q4" } }) {
          comments(first: 2, after: $after) { totalCount edges { cursor node { number score } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`,
        'satisfactionReport',
        'comments',
      );
      expect(comments.map((p) => p.edges.length)).toEqual([2, 2, 1]);
      expect(comments.every((p) => p.totalCount === 5)).toBe(true);
      const scores = comments.flatMap((p) => p.edges.map((e) => e.node.score));
      expect([...scores].sort()).toEqual([1, 2, 3, 4, 5]);
      // Latest first, then the request id descending.
      expect(scores).toEqual([...tied].sort((a, b) => (a.id < b.id ? 1 : -1)).map((t) => t.score));
    } finally {
      await db.query(`DELETE FROM rp_survey WHERE customer_id = 'cust-paging'`);
    }

    // A cursor this API did not give out is refused (the server maps the domain error's code to extensions.code).
    const bad = await run(`{ satisfactionReport { comments(after: "bm90LWEtY3Vyc29y") { totalCount } } }`, {});
    expect(bad.errors?.[0]?.originalError).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('access: customers are refused, service managers see their own customers only', async () => {
    await expect(reports.openRequests(customer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reports.review(sm, 'cust-globex', '2026-Q4')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reports.bundles(sm, { customerId: 'cust-globex' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await reports.bundles(sm)).rows.map((r) => r.customerId)).toEqual(['cust-acme']);
    await expect(reports.review(msm, 'cust-nobody', '2026-Q4')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reports.review(msm, 'cust-acme', '2026-Q5')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('access follows the RACI rows of the Service Management Review (raci.csv 110–117)', async () => {
    const as = (role: Role, extra: Partial<Caller> = {}): Caller => ({ id: `x-${role}`, roles: [role], ...extra });
    // Row 116: the customer (Informed) reads its own organisation's review, no other.
    expect((await reports.review(customer, 'cust-acme', '2026-Q4')).customer.customerId).toBe('cust-acme');
    await expect(reports.review(customer, 'cust-globex', '2026-Q4')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Consulted: team leads (114, 117) and the product owner (115, every customer's plans) read it.
    for (const reader of [as('team_lead'), as('pd_product_owner'), msm])
      expect((await reports.review(reader, 'cust-globex', '2026-Q4')).quarter).toBe('2026-Q4');
    // No letter on the review's steps: refused.
    for (const role of [
      'manager_service_center',
      'customer_success_manager',
      'csm_director',
      'customer_success_director',
      'support_consultant',
      'pd_change_coordinator',
    ] as Role[])
      await expect(reports.review(as(role), 'cust-acme', '2026-Q4')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The desk's reports: the letters of their row and the declared exceptions (docs/raci.md).
    expect((await reports.openRequests(as('team_lead'))).asOf).toBeDefined();
    expect((await reports.compliance(msc, null, 'MONTH')).rows).toBeDefined();
    await expect(reports.compliance(as('team_lead'), null, 'MONTH')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const role of ['customer_success_manager', 'csm_director', 'customer_success_director'] as Role[]) {
      await expect(reports.openRequests(as(role))).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(reports.bundles(as(role))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('the Service Management Review: every section, as data, HTML and CSV', async () => {
    const review = await reports.review(sm, 'cust-acme', '2026-Q4');
    expect(review.customer).toMatchObject({ name: 'Acme <Logistiek>', serviceManagerId: 'p-sm' });
    expect(review.sla.quarter.map((r) => [r.target, r.rate])).toEqual([
      ['FIRST_RESPONSE', 0.4],
      ['WORKAROUND', 0.85],
    ]);
    expect(review.sla.highWorkaround.met).toBe(false);
    expect(review.sla.highWorkaroundMonths.map((r) => r.met)).toEqual([true, false]);
    expect(review.sla.sameDay).toMatchObject({ registered: 8, solvedSameDay: 2 });
    expect(review.openRequests.total).toBe(6);
    expect(review.openRequests.byPriority.map((p) => [p.priority, p.count])).toEqual([
      ['HIGH', 2],
      ['MEDIUM', 3],
      ['LOW', 1],
    ]);
    // R3's two version-4 events arrived in reverse: the later sequence (waiting for the customer) stands.
    expect(review.openRequests.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'REGISTERED', count: 2 },
        { status: 'WAITING_FOR_CUSTOMER', count: 1 },
        { status: 'IN_HANDLING', count: 1 },
        { status: 'HANDED_OVER', count: 1 },
        { status: 'REOPENED', count: 1 },
      ]),
    );
    expect(review.openRequests.oldest[0].number).toBe('SC-2026-R5');
    expect(review.bundle).toMatchObject({ year: 2026, upTo: '2026-11-21', bookedHours: 65, left: -5 });
    expect(review.escalations).toMatchObject({ opened: 3, openNow: 1 });
    expect(review.disruptions).toMatchObject({ onTimeUpdateRate: 2 / 3 });
    expect(review.satisfaction).toMatchObject({ tnps: 30, responses: 10 });
    expect(review.changes.map((c) => [c.changeRef, c.customerCount, c.requests.map((r) => r.number)])).toEqual([
      ['CHG-1', 3, ['SC-2026-R6']],
      ['CHG-2', 1, ['SC-2026-R3']],
    ]);

    const page = renderReviewHtml(review, ZONE);
    for (const id of ['sla', 'open-requests', 'bundle', 'escalations', 'disruptions', 'satisfaction', 'changes'])
      expect(page).toContain(`<section id="${id}">`);
    expect(page.match(/<svg /g)).toHaveLength(4);
    expect(page).toContain('<title>Service Management Review – Acme &lt;Logistiek&gt; – 2026-Q4</title>');
    expect(page).toContain('data-field="high-workaround"><span class="missed">MISSED</span>');
    expect(page).toContain('data-field="tnps">30<');
    expect(page).toContain('data-field="left">-5<');
    expect(page).toContain('data-field="same-day">25%<');
    expect(page).toContain('data-target="WORKAROUND">85%<');
    // Titles and comments are text, never markup.
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Wire up &lt;b&gt;payslips&lt;/b&gt;');

    const csv = renderReviewCsv(review);
    expect(csv.split('\n')[0]).toBe('section,item,period,value,detail');
    expect(csv).toContain('satisfaction,tnps,2026-Q4,30,');
    expect(csv).toContain('bundle,left,2026,-5,');
    expect(csv).toContain('sla,High workaround rule,2026-Q4,MISSED,');
    // A comment starting with = is neutralised for spreadsheets.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"") <script>alert(1)</script>"`);
  });

  it('freshness: up to which event each read model is current', async () => {
    const f = await reports.freshness();
    expect(f.journalEvents).toBe(events.length);
    const sla = f.readModels.find((r) => r.topic === 'servicecenter.sla.v1');
    const last = events.filter((e) => e.contract.topic === 'servicecenter.sla.v1').at(-1);
    expect(sla).toMatchObject({
      lastEventId: last?.envelope.id,
      eventsApplied: events.filter((e) => e.contract.topic === 'servicecenter.sla.v1').length,
    });
    expect(sla?.lagSeconds).toBe(Math.round((Date.parse(NOW) - Date.parse(last?.envelope.time as string)) / 1000));
  });

  it('rebuilds from the journal into empty read models with identical reports', async () => {
    const everything = async () => ({
      ...(await everyReport(reports)),
      freshness: (await reports.freshness()).readModels.map((r) => ({ ...r })),
      // The rollups kept at event time: deep-equal after the replay.
      rollups: Object.fromEntries(
        await Promise.all(
          ROLLUPS.map(async ({ table }) => [
            table,
            (await service.runtime().dataSource.query(`SELECT * FROM ${table} t ORDER BY t::text`)) as unknown[],
          ]),
        ),
      ) as Record<string, unknown[]>,
    });
    const before = await everything();
    for (const { table } of ROLLUPS) expect(before.rollups[table].length).toBeGreaterThan(0);
    await service.runtime().dataSource.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
    expect((await reports.openRequests(msc)).total).toBe(0);
    const result = await rebuildFromJournal(service.runtime().dataSource);
    expect(result).toEqual({
      source: 'journal',
      eventsReplayed: events.length,
      eventsSkipped: 0,
      pages: expect.any(Number),
    });
    expect(await everything()).toEqual(before);
  });
});
