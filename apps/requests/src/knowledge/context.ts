import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Clock } from '@servicecenter/events';
import type { RequestContext } from '@servicecenter/graphql';
import { byId } from '@servicecenter/graphql';
import type { DirectoryContext } from '../directory/context';
import type { KnowledgeArticle } from './domain/knowledge-article';
import { knowledgeUseCases, type KnowledgeUseCases } from './domain/knowledge-use-cases';
import type { KnowledgeReader, KnowledgeUnitOfWork } from './domain/ports';
import { KnowledgeRepository } from './persistence/knowledge.repository';

export interface KnowledgeLoaders {
  articleById: DataLoader<string, KnowledgeArticle | null>;
}

/** What knowledge resolvers (and the request lifecycle) find under `ctx.knowledge`. */
export interface KnowledgeContext {
  reader: KnowledgeReader;
  loaders: KnowledgeLoaders;
  useCases: KnowledgeUseCases;
}

/** Articles link to products and authors, which the directory resolves. */
export type KnowledgeResolverContext = RequestContext & { knowledge: KnowledgeContext; directory: DirectoryContext };

/** Fresh per GraphQL request: batching within it, never a cache shared between callers. */
export function knowledgeLoaders(reader: Pick<KnowledgeReader, 'findByIds'>): KnowledgeLoaders {
  return {
    articleById: byId((ids) => reader.findByIds(ids)),
  };
}

export function knowledgeUnitOfWork(dataSource: DataSource): KnowledgeUnitOfWork {
  return {
    run: (work) => dataSource.transaction((manager) => work({ articles: new KnowledgeRepository(manager) })),
  };
}

/** Builds `ctx.knowledge` for each GraphQL request; the clock stamps createdAt/updatedAt. */
export function knowledgeContextFactory(dataSource: DataSource, clock: Clock): () => KnowledgeContext {
  const reader = new KnowledgeRepository(dataSource.manager);
  const useCases = knowledgeUseCases({ uow: knowledgeUnitOfWork(dataSource), now: clock });
  return () => ({ reader, loaders: knowledgeLoaders(reader), useCases });
}
