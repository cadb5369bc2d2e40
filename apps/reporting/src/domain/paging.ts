import { badInput } from '@servicecenter/platform-errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@servicecenter/platform-graphql';
import type { Keyed, Keyset } from '../persistence/report.reader';

/** A page of a report's list with the number of items in the whole list (totalCount is non-null in the schema). */
export type CountedConnection<T> = Connection<T> & { totalCount: number };

/** Relay forward paging arguments of a list inside a report. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

const KEY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isKeyset = (v: unknown): v is Keyset =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === 'string' &&
  KEY_TIME.test(v[0]) &&
  typeof v[1] === 'string' &&
  ID.test(v[1]);

/** `first` (0–100, default 20) and the keyset position the `after` cursor carries. */
export function keysetPage(args: PageArgs | null | undefined): { first: number; after: Keyset | undefined } {
  const first = pageSize(args?.first);
  const after = decodeCursor<unknown>(args?.after);
  if (after !== undefined && !isKeyset(after)) throw badInput('after', 'after is not a cursor this list gave out');
  return { first, after };
}

/** A connection from rows read with `limit = first + 1`; each cursor is the row's keyset position. */
export function keysetConnection<T>(
  rows: Keyed<T>[],
  first: number,
  after: Keyset | undefined,
  totalCount: number,
): CountedConnection<T> {
  const page = toConnection(rows, first, (r) => r.key, after !== undefined, totalCount);
  return {
    ...page,
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.node })),
    nodes: page.nodes.map((r) => r.node),
  };
}
