import {
  customerRef,
  DateTimeScalar,
  personRef,
  requireCaller,
  requireRole,
  type SubgraphResolverMap,
} from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { ReportingContext } from '../context';
import type { PageArgs } from '../domain/paging';
import type { ReportFilterInput, Scoped } from '../domain/report-queries';
import type { ServiceManagementReview } from '../domain/review';
import type { Granularity } from '../persistence/report.reader';

type Args = { filter?: ReportFilterInput | null; granularity?: Granularity | null };
const g = (args: Args): Granularity => args.granularity ?? 'MONTH';

/** Thin: who asks, then the report queries (which check access and narrow the customers). */
/**
 * Not yet the generated Resolvers type: its report shapes differ from the schema where the
 * generated types would catch it (totals possibly undefined in non-null fields, priorities as
 * strings), which needs the report queries changed, not only their types.
 */
export const resolvers: SubgraphResolverMap<ReportingContext> = {
  DateTime: DateTimeScalar,
  Query: {
    reportingStatus: statusResolver,
    // Operational: how far each read model is behind its topic. Admins only, like the status queries.
    reportingFreshness: (_: unknown, __: unknown, ctx: ReportingContext) => {
      requireRole(ctx, 'admin');
      return ctx.reports.freshness();
    },
    openRequestsReport: (_: unknown, args: Args & { oldest?: number | null }, ctx: ReportingContext) =>
      ctx.reports.openRequests(requireCaller(ctx), args.filter, args.oldest),
    responseTimeReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.responseTimes(requireCaller(ctx), args.filter),
    consultingChangesReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.consultingChanges(requireCaller(ctx), args.filter),
    slaComplianceReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.compliance(requireCaller(ctx), args.filter, g(args)),
    sameDayResolutionReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.sameDay(requireCaller(ctx), args.filter, g(args)),
    satisfactionReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.satisfaction(requireCaller(ctx), args.filter, g(args)),
    bundleUseReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.bundles(requireCaller(ctx), args.filter),
    escalationsReport: (_: unknown, args: Args, ctx: ReportingContext) =>
      ctx.reports.escalations(requireCaller(ctx), args.filter),
    serviceManagementReview: (
      _: unknown,
      args: { input: { customerId: string; quarter: string } },
      ctx: ReportingContext,
    ) => ctx.reports.review(requireCaller(ctx), args.input.customerId, args.input.quarter),
  },
  // The lists that can grow are connections, paged within the scope of their report.
  ConsultingChangesReport: {
    requests: (r: Scoped & { asOf: Date; total: number }, args: PageArgs, ctx: ReportingContext) =>
      ctx.reports.consultingRequests(r, args),
  },
  SatisfactionReport: {
    comments: (r: Scoped, args: PageArgs, ctx: ReportingContext) => ctx.reports.surveyComments(r, args),
  },
  EscalationsReport: {
    notices: (r: Scoped, args: PageArgs, ctx: ReportingContext) => ctx.reports.notices(r, args),
  },
  // References to the directory's people and customers (resolved, with their read rules, by the requests subgraph).
  ReportRequest: { customer: (r: { customerId: string }) => customerRef(r.customerId) },
  BundleUseRow: { customer: (r: { customerId: string }) => customerRef(r.customerId) },
  ReviewCustomer: {
    customer: (c: ServiceManagementReview['customer']) => customerRef(c.customerId),
    serviceManager: (c: ServiceManagementReview['customer']) => personRef(c.serviceManagerId),
    customerSuccessManager: (c: ServiceManagementReview['customer']) => personRef(c.customerSuccessManagerId),
  },
  ServiceManagementReview: {
    disruptions: (r: ServiceManagementReview) => ({ figures: r.disruptions, notices: r.disruptions.notices }),
    satisfaction: (r: ServiceManagementReview) => ({ figures: r.satisfaction, comments: r.satisfaction.comments }),
    htmlPath: (r: ServiceManagementReview) => reviewPath(r.customer.customerId, r.quarter, 'html'),
    csvPath: (r: ServiceManagementReview) => reviewPath(r.customer.customerId, r.quarter, 'csv'),
  },
};

export const reviewPath = (customerId: string, quarter: string, ext: 'html' | 'csv') =>
  `/reviews/${encodeURIComponent(customerId)}/${quarter}.${ext}`;
