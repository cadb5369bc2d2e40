import { badInput } from '@servicecenter/platform-errors';
import {
  customerRefs,
  decodeCursor,
  pageSize,
  personRef,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import type { EscalationsContext } from '../context';
import { customerScope, scopeCoversCustomer } from '@servicecenter/platform-auth';
import { customerScopeOn, isInternal } from '../domain/authorisation';
import { canReadNotice, closesAt, type DisruptionNotice, type DisruptionStatus } from '../domain/disruption';
import type { DisruptionCursor } from '../persistence/disruption.repository';
import type {
  MutationInstructDisruptionAnalysisArgs,
  MutationLinkRequestToDisruptionArgs,
  MutationOpenDisruptionNoticeArgs,
  MutationPostDisruptionUpdateArgs,
  MutationPublishDisruptionNoticeArgs,
  MutationResolveDisruptionNoticeArgs,
  MutationStartDisruptionAnalysisArgs,
} from '../generated/graphql';

/** Ids this graph gives out; anything else finds nothing (rather than a database cast error). */
export const isId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/** A notice the caller may read, or null: drafts and other products' notices do not exist for a customer. */
async function visible(ctx: EscalationsContext, notice: DisruptionNotice | null): Promise<DisruptionNotice | null> {
  if (!notice) return null;
  const caller = requireCaller(ctx);
  if (isInternal(caller)) return notice;
  const hasRequest =
    !!caller.customerId &&
    notice.status !== 'DRAFT' &&
    (await ctx.disruptions.customerHasRequestOn(caller.customerId, notice.productId));
  return canReadNotice(caller, notice, hasRequest) ? notice : null;
}

const payload = (notice: DisruptionNotice) => ({ notice });

/** The notice's affected customers the caller may see. */
async function affectedCustomerIds(n: DisruptionNotice, ctx: EscalationsContext): Promise<string[]> {
  if (!ctx.caller) return [];
  const scope = customerScope(ctx.caller);
  const relations = await ctx.loaders.customerRelation.loadMany(n.affectedCustomerIds);
  return n.affectedCustomerIds.filter((id, i) => {
    const relation = relations[i];
    return scopeCoversCustomer(scope, id, relation instanceof Error ? null : relation);
  });
}

/** Merged into the escalations resolver map (resolvers/index.ts). */
export const disruptionResolvers = {
  Query: {
    disruptionNotice: async (
      _: unknown,
      args: { id?: string | null; number?: string | null },
      ctx: EscalationsContext,
    ) => {
      requireCaller(ctx);
      if (!args.id === !args.number) throw badInput('id', 'Give exactly one of id or number');
      if (args.id && !isId(args.id)) return null;
      return visible(
        ctx,
        args.id ? await ctx.disruptions.findById(args.id) : await ctx.disruptions.findByNumber(args.number as string),
      );
    },
    disruptionNotices: async (
      _: unknown,
      args: {
        productId?: string | null;
        status?: DisruptionStatus | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: EscalationsContext,
    ) => {
      const caller = requireCaller(ctx);
      const first = pageSize(args.first);
      if (!isInternal(caller)) {
        if (!caller.customerId || args.status === 'DRAFT') return toConnection([], first, () => null, false, 0);
      }
      const after = decodeCursor<DisruptionCursor>(args.after);
      const { rows, total } = await ctx.disruptions.list(
        {
          productId: args.productId,
          status: args.status,
          visibleToCustomerId: isInternal(caller) ? null : caller.customerId,
        },
        first + 1,
        after,
      );
      return toConnection(rows, first, (n) => [n.openedAt.toISOString(), n.id], !!after, total);
    },
  },
  Mutation: {
    openDisruptionNotice: async (_: unknown, args: MutationOpenDisruptionNoticeArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.openDisruptionNotice(requireCaller(ctx), args.input, ctx.correlationId)),
    publishDisruptionNotice: async (_: unknown, args: MutationPublishDisruptionNoticeArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.publishDisruptionNotice(requireCaller(ctx), args.input, ctx.correlationId)),
    postDisruptionUpdate: async (_: unknown, args: MutationPostDisruptionUpdateArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.postDisruptionUpdate(requireCaller(ctx), args.input, ctx.correlationId)),
    instructDisruptionAnalysis: async (
      _: unknown,
      args: MutationInstructDisruptionAnalysisArgs,
      ctx: EscalationsContext,
    ) =>
      payload(
        await ctx.disruptionUseCases.instructDisruptionAnalysis(requireCaller(ctx), args.input, ctx.correlationId),
      ),
    startDisruptionAnalysis: async (_: unknown, args: MutationStartDisruptionAnalysisArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.startDisruptionAnalysis(requireCaller(ctx), args.input, ctx.correlationId)),
    linkRequestToDisruption: async (_: unknown, args: MutationLinkRequestToDisruptionArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.linkRequestToDisruption(requireCaller(ctx), args.input, ctx.correlationId)),
    resolveDisruptionNotice: async (_: unknown, args: MutationResolveDisruptionNoticeArgs, ctx: EscalationsContext) =>
      payload(await ctx.disruptionUseCases.resolveDisruptionNotice(requireCaller(ctx), args.input, ctx.correlationId)),
  },
  DisruptionNotice: {
    // A notice concerns a product, and several customers: its text is public, but among the
    // named customers and linked requests each caller sees those of the customers the
    // visibility rule lets them see (a customer: itself; a service manager: their own).
    affectedCustomers: async (n: DisruptionNotice, _: unknown, ctx: EscalationsContext) =>
      customerRefs(await affectedCustomerIds(n, ctx)),
    affectedCustomerIds: (n: DisruptionNotice, _: unknown, ctx: EscalationsContext) => affectedCustomerIds(n, ctx),
    openedBy: (n: DisruptionNotice) => personRef(n.openedBy),
    openedById: (n: DisruptionNotice) => n.openedBy,
    resolvedBy: (n: DisruptionNotice) => personRef(n.resolvedBy),
    resolvedById: (n: DisruptionNotice) => n.resolvedBy,
    analysisInstructedBy: (n: DisruptionNotice) => personRef(n.analysisInstructedBy),
    analysisStartedBy: (n: DisruptionNotice) => personRef(n.analysisStartedBy),
    linkedRequests: async (n: DisruptionNotice, _: unknown, ctx: EscalationsContext) => {
      if (!ctx.caller) return [];
      const caller = ctx.caller;
      if (customerScope(caller).all) return n.linkedRequestIds.map((id) => ({ id }));
      const shown = await ctx.disruptions.requestsInScope(n.linkedRequestIds, (first) =>
        customerScopeOn(caller, 'v.customer_id', first),
      );
      return shown.map((id) => ({ id }));
    },
    closesAt: (n: DisruptionNotice) => (n.status === 'RESOLVED' ? closesAt(n) : null),
  },
};
