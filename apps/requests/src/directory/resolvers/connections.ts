import { badInput } from '@servicecenter/platform-errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@servicecenter/platform-graphql';
import type { KnowledgeArticle } from '../../knowledge/domain/knowledge-article';
import type { Customer, Person, Product } from '../domain/directory';
import type { NameKey, Page } from '../domain/ports';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * A connection whose totalCount is a function: the default GraphQL field resolver calls it
 * only when the client selects totalCount, so pages without it cost one query, not two.
 */
export type LazyConnection<T> = Omit<Connection<T>, 'totalCount' | 'nodes'> & { totalCount: () => Promise<number> };

/** What the resolvers answer for these connection types (mappers of the generated types: tools/contract/codegen.ts). */
export type CustomerLazyConnection = LazyConnection<Customer>;
export type ProductLazyConnection = LazyConnection<Product>;
export type PersonLazyConnection = LazyConnection<Person>;
export type KnowledgeArticleLazyConnection = LazyConnection<KnowledgeArticle>;

/** Cursors of name-ordered lists carry [name, id] of the last row shown. */
function nameKeyOf(after: string | null | undefined): NameKey | undefined {
  const position = decodeCursor<unknown>(after);
  if (position === undefined) return undefined;
  if (!Array.isArray(position) || position.length !== 2 || !position.every((p) => typeof p === 'string')) {
    throw badInput('after', 'after is not a cursor this API gave out');
  }
  return { name: position[0], id: position[1] };
}

export async function nameOrderedConnection<T extends NameKey>(
  args: PageArgs,
  fetch: (page: Page) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<LazyConnection<T>> {
  const first = pageSize(args.first);
  const after = nameKeyOf(args.after);
  const rows = await fetch({ limit: first + 1, after });
  const { edges, pageInfo } = toConnection(rows, first, (row) => [row.name, row.id], after !== undefined);
  return { edges, pageInfo, totalCount: count };
}
