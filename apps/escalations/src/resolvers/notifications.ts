import { z } from 'zod';
import type { Caller } from '@servicecenter/platform-auth';
import { customerScope, hasRole } from '@servicecenter/platform-auth';
import { notFound, validate } from '@servicecenter/platform-errors';
import {
  customerRef,
  decodeCursor,
  pageSize,
  personRef,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import type { Notification } from '../domain/notify';
import type { EscalationsContext } from '../context';
import type { NotificationCursor, NotificationReader } from '../persistence/notification.repository';
import type { MutationMarkNotificationReadArgs } from '../generated/graphql';

const MarkReadInput = z.object({ notificationId: z.uuid('must be an id this graph gave out') });

/** Who reads: their person id, their internal roles, (customers) their organisation, and the graph's visibility rule. */
export const readerOf = (caller: Caller): NotificationReader => ({
  personId: caller.id,
  internalRoles: caller.roles.filter((r) => r !== 'customer'),
  customerId: hasRole(caller, 'customer') && caller.customerId ? caller.customerId : null,
  scope: customerScope(caller),
});

/** Merged into the escalations resolver map (resolvers/index.ts). */
export const notificationResolvers = {
  Notification: {
    recipientPerson: (n: Notification) => personRef(n.recipientPersonId),
    recipientCustomer: (n: Notification) => customerRef(n.recipientCustomerId),
  },
  Query: {
    myNotifications: async (
      _: unknown,
      args: { unreadOnly?: boolean | null; first?: number | null; after?: string | null },
      ctx: EscalationsContext,
    ) => {
      const reader = readerOf(requireCaller(ctx));
      const first = pageSize(args.first);
      const after = decodeCursor<NotificationCursor>(args.after);
      const { rows, total } = await ctx.notifications.listFor(reader, !!args.unreadOnly, first + 1, after);
      return toConnection(rows, first, (n) => [n.createdAt.toISOString(), n.id], !!after, total);
    },
  },
  Mutation: {
    markNotificationRead: async (_: unknown, args: MutationMarkNotificationReadArgs, ctx: EscalationsContext) => {
      const caller = requireCaller(ctx);
      const i = validate(MarkReadInput, args.input);
      const reader = readerOf(caller);
      // Someone else's notification does not exist for the caller.
      const found = await ctx.notifications.findFor(reader, i.notificationId);
      if (!found) throw notFound('Notification', i.notificationId);
      const at = ctx.now();
      await ctx.notifications.markRead(reader, found, at);
      // The first read time stays.
      return { notification: { ...found, readAt: found.readAt ?? at } };
    },
  },
};
