import { decodeCursor, pageSize, requireCaller, toConnection } from '@servicecenter/platform-graphql';
import { forbidden } from '@servicecenter/platform-errors';
import type { SlaContext } from '../context';
import type { AtRiskRow } from '../persistence/at-risk.reader';
import { mayReadAtRisk } from '../domain/at-risk-access';
import { targetView } from './views';

interface Args {
  team?: string | null;
  product?: string | null;
  customer?: string | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The at-risk list is the desk's steering tool (raci.csv row 13 and the other SLA-watch rows):
 * support consultants, team leads and the manager Service Center; everyone else is FORBIDDEN.
 */
export const atRiskResolvers = {
  Query: {
    slaAtRisk: async (_: unknown, args: Args, ctx: SlaContext) => {
      const caller = requireCaller(ctx);
      if (!mayReadAtRisk(caller))
        throw forbidden('The SLA at-risk list is for support consultants, team leads and the manager Service Center');
      const first = pageSize(args.first);
      const after = decodeCursor<[string, string, string]>(args.after);
      const { rows, totalCount } = await ctx.atRisk.page(
        { teamId: args.team, productId: args.product, customerId: args.customer },
        ctx.now(),
        first + 1,
        after,
      );
      return toConnection(rows, first, (r) => [r.dueAt.toISOString(), r.requestId, r.kind], Boolean(after), totalCount);
    },
  },
  SlaRisk: {
    request: (r: AtRiskRow) => ({ __typename: 'Request', id: r.requestId }),
    target: async (r: AtRiskRow, _: unknown, ctx: SlaContext) => {
      const state = await ctx.loaders.stateByRequestId.load(r.requestId);
      const clock = state?.clocks.find((c) => c.kind === r.kind);
      // The row comes from this clock; without it the non-null target is a broken invariant.
      if (!state || !clock) throw new Error(`no ${r.kind} clock of request ${r.requestId} behind its at-risk row`);
      return targetView(clock, ctx.now(), (await ctx.agreements.forState(state)).calendar);
    },
  },
};
