import type { Caller } from '@servicecenter/platform-auth';
import { badInput } from '@servicecenter/platform-errors';
import {
  customerRef,
  DateTimeScalar,
  ROLE_ENUM_VALUES,
  decodeCursor,
  pageSize,
  personRef,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { EscalationsContext } from '../context';
import type { Ask } from '../domain/ask';
import { attentionScope, type AttentionItem } from '../domain/attention';
import {
  canReadEscalation,
  customerScopeOn,
  escalationScopeSql,
  isInternal,
  mustBeInternal,
} from '../domain/authorisation';
import { nextStep, type Escalation } from '../domain/escalation';
import type { UrgentCall } from '../domain/urgent-call';
import type { CustomerCommunication } from '../domain/customer-communication';
import type { CommunicationCursor } from '../persistence/communication.repository';
import type { EscalationCursor, EscalationFilter } from '../persistence/escalation.repository';
import { disruptionResolvers, isId } from './disruptions';
import { notificationResolvers } from './notifications';
import { reviewResolvers } from './review';
import type {
  MutationAnswerStatusUpdateArgs,
  MutationAskPriorityChangeArgs,
  MutationAskStatusUpdateArgs,
  MutationCloseEscalationArgs,
  MutationCommunicateWithCustomerArgs,
  MutationDecidePriorityChangeArgs,
  MutationLogUrgentCallArgs,
  MutationOpenEscalationArgs,
  MutationRecordEscalationStepArgs,
  Resolvers,
  RoleResolvers,
} from '../generated/graphql';

/**
 * An escalation the caller may read (the graph's visibility rule), or null: an escalation of a
 * customer the caller may not see does not exist for them.
 */
export async function visible(ctx: EscalationsContext, escalation: Escalation | null): Promise<Escalation | null> {
  if (!escalation || !ctx.caller) return null;
  const relation = await ctx.loaders.customerRelation.load(escalation.customerId);
  return canReadEscalation(ctx.caller, escalation, relation) ? escalation : null;
}

/** The rule as SQL on the `customer_id` of the request read model (`request_view v`) behind asks and calls. */
const requestScope = (caller: Caller) => (firstParam: number) => customerScopeOn(caller, 'v.customer_id', firstParam);

/** Thin: check who asks, call the domain, hand back domain objects. */
export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  // why: built from ROLES, the list the generated RoleResolvers comes from (tools/contract/codegen.ts enumValues).
  Role: ROLE_ENUM_VALUES as RoleResolvers,
  Query: {
    escalationsStatus: statusResolver,
    escalation: async (_: unknown, args: { id?: string | null; number?: string | null }, ctx: EscalationsContext) => {
      requireCaller(ctx);
      if (!args.id === !args.number) throw badInput('id', 'Give exactly one of id or number');
      if (args.id && !isId(args.id)) return null;
      return visible(
        ctx,
        args.id
          ? await ctx.loaders.escalationById.load(args.id)
          : await ctx.escalations.findByNumber(args.number as string),
      );
    },
    escalations: async (
      _: unknown,
      args: { filter?: EscalationFilter | null; first?: number | null; after?: string | null },
      ctx: EscalationsContext,
    ) => {
      const caller = requireCaller(ctx);
      const first = pageSize(args.first);
      const filter: EscalationFilter = { ...(args.filter ?? {}) };
      if (filter.requestId && !isId(filter.requestId))
        throw badInput('filter.requestId', 'requestId must be an id this graph gave out');
      const after = decodeCursor<EscalationCursor>(args.after);
      // The visibility rule is part of the SQL: a filter naming a customer the caller may not see finds nothing.
      const scope = (firstParam: number) => escalationScopeSql(caller, firstParam);
      const { rows, total } = await ctx.escalations.list(filter, scope, first + 1, after);
      return toConnection(rows, first, (e) => [e.openedAt.toISOString(), e.id], !!after, total);
    },
    ask: async (_: unknown, args: { id: string }, ctx: EscalationsContext) => {
      const caller = requireCaller(ctx);
      mustBeInternal(caller);
      if (!isId(args.id)) return null;
      return ctx.asks.findVisible(args.id, requestScope(caller));
    },
    asks: async (
      _: unknown,
      args: { requestId?: string | null; escalationId?: string | null; status?: string | null },
      ctx: EscalationsContext,
    ) => {
      const caller = requireCaller(ctx);
      mustBeInternal(caller);
      if (!args.requestId && !args.escalationId) throw badInput('requestId', 'Give a requestId and/or an escalationId');
      return ctx.asks.list(args, requestScope(caller));
    },
    attentionList: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: EscalationsContext,
    ) => {
      const scope = attentionScope(requireCaller(ctx));
      const first = pageSize(args.first);
      // The list is computed whole (working days are not SQL); the cursor is the position in it.
      const after = decodeCursor<number>(args.after) ?? null;
      if (after !== null && (!Number.isInteger(after) || after < 0))
        throw badInput('after', 'after must be a cursor this list gave out');
      const start = after === null ? 0 : after + 1;
      const items = await ctx.attention(scope);
      const page = items.slice(start, start + first + 1).map((item, i) => ({ item, position: start + i }));
      const connection = toConnection(page, first, (p) => p.position, start > 0, items.length);
      return {
        ...connection,
        edges: connection.edges.map((e) => ({ ...e, node: e.node.item })),
        nodes: connection.nodes.map((p) => p.item),
      };
    },
    urgentCalls: async (_: unknown, args: { requestId: string }, ctx: EscalationsContext) => {
      const caller = requireCaller(ctx);
      mustBeInternal(caller);
      if (!isId(args.requestId)) return [];
      return ctx.calls.ofRequest(args.requestId, requestScope(caller));
    },
    customerCommunications: async (
      _: unknown,
      args: {
        customerId?: string | null;
        requestId?: string | null;
        escalationId?: string | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: EscalationsContext,
    ) => {
      const caller = requireCaller(ctx);
      if (!args.customerId && !args.requestId && !args.escalationId)
        throw badInput('customerId', 'Give a customerId, a requestId and/or an escalationId');
      const first = pageSize(args.first);
      if ((args.requestId && !isId(args.requestId)) || (args.escalationId && !isId(args.escalationId)))
        return toConnection([], first, () => null, false, 0);
      const after = decodeCursor<CommunicationCursor>(args.after);
      // The visibility rule is part of the SQL: a customer reads its own organisation's messages.
      const { rows, total } = await ctx.communications.list(
        { ...args, internal: isInternal(caller) },
        (firstParam) => customerScopeOn(caller, 'c.customer_id', firstParam),
        first + 1,
        after,
      );
      return toConnection(rows, first, (c) => [c.at.toISOString(), c.id], !!after, total);
    },
    ...disruptionResolvers.Query,
    ...notificationResolvers.Query,
    ...reviewResolvers.Query,
  },
  Mutation: {
    openEscalation: async (_: unknown, args: MutationOpenEscalationArgs, ctx: EscalationsContext) => ({
      escalation: await ctx.useCases.openEscalation(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    recordEscalationStep: async (_: unknown, args: MutationRecordEscalationStepArgs, ctx: EscalationsContext) => ({
      escalation: await ctx.useCases.recordEscalationStep(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    closeEscalation: async (_: unknown, args: MutationCloseEscalationArgs, ctx: EscalationsContext) => ({
      escalation: await ctx.useCases.closeEscalation(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    askPriorityChange: async (_: unknown, args: MutationAskPriorityChangeArgs, ctx: EscalationsContext) => ({
      ask: await ctx.useCases.askPriorityChange(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    askStatusUpdate: async (_: unknown, args: MutationAskStatusUpdateArgs, ctx: EscalationsContext) => ({
      ask: await ctx.useCases.askStatusUpdate(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    decidePriorityChange: async (_: unknown, args: MutationDecidePriorityChangeArgs, ctx: EscalationsContext) => ({
      ask: await ctx.useCases.decidePriorityChange(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    answerStatusUpdate: async (_: unknown, args: MutationAnswerStatusUpdateArgs, ctx: EscalationsContext) => ({
      ask: await ctx.useCases.answerStatusUpdate(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    communicateWithCustomer: async (
      _: unknown,
      args: MutationCommunicateWithCustomerArgs,
      ctx: EscalationsContext,
    ) => ({
      communication: await ctx.useCases.communicateWithCustomer(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    logUrgentCall: async (_: unknown, args: MutationLogUrgentCallArgs, ctx: EscalationsContext) => ({
      urgentCall: await ctx.useCases.logUrgentCall(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    ...disruptionResolvers.Mutation,
    ...notificationResolvers.Mutation,
    ...reviewResolvers.Mutation,
  },
  ReviewAlignment: reviewResolvers.ReviewAlignment,
  ReviewActionPoint: reviewResolvers.ReviewActionPoint,
  ReviewActionPointFollowUp: reviewResolvers.ReviewActionPointFollowUp,
  Request: {
    // The requests subgraph decides who may see a request; the gateway only reaches this
    // field through a Request that subgraph returned. The escalations on it still pass the rule.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    escalations: async (request: { id: string }, _: unknown, ctx: EscalationsContext) => {
      if (!isId(request.id)) return [];
      const links = await ctx.loaders.escalationsByRequestId.load(request.id);
      const shown = await Promise.all(links.map((link) => visible(ctx, link.escalation)));
      return shown.filter((e): e is Escalation => e !== null);
    },
  },
  Escalation: {
    __resolveReference: async (ref: { id: string }, ctx: EscalationsContext) =>
      visible(ctx, await ctx.loaders.escalationById.load(ref.id)),
    customer: (e: Escalation) => customerRef(e.customerId),
    openedBy: (e: Escalation) => personRef(e.openedBy),
    openedById: (e: Escalation) => e.openedBy,
    closedBy: (e: Escalation) => personRef(e.closedBy),
    closedById: (e: Escalation) => e.closedBy,
    requests: (e: Escalation) => e.requestIds.map((id) => ({ id })),
    nextStep: (e: Escalation) => nextStep(e),
  },
  EscalationStepRecord: {
    by: (s: { by: string }) => personRef(s.by),
    byId: (s: { by: string }) => s.by,
  },
  Ask: {
    request: (a: Ask) => ({ id: a.requestId }),
    askedBy: (a: Ask) => personRef(a.askedBy),
    askedById: (a: Ask) => a.askedBy,
    decidedBy: (a: Ask) => personRef(a.decidedBy),
    decidedById: (a: Ask) => a.decidedBy,
    escalation: async (a: Ask, _: unknown, ctx: EscalationsContext) =>
      a.escalationId ? visible(ctx, await ctx.loaders.escalationById.load(a.escalationId)) : null,
  },
  AttentionItem: {
    request: (i: AttentionItem) => ({ id: i.requestId }),
    customer: (i: AttentionItem) => customerRef(i.customerId),
    worstTargetKind: (i: AttentionItem) => i.worstTarget?.kind ?? null,
    worstTargetDueAt: (i: AttentionItem) => i.worstTarget?.dueAt ?? null,
  },
  DisruptionNotice: disruptionResolvers.DisruptionNotice,
  DisruptionUpdate: {
    by: (u: { by: string }) => personRef(u.by),
    byId: (u: { by: string }) => u.by,
  },
  Notification: notificationResolvers.Notification,
  CustomerCommunication: {
    customer: (c: CustomerCommunication) => customerRef(c.customerId),
    by: (c: CustomerCommunication) => personRef(c.by),
    request: (c: CustomerCommunication) => (c.requestId ? { id: c.requestId } : null),
    escalation: async (c: CustomerCommunication, _: unknown, ctx: EscalationsContext) =>
      c.escalationId ? visible(ctx, await ctx.loaders.escalationById.load(c.escalationId)) : null,
  },
  UrgentCall: {
    request: (c: UrgentCall) => ({ id: c.requestId }),
    loggedBy: (c: UrgentCall) => personRef(c.loggedBy),
    loggedById: (c: UrgentCall) => c.loggedBy,
    escalation: async (c: UrgentCall, _: unknown, ctx: EscalationsContext) =>
      c.escalationId ? visible(ctx, await ctx.loaders.escalationById.load(c.escalationId)) : null,
  },
};
