import { badInput } from '@servicecenter/platform-errors';
import { decodeCursor, pageSize, requireCaller, toConnection } from '@servicecenter/platform-graphql';
import { canReadPerson } from '../../directory/domain/directory-access';
import type { LazyConnection, PageArgs } from '../../directory/resolvers/connections';
import type { KnowledgeResolverContext as Ctx } from '../context';
import { canReadArticle, canSeeSourceRequest, publishedOnlyFor } from '../domain/knowledge-access';
import type { KnowledgeArticle } from '../domain/knowledge-article';
import type { KnowledgeFilter, KnowledgePosition } from '../domain/ports';
import type {
  MutationCreateKnowledgeArticleArgs,
  MutationUpdateKnowledgeArticleArgs,
  Resolvers,
} from '../../generated/graphql';

/** A cursor belongs to one ordering: by relevance with a search, by last update without. */
function positionOf(after: string | null | undefined, searching: boolean): KnowledgePosition | undefined {
  const p = decodeCursor<Partial<KnowledgePosition>>(after);
  if (p === undefined) return undefined;
  const valid = searching
    ? p?.by === 'rank' && typeof p.rank === 'number' && typeof p.id === 'string'
    : p?.by === 'updated' && typeof p.updatedAt === 'string' && typeof p.id === 'string';
  if (!valid) throw badInput('after', 'after is not a cursor of this list (did the search change?)');
  return p as KnowledgePosition;
}

async function readable(ctx: Ctx, id: string): Promise<KnowledgeArticle | null> {
  const article = await ctx.knowledge.loaders.articleById.load(id);
  return article && canReadArticle(ctx.caller, article) ? article : null;
}

type ListArgs = PageArgs & { search?: string | null; productId?: string | null };

export const knowledgeResolvers = {
  Query: {
    knowledgeArticle: (_: unknown, { id }: { id: string }, ctx: Ctx) => {
      requireCaller(ctx);
      return readable(ctx, id);
    },

    knowledgeArticles: async (_: unknown, args: ListArgs, ctx: Ctx): Promise<LazyConnection<KnowledgeArticle>> => {
      const caller = requireCaller(ctx);
      const filter: KnowledgeFilter = {
        search: args.search?.trim() || undefined,
        productId: args.productId ?? undefined,
        publishedOnly: publishedOnlyFor(caller),
      };
      const first = pageSize(args.first);
      const after = positionOf(args.after, !!filter.search);
      const hits = await ctx.knowledge.reader.search(filter, { limit: first + 1, after });
      const { edges, pageInfo } = toConnection(hits, first, (hit) => hit.position, after !== undefined);
      return {
        edges: edges.map((e) => ({ cursor: e.cursor, node: e.node.article })),
        pageInfo,
        totalCount: () => ctx.knowledge.reader.count(filter),
      };
    },
  },

  Mutation: {
    createKnowledgeArticle: async (_: unknown, args: MutationCreateKnowledgeArticleArgs, ctx: Ctx) => ({
      article: await ctx.knowledge.useCases.createArticle(requireCaller(ctx), args.input),
    }),
    updateKnowledgeArticle: async (_: unknown, args: MutationUpdateKnowledgeArticleArgs, ctx: Ctx) => ({
      article: await ctx.knowledge.useCases.updateArticle(requireCaller(ctx), args.input),
    }),
  },

  KnowledgeArticle: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => readable(ctx, ref.id),
    product: (a: KnowledgeArticle, _: unknown, ctx: Ctx) =>
      a.productId ? ctx.directory.loaders.productById.load(a.productId) : null,
    createdBy: async (a: KnowledgeArticle, _: unknown, ctx: Ctx) => {
      const person = await ctx.directory.loaders.personById.load(a.createdById);
      return person && canReadPerson(ctx.caller, person) ? person : null;
    },
    sourceRequestId: (a: KnowledgeArticle, _: unknown, ctx: Ctx) =>
      canSeeSourceRequest(ctx.caller) ? a.sourceRequestId : null,
  },
} satisfies Resolvers<Ctx>;
