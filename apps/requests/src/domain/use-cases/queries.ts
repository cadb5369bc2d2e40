import { badInput } from '@servicecenter/platform-errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@servicecenter/platform-graphql';
import { readScope, type Actor } from '../authorisation';
import type { RequestFilter, RequestOrder, RequestReader } from '../ports';
import type { Request } from '../request';

/** A page of requests whose totalCount runs only when the client selects it. */
export type RequestPage = Omit<Connection<Request>, 'totalCount'> & { totalCount: () => Promise<number> };

export interface RequestFilterArgs {
  status?: string[] | null;
  type?: string[] | null;
  priority?: string[] | null;
  product?: string[] | null;
  productGroup?: string[] | null;
  customer?: string[] | null;
  team?: string[] | null;
  assignee?: string[] | null;
  open?: boolean | null;
  text?: string | null;
}

const toFilter = (f: RequestFilterArgs | null | undefined): RequestFilter => ({
  statuses: f?.status as RequestFilter['statuses'],
  types: f?.type as RequestFilter['types'],
  priorities: f?.priority as RequestFilter['priorities'],
  productIds: f?.product,
  productGroupIds: f?.productGroup,
  customerIds: f?.customer,
  teamIds: f?.team,
  assigneeIds: f?.assignee,
  open: f?.open,
  text: f?.text,
});

/**
 * Requests the caller may see: the read scope (own organisation, own customers, handed-over
 * work) is part of the SQL, so a filter can never widen it and totalCount never leaks.
 */
export async function findRequests(
  reader: RequestReader,
  actor: Actor,
  args: {
    filter?: RequestFilterArgs | null;
    orderBy?: RequestOrder | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<RequestPage> {
  const first = pageSize(args.first);
  const order = args.orderBy ?? 'REGISTERED_AT_DESC';
  const after = decodeCursor<{ o: RequestOrder; k: unknown[] }>(args.after);
  if (after && (after.o !== order || !Array.isArray(after.k)))
    throw badInput('after', 'after is a cursor of another ordering');
  if ((args.filter?.text?.length ?? 0) > 200)
    throw badInput('filter.text', 'filter.text must be at most 200 characters');
  const { rows, count } = await reader.search({
    filter: toFilter(args.filter),
    order,
    scope: readScope(actor),
    limit: first + 1,
    after: after?.k,
  });
  // GraphQL's default resolver calls a function-valued field: the count runs only if selected.
  return {
    ...toConnection(rows, first, (r) => ({ o: order, k: reader.positionOf(r, order) }), Boolean(after)),
    totalCount: count,
  };
}

/**
 * A consultant's queue: open requests of a team or assignee (by default the caller's own
 * teams), High to Low and then oldest first, as DOMAIN.md says work is processed.
 */
export function requestQueue(
  reader: RequestReader,
  actor: Actor,
  args: { team?: string | null; assignee?: string | null; first?: number | null; after?: string | null },
) {
  const teams = args.team ? [args.team] : args.assignee ? null : (actor.person?.teamIds ?? null);
  return findRequests(reader, actor, {
    filter: {
      open: true,
      team: teams && teams.length > 0 ? teams : null,
      assignee: args.assignee ? [args.assignee] : null,
    },
    orderBy: 'QUEUE',
    first: args.first,
    after: args.after,
  });
}
