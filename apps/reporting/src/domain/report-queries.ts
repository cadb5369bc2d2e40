import { DateTime } from 'luxon';
import { customerScope, type Caller } from '@servicecenter/platform-auth';
import { badInput, notFound } from '@servicecenter/platform-errors';
import type { Granularity, ReportReader } from '../persistence/report.reader';
import { mustReadReport, narrowCustomers, reviewScope, type CustomerScope, type ReportOperation } from './access';
import { keysetConnection, keysetPage, type CountedConnection, type PageArgs } from './paging';
import { currentQuarter, resolvePeriod, type Period, type PeriodInput } from './period';
import type {
  AgeBuckets,
  ComplianceRow,
  DisruptionFigures,
  DisruptionItem,
  EscalationFigures,
  HighWorkaroundPeriod,
  OpenRequestItem,
  OpenRequestsRow,
  Priority,
  ReportScope,
  SameDayRow,
  SatisfactionRow,
  SurveyComment,
} from './reports';
import { buildReview, type ServiceManagementReview } from './review';
import { AGE_BUCKETS, SAME_DAY_GOAL, bundleUse } from './rules';

export interface ReportFilterInput {
  period?: PeriodInput | null;
  customerId?: string | null;
  productGroupId?: string | null;
  productId?: string | null;
  priority?: Priority | null;
}

const limit = (n: number | null | undefined, field: string, fallback: number) => {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 100) throw badInput(field, `${field} must be between 0 and 100`);
  return v;
};

const QUARTER = /^\d{4}-Q[1-4]$/;

/** A report whose lists are paged later, each page within the scope the report was made for. */
export interface Scoped {
  scope: ReportScope;
}

export interface ConsultingChangesReport extends Scoped {
  asOf: Date;
  total: number;
  rows: OpenRequestsRow[];
}

export interface SlaComplianceReport {
  period: ReportScope;
  granularity: Granularity;
  rows: ComplianceRow[];
  totals: ComplianceRow[];
  highWorkaround: HighWorkaroundPeriod;
  highWorkaroundPerPeriod: HighWorkaroundPeriod[];
}

export interface SameDayResolutionReport {
  period: ReportScope;
  goal: number;
  total: SameDayRow;
  rows: SameDayRow[];
}

export interface SatisfactionReport extends Scoped {
  period: ReportScope;
  total: SatisfactionRow;
  rows: SatisfactionRow[];
}

export interface EscalationsReport extends Scoped {
  period: ReportScope;
  escalations: EscalationFigures;
  disruptions: DisruptionFigures;
}

/**
 * Every report for a caller: who may read (FORBIDDEN otherwise), which customers they see,
 * which period; then the reader's aggregates. Lists that can grow are separate pages
 * (`consultingRequests`, `surveyComments`, `notices`) within the scope of the report they
 * belong to, so access is checked once, by the report. Used by the resolvers and the review page.
 */
export class ReportQueries {
  constructor(
    private readonly reader: ReportReader,
    private readonly zone: string,
    private readonly now: () => Date,
  ) {}

  /** The customers the caller may read the operation's figures of; FORBIDDEN for a role the RACI rows leave out. */
  private async customers(caller: Caller, operation: ReportOperation): Promise<CustomerScope> {
    mustReadReport(caller, operation);
    const scope = operation === 'serviceManagementReview' ? reviewScope(caller) : customerScope(caller);
    return scope.all ? null : this.reader.directory.customersIn(scope);
  }

  private async scope(
    caller: Caller,
    operation: ReportOperation,
    filter: ReportFilterInput | null | undefined,
    fallback?: () => Period,
  ): Promise<ReportScope> {
    const own = await this.customers(caller, operation);
    const period = resolvePeriod(filter?.period, this.zone, fallback ?? (() => currentQuarter(this.now(), this.zone)));
    return {
      ...period,
      customerIds: narrowCustomers(own, filter?.customerId),
      productGroupId: filter?.productGroupId ?? null,
      productId: filter?.productId ?? null,
      priority: filter?.priority ?? null,
    };
  }

  async openRequests(caller: Caller, filter?: ReportFilterInput | null, oldest?: number | null) {
    const s = await this.scope(caller, 'openRequestsReport', filter);
    const now = this.now();
    const [rows, list] = await Promise.all([
      this.reader.openWork.openRequests(s, now),
      this.reader.openWork.oldestOpen(s, now, limit(oldest, 'oldest', 10)),
    ]);
    return {
      asOf: now,
      total: rows.reduce((n, r) => n + r.count, 0),
      ages: sumAges(rows.map((r) => r.ages)),
      rows,
      oldest: list,
    };
  }

  async responseTimes(caller: Caller, filter?: ReportFilterInput | null) {
    const s = await this.scope(caller, 'responseTimeReport', filter);
    const now = this.now();
    return { asOf: now, rows: await this.reader.openWork.responseTimes(s, now) };
  }

  async consultingChanges(caller: Caller, filter?: ReportFilterInput | null): Promise<ConsultingChangesReport> {
    const s = await this.scope(caller, 'consultingChangesReport', filter);
    const now = this.now();
    const rows = await this.reader.openWork.consultingChanges(s, now);
    return { asOf: now, total: rows.reduce((n, r) => n + r.count, 0), rows, scope: s };
  }

  /** A page of the consulting report's requests, oldest first; ages as of the report's time. */
  async consultingRequests(
    report: Scoped & { asOf: Date; total: number },
    args?: PageArgs | null,
  ): Promise<CountedConnection<OpenRequestItem>> {
    const { first, after } = keysetPage(args);
    const rows = await this.reader.openWork.consultingRequests(report.scope, report.asOf, first + 1, after);
    return keysetConnection(rows, first, after, report.total);
  }

  async compliance(
    caller: Caller,
    filter: ReportFilterInput | null | undefined,
    granularity: Granularity,
  ): Promise<SlaComplianceReport> {
    const s = await this.scope(caller, 'slaComplianceReport', filter);
    const [all, hw] = await Promise.all([
      this.reader.sla.compliance(s, granularity),
      this.reader.sla.highWorkaround(s, granularity),
    ]);
    return {
      period: s,
      granularity,
      rows: all.filter((r) => r.period !== ''),
      totals: all.filter((r) => r.period === ''),
      highWorkaround: hw.total,
      highWorkaroundPerPeriod: hw.periods,
    };
  }

  async sameDay(
    caller: Caller,
    filter: ReportFilterInput | null | undefined,
    granularity: Granularity,
  ): Promise<SameDayResolutionReport> {
    const s = await this.scope(caller, 'sameDayResolutionReport', filter);
    const { total, periods } = await this.reader.sla.sameDay(s, granularity);
    return { period: s, goal: SAME_DAY_GOAL, total, rows: periods };
  }

  async satisfaction(
    caller: Caller,
    filter: ReportFilterInput | null | undefined,
    granularity: Granularity,
  ): Promise<SatisfactionReport> {
    const s = await this.scope(caller, 'satisfactionReport', filter);
    const { total, periods } = await this.reader.satisfaction.satisfaction(s, granularity);
    return { period: s, total, rows: periods, scope: s };
  }

  /** A page of the comments answered in the satisfaction report's period, latest first. */
  async surveyComments(report: Scoped, args?: PageArgs | null): Promise<CountedConnection<SurveyComment>> {
    const { first, after } = keysetPage(args);
    const [rows, total] = await Promise.all([
      this.reader.satisfaction.surveyComments(report.scope, first + 1, after),
      this.reader.satisfaction.surveyCommentCount(report.scope),
    ]);
    return keysetConnection(rows, first, after, total);
  }

  /**
   * Bundles are per calendar year: the year of the period (default: this year), year to date
   * when the year is running. Hours count by their work date.
   */
  async bundles(caller: Caller, filter?: ReportFilterInput | null) {
    const now = DateTime.fromJSDate(this.now(), { zone: this.zone });
    const s = await this.scope(caller, 'bundleUseReport', filter, () => ({
      from: now.startOf('year').toJSDate(),
      to: now.startOf('year').plus({ years: 1 }).toJSDate(),
      label: String(now.year),
    }));
    const start = DateTime.fromJSDate(s.from, { zone: this.zone });
    const yearEnd = start.startOf('year').plus({ years: 1 });
    const end = DateTime.min(DateTime.fromJSDate(s.to, { zone: this.zone }), yearEnd);
    const upTo = end.toISODate() as string;
    const rows = await this.reader.satisfaction.bookedHours(
      s.customerIds,
      start.startOf('year').toISODate() as string,
      upTo,
    );
    return {
      year: start.year,
      upTo,
      rows: rows.map((r) => ({
        customerId: r.customerId,
        customerName: r.name,
        year: start.year,
        ...bundleUse(r.base, r.credit, r.booked),
      })),
    };
  }

  async escalations(caller: Caller, filter?: ReportFilterInput | null): Promise<EscalationsReport> {
    const s = await this.scope(caller, 'escalationsReport', filter);
    const [escalations, disruptions] = await Promise.all([
      this.reader.escalations.escalations(s),
      this.reader.escalations.disruptions(s, this.now()),
    ]);
    return { period: s, escalations, disruptions, scope: s };
  }

  /** A page of the disruption notices active in the escalations report's period, in the order they began. */
  async notices(report: Scoped, args?: PageArgs | null): Promise<CountedConnection<DisruptionItem>> {
    const { first, after } = keysetPage(args);
    const [rows, total] = await Promise.all([
      this.reader.escalations.notices(report.scope, first + 1, after),
      this.reader.escalations.noticeCount(report.scope),
    ]);
    return keysetConnection(rows, first, after, total);
  }

  /** How current the read models are: operational, for admins (the resolver checks the role). */
  async freshness() {
    const [readModels, journalEvents] = await Promise.all([
      this.reader.directory.freshness(this.now()),
      this.reader.directory.journalSize(),
    ]);
    return { readModels, journalEvents };
  }

  async review(caller: Caller, customerId: string, quarter: string): Promise<ServiceManagementReview> {
    if (!QUARTER.test(quarter)) throw badInput('input.quarter', 'A quarter looks like 2026-Q4');
    narrowCustomers(await this.customers(caller, 'serviceManagementReview'), customerId);
    const customer = await this.reader.directory.customer(customerId);
    if (!customer) throw notFound('Customer', customerId);
    return buildReview(this.reader, customer, quarter, this.now(), this.zone);
  }
}

function sumAges(list: AgeBuckets[]): AgeBuckets {
  return Object.fromEntries(AGE_BUCKETS.map((b) => [b.key, list.reduce((n, a) => n + a[b.key], 0)])) as AgeBuckets;
}
