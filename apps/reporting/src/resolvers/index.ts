import { customerRef, DateTimeScalar, personRef, requireCaller, requireRole } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { ReportGranularity, Resolvers } from '../generated/graphql';

const g = (granularity?: ReportGranularity | null): ReportGranularity => granularity ?? 'MONTH';

/** Thin: who asks, then the report queries (which check access and narrow the customers). */
export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    reportingStatus: statusResolver,
    // Operational: how far each read model is behind its topic. Admins only, like the status queries.
    reportingFreshness: (_, __, ctx) => {
      requireRole(ctx, 'admin');
      return ctx.reports.freshness();
    },
    openRequestsReport: (_, args, ctx) => ctx.reports.openRequests(requireCaller(ctx), args.filter, args.oldest),
    responseTimeReport: (_, args, ctx) => ctx.reports.responseTimes(requireCaller(ctx), args.filter),
    consultingChangesReport: (_, args, ctx) => ctx.reports.consultingChanges(requireCaller(ctx), args.filter),
    slaComplianceReport: (_, args, ctx) => ctx.reports.compliance(requireCaller(ctx), args.filter, g(args.granularity)),
    sameDayResolutionReport: (_, args, ctx) =>
      ctx.reports.sameDay(requireCaller(ctx), args.filter, g(args.granularity)),
    satisfactionReport: (_, args, ctx) =>
      ctx.reports.satisfaction(requireCaller(ctx), args.filter, g(args.granularity)),
    bundleUseReport: (_, args, ctx) => ctx.reports.bundles(requireCaller(ctx), args.filter),
    escalationsReport: (_, args, ctx) => ctx.reports.escalations(requireCaller(ctx), args.filter),
    serviceManagementReview: (_, args, ctx) =>
      ctx.reports.review(requireCaller(ctx), args.input.customerId, args.input.quarter),
  },
  // The lists that can grow are connections, paged within the scope of their report.
  ConsultingChangesReport: {
    requests: (report, args, ctx) => ctx.reports.consultingRequests(report, args),
  },
  SatisfactionReport: {
    comments: (report, args, ctx) => ctx.reports.surveyComments(report, args),
  },
  EscalationsReport: {
    notices: (report, args, ctx) => ctx.reports.notices(report, args),
  },
  // References to the directory's people and customers (resolved, with their read rules, by the requests subgraph).
  ReportRequest: { customer: (r) => customerRef(r.customerId) },
  BundleUseRow: { customer: (r) => customerRef(r.customerId) },
  ReviewCustomer: {
    customer: (c) => customerRef(c.customerId),
    serviceManager: (c) => personRef(c.serviceManagerId),
    customerSuccessManager: (c) => personRef(c.customerSuccessManagerId),
  },
  ServiceManagementReview: {
    disruptions: (r) => ({ figures: r.disruptions, notices: r.disruptions.notices }),
    satisfaction: (r) => ({ figures: r.satisfaction, comments: r.satisfaction.comments }),
    htmlPath: (r) => reviewPath(r.customer.customerId, r.quarter, 'html'),
    csvPath: (r) => reviewPath(r.customer.customerId, r.quarter, 'csv'),
  },
};

export const reviewPath = (customerId: string, quarter: string, ext: 'html' | 'csv') =>
  `/reviews/${encodeURIComponent(customerId)}/${quarter}.${ext}`;
