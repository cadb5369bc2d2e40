import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar } from '@servicecenter/graphql';
import { statusResolver } from '@servicecenter/service';
import type { RequestSla } from '../domain/request-sla';
import type { SlaContext } from '../context';

export const resolvers: GraphQLResolverMap<SlaContext> = {
  DateTime: DateTimeScalar as never,
  Query: {
    slaStatus: statusResolver,
  },
  Request: {
    // The requests subgraph decides who may see a request; the gateway only reaches this
    // field through a Request that subgraph returned.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    sla: (request: { id: string }, _: unknown, ctx: SlaContext) => ctx.loaders.slaByRequestId.load(request.id),
  } as never,
  RequestSla: {
    timeline: (sla: RequestSla, _: unknown, ctx: SlaContext) => ctx.loaders.timelineByRequestId.load(sla.requestId),
  } as never,
};
