import { customerRef, DateScalar, DateTimeScalar } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { RequestSla } from '../domain/request-sla';
import type { SlaContext } from '../context';
import type { Priority, Resolvers } from '../generated/graphql';
import { TARGET_KINDS } from '../domain/clocks';
import { targetView } from './views';
import { complianceResolvers } from './compliance.resolvers';
import { atRiskResolvers } from './at-risk.resolvers';
import { agreementResolvers } from './agreement.resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: {
    slaStatus: statusResolver,
    ...complianceResolvers.Query,
    ...atRiskResolvers.Query,
    ...agreementResolvers.Query,
  },
  Mutation: agreementResolvers.Mutation,
  BusinessCalendar: agreementResolvers.BusinessCalendar,
  SlaAgreement: agreementResolvers.SlaAgreement,
  SlaRisk: atRiskResolvers.SlaRisk,
  SlaCompliance: { customer: (c: { customerId?: string | null }) => customerRef(c.customerId) },
  Request: {
    // The requests subgraph decides who may see a request; the gateway only reaches this
    // field through a Request that subgraph returned.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    sla: (request: { id: string }, _: unknown, ctx: SlaContext) => ctx.loaders.slaByRequestId.load(request.id),
  },
  RequestSla: {
    timeline: (sla: RequestSla, _: unknown, ctx: SlaContext) => ctx.loaders.timelineByRequestId.load(sla.requestId),
    // The SLA state holds the request's priority as the requests service names it: the Priority enum's values.
    priority: async (sla: RequestSla, _: unknown, ctx: SlaContext) =>
      ((await ctx.loaders.stateByRequestId.load(sla.requestId))?.priority ?? sla.priority) as Priority,
    targets: async (sla: RequestSla, _: unknown, ctx: SlaContext) => {
      const state = await ctx.loaders.stateByRequestId.load(sla.requestId);
      if (!state) return [];
      const now = ctx.now();
      const { calendar } = await ctx.agreements.forState(state);
      return TARGET_KINDS.map((kind) => state.clocks.find((c) => c.kind === kind))
        .filter((clock) => clock !== undefined)
        .map((clock) => targetView(clock, now, calendar));
    },
  },
};
