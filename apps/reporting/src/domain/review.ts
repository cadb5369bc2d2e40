import { DateTime } from 'luxon';
import type { ReportReader } from '../persistence/report.reader';
import { quarterPeriod } from './period';
import {
  PRIORITIES,
  type ChangeWait,
  type ComplianceRow,
  type DisruptionFigures,
  type DisruptionItem,
  type EscalationFigures,
  type HighWorkaroundPeriod,
  type OpenRequestItem,
  type OpenRequestsRow,
  type Priority,
  type ReportScope,
  type SameDayRow,
  type SatisfactionRow,
  type StatusCount,
  type SurveyComment,
} from './reports';
import { AGE_BUCKETS, bundleUse, type AgeBucketKey, type BundleUse } from './rules';

/** The customer a review is about, with its service manager and customer success manager. */
export interface ReviewCustomer {
  customerId: string;
  name: string;
  serviceManagerId: string | null;
  customerSuccessManagerId: string | null;
}

/** The Service Management Review of one customer and quarter: the template's sections. */
export interface ServiceManagementReview {
  customer: ReviewCustomer;
  quarter: string;
  from: Date;
  to: Date;
  generatedAt: Date;
  sla: {
    months: ComplianceRow[];
    quarter: ComplianceRow[];
    highWorkaround: HighWorkaroundPeriod;
    highWorkaroundMonths: HighWorkaroundPeriod[];
    sameDay: SameDayRow;
  };
  openRequests: {
    total: number;
    byPriority: { priority: Priority; count: number; ages: Record<AgeBucketKey, number> }[];
    byStatus: StatusCount[];
    oldest: OpenRequestItem[];
  };
  bundle: BundleUse & { year: number; upTo: string };
  escalations: EscalationFigures;
  disruptions: DisruptionFigures & { notices: DisruptionItem[] };
  satisfaction: SatisfactionRow & { comments: SurveyComment[] };
  changes: ChangeWait[];
}

/** How many lines the review shows of its lists (one customer, one quarter; the reports page through all). */
export const REVIEW_OLDEST = 10;
export const REVIEW_NOTICES = 50;
export const REVIEW_COMMENTS = 20;

/**
 * Assembles the review from the report queries. Open requests and changes are as of `now`
 * (the review is prepared and discussed at a moment); the other sections cover the quarter;
 * the bundle is year to date up to the quarter's end (or today, when earlier).
 */
export async function buildReview(
  reader: ReportReader,
  customer: ReviewCustomer,
  quarter: string,
  now: Date,
  zone: string,
): Promise<ServiceManagementReview> {
  const period = quarterPeriod(quarter, zone, 'input.quarter');
  const scope: ReportScope = { ...period, customerIds: [customer.customerId] };
  const { openWork, sla, satisfaction: said, escalations: esc } = reader;
  // The review is a printed document: its lists are the first lines of the paged lists.
  const [
    months,
    quarterRows,
    hwMonths,
    hwQuarter,
    sameDay,
    open,
    byStatus,
    oldest,
    escalations,
    disruptions,
    notices,
    satisfaction,
    comments,
    changes,
  ] = await Promise.all([
    sla.compliance(scope, 'MONTH'),
    sla.compliance(scope, 'QUARTER'),
    sla.highWorkaround(scope, 'MONTH'),
    sla.highWorkaround(scope, 'QUARTER'),
    sla.sameDay(scope, 'QUARTER'),
    openWork.openRequests(scope, now),
    openWork.openByStatus(scope),
    openWork.oldestOpen(scope, now, REVIEW_OLDEST),
    esc.escalations(scope),
    esc.disruptions(scope, now),
    esc.notices(scope, REVIEW_NOTICES),
    said.satisfaction(scope, 'QUARTER'),
    said.surveyComments(scope, REVIEW_COMMENTS),
    openWork.changeWaits(scope, now),
  ]);
  const start = DateTime.fromJSDate(period.from, { zone });
  const end = DateTime.min(
    DateTime.fromJSDate(period.to, { zone }),
    DateTime.fromJSDate(now, { zone }).plus({ days: 1 }).startOf('day'),
  );
  const yearStart = start.startOf('year').toISODate() as string;
  const upTo = (end < start ? start : end).toISODate() as string;
  const [booked] = await said.bookedHours([customer.customerId], yearStart, upTo);
  const byPriority = PRIORITIES.map((priority) => {
    const rows = open.filter((r: OpenRequestsRow) => r.priority === priority);
    const ages = Object.fromEntries(
      AGE_BUCKETS.map((b) => [b.key, rows.reduce((n, r) => n + r.ages[b.key], 0)]),
    ) as Record<AgeBucketKey, number>;
    return { priority, count: rows.reduce((n, r) => n + r.count, 0), ages };
  });
  return {
    customer,
    quarter,
    from: period.from,
    to: period.to,
    generatedAt: now,
    sla: {
      months: months.filter((r) => r.period !== ''),
      quarter: quarterRows.filter((r) => r.period === ''),
      highWorkaround: hwQuarter.total,
      highWorkaroundMonths: hwMonths.periods,
      sameDay: sameDay.total,
    },
    openRequests: { total: byPriority.reduce((n, p) => n + p.count, 0), byPriority, byStatus, oldest },
    bundle: { ...bundleUse(booked?.base ?? 0, booked?.credit ?? 0, booked?.booked ?? 0), year: start.year, upTo },
    escalations,
    disruptions: { ...disruptions, notices: notices.map((n) => n.node) },
    satisfaction: { ...satisfaction.total, comments: comments.map((c) => c.node) },
    changes,
  };
}
