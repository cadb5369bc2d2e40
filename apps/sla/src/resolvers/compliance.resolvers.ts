import type { Caller } from '@servicecenter/platform-auth';
import { badInput, forbidden } from '@servicecenter/platform-errors';
import { requireCaller } from '@servicecenter/platform-graphql';
import type { SlaContext } from '../context';
import type { Priority } from '../domain/clocks';
import { complianceRequests, slaCompliance } from '../domain/compliance';
import { mayReadCustomer } from './views';

interface SlaComplianceArgs {
  input: {
    period: { from: Date; to: Date };
    customerId?: string | null;
    productGroupId?: string | null;
    priority?: Priority | null;
  };
}

const MAX_PERIOD_MS = 366 * 86_400_000;

/**
 * Service Center (every role but `customer`) may read any compliance; a customer user only
 * their own organisation's, and must say so (customerId), so the report never mixes customers.
 */
const authorise = (caller: Caller, customerId: string | null | undefined): void => {
  if (!mayReadCustomer(caller, customerId))
    throw forbidden(
      'SLA compliance is for the Service Center; a customer may only read their own organisation (customerId)',
    );
};

export const complianceResolvers = {
  Query: {
    slaCompliance: async (_: unknown, { input }: SlaComplianceArgs, ctx: SlaContext) => {
      authorise(requireCaller(ctx), input.customerId);
      const { from, to } = input.period;
      if (to.getTime() <= from.getTime()) throw badInput('input.period.to', 'must be after from');
      if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw badInput('input.period', 'must be at most 366 days');
      const now = ctx.now();
      // "In the period" = registered in [from, to): the reader selects exactly that cohort.
      const states = await ctx.compliance.requestsRegisteredIn({
        period: { from, to },
        customerId: input.customerId,
        productGroupId: input.productGroupId,
        priority: input.priority,
      });
      // One lookup per agreement version: the book caches them.
      const calendars = await Promise.all(states.map(async (state) => (await ctx.agreements.forState(state)).calendar));
      // The goals of the agreement in force now: the customer's when the report is about one, else the generic one.
      const { complianceGoals } = (await ctx.agreements.current(input.customerId ?? null, now)).agreement;
      const report = slaCompliance(
        complianceRequests(states, now, (_, i) => calendars[i]),
        { from, to },
        now,
        complianceGoals,
      );
      return {
        ...report,
        customerId: input.customerId ?? null,
        productGroupId: input.productGroupId ?? null,
        priority: input.priority ?? null,
      };
    },
  },
};
