import { customerScope, hasRole } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import {
  customerRef,
  decodeCursor,
  pageSize,
  personRef,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import type { EscalationsContext } from '../context';
import { RIGHTS, customerScopeOn } from '../domain/authorisation';
import type { ReviewActionPoint, ReviewAlignment } from '../domain/review';
import type { ReviewCursor } from '../persistence/review.repository';
import type {
  MutationAddReviewActionPointArgs,
  MutationFollowUpReviewActionPointArgs,
  MutationRecordReviewAlignmentArgs,
  MutationRecordReviewConversationArgs,
} from '../generated/graphql';

type ListArgs = { customerId: string; quarter?: string | null; first?: number | null; after?: string | null };

/**
 * The readers of a query's RACI rows, within the visibility rule; the product owner, Consulted on every
 * customer's plans (row 115), reads the alignments of every customer, as reporting's review.
 */
function readScope(ctx: EscalationsContext, operation: string) {
  const caller = requireCaller(ctx);
  const rows = RIGHTS.rowsOf(operation);
  if (!RIGHTS.mayRead(caller, rows))
    throw forbidden(`Read by ${RIGHTS.readers(rows).join(', ')} (raci.csv ${RIGHTS.describe(rows)})`);
  const everyCustomer = !customerScope(caller).all && hasRole(caller, 'pd_product_owner') && rows.includes(115);
  return (firstParam: number) =>
    everyCustomer ? { sql: 'true', params: [] } : customerScopeOn(caller, 't.customer_id', firstParam);
}

/** Merged into the escalations resolver map (resolvers/index.ts). Thin: the rules are the domain's. */
export const reviewResolvers = {
  Query: {
    reviewAlignments: async (_: unknown, args: ListArgs, ctx: EscalationsContext) => {
      const scope = readScope(ctx, 'reviewAlignments');
      const first = pageSize(args.first);
      const after = decodeCursor<ReviewCursor>(args.after);
      const { rows, total } = await ctx.review.alignments(args, scope, first + 1, after);
      return toConnection(rows, first, (a) => [a.at.toISOString(), a.id], !!after, total);
    },
    reviewActionPoints: async (_: unknown, args: ListArgs, ctx: EscalationsContext) => {
      const scope = readScope(ctx, 'reviewActionPoints');
      const first = pageSize(args.first);
      const after = decodeCursor<ReviewCursor>(args.after);
      const { rows, total } = await ctx.review.actionPoints(args, scope, first + 1, after);
      return toConnection(rows, first, (p) => [p.createdAt.toISOString(), p.id], !!after, total);
    },
  },
  Mutation: {
    recordReviewAlignment: async (_: unknown, args: MutationRecordReviewAlignmentArgs, ctx: EscalationsContext) => ({
      alignment: await ctx.useCases.recordReviewAlignment(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    addReviewActionPoint: async (_: unknown, args: MutationAddReviewActionPointArgs, ctx: EscalationsContext) => ({
      actionPoint: await ctx.useCases.addReviewActionPoint(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    followUpReviewActionPoint: async (
      _: unknown,
      args: MutationFollowUpReviewActionPointArgs,
      ctx: EscalationsContext,
    ) => ({
      actionPoint: await ctx.useCases.followUpReviewActionPoint(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    recordReviewConversation: async (
      _: unknown,
      args: MutationRecordReviewConversationArgs,
      ctx: EscalationsContext,
    ) => ({
      communication: await ctx.useCases.recordReviewConversation(requireCaller(ctx), args.input, ctx.correlationId),
    }),
  },
  ReviewAlignment: {
    customer: (a: ReviewAlignment) => customerRef(a.customerId),
    by: (a: ReviewAlignment) => personRef(a.by),
  },
  ReviewActionPoint: {
    customer: (p: ReviewActionPoint) => customerRef(p.customerId),
    createdBy: (p: ReviewActionPoint) => personRef(p.createdBy),
  },
  ReviewActionPointFollowUp: {
    by: (f: { by: string }) => personRef(f.by),
  },
};
