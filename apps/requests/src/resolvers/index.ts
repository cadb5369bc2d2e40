import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar, requireCaller } from '@servicecenter/graphql';
import { badInput } from '@servicecenter/errors';
import { statusResolver } from '@servicecenter/service';
import type { Request } from '../domain/request';
import { canRead } from '../domain/access';
import type { RequestsContext } from '../context';

/** Thin: check who asks, call the domain, hand back domain objects. */
export const resolvers: GraphQLResolverMap<RequestsContext> = {
  DateTime: DateTimeScalar as never,
  Query: {
    request: async (_: unknown, args: { id?: string | null; number?: string | null }, ctx: RequestsContext) => {
      const caller = requireCaller(ctx);
      if (!args.id === !args.number) throw badInput('id', 'Give exactly one of id or number');
      const request = args.id ? await ctx.loaders.requestById.load(args.id) : await ctx.reader.findByNumber(args.number as string);
      return request && canRead(caller, request) ? request : null;
    },
    requestsStatus: statusResolver,
  },
  Mutation: {
    registerRequest: async (_: unknown, args: { input: unknown }, ctx: RequestsContext) => ({
      request: await ctx.useCases.registerRequest(requireCaller(ctx), args.input, ctx.correlationId),
    }),
  },
  Request: {
    __resolveReference: async (ref: { id: string }, ctx: RequestsContext): Promise<Request | null> => {
      const request = await ctx.loaders.requestById.load(ref.id);
      return request && canRead(ctx.caller, request) ? request : null;
    },
    // GraphQLResolverMap has no type for __resolveReference, hence the cast (as in sla).
  } as never,
};
