import { badInput } from '@servicecenter/platform-errors';
import { decodeCursor, pageSize, toConnection } from '@servicecenter/platform-graphql';

export type PageArgs = { first?: number | null; after?: string | null };

/**
 * A page of a list the resolver already holds whole (the children of one parent: runs of a
 * release, cases of a run, defects of a release are bounded); the cursor is the position.
 */
export function pageOfList<T>(all: readonly T[], args: PageArgs) {
  const first = pageSize(args.first);
  const after = decodeCursor<number>(args.after) ?? null;
  if (after !== null && (!Number.isInteger(after) || after < 0))
    throw badInput('after', 'after must be a cursor this list gave out');
  const start = after === null ? 0 : after + 1;
  const page = all.slice(start, start + first + 1).map((node, i) => ({ node, position: start + i }));
  const connection = toConnection(page, first, (p) => p.position, start > 0, all.length);
  return {
    ...connection,
    edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.node })),
    nodes: connection.nodes.map((p) => p.node),
  };
}

export const emptyConnection = (args: PageArgs) => toConnection([], pageSize(args.first), () => null, false, 0);

/** Ids this graph gives out; anything else finds nothing (rather than a database cast error). */
export const isId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
