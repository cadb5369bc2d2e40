import { badInput } from '@servicecenter/platform-errors';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount?: number;
}

export const MAX_PAGE_SIZE = 100;

/** Cursors are opaque to clients; inside they carry the keyset position as JSON. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined, field = 'after'): T | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw badInput(field, `${field} is not a cursor this API gave out`);
  }
}

export function pageSize(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE)
    throw badInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}`);
  return n;
}

/**
 * Builds a connection from rows fetched with `limit = first + 1` (the extra row tells
 * whether there is a next page).
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => unknown,
  hasPrevious: boolean,
  totalCount: number,
): Connection<T> & { totalCount: number };
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => unknown,
  hasPrevious: boolean,
  totalCount?: number,
): Connection<T>;
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => unknown,
  hasPrevious: boolean,
  totalCount?: number,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A row that another row refers to (a foreign key within the service): its absence is a broken
 * invariant, answered as an internal error, never as null in a non-null field.
 */
export async function referenced<T>(row: Promise<T | null> | T | null, what: string): Promise<T> {
  const found = await row;
  if (found === null) throw new Error(`${what} referred to does not exist`);
  return found;
}
