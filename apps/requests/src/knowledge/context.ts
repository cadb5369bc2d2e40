import type DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@servicecenter/platform-events';
import type { RequestContext } from '@servicecenter/platform-graphql';
import { byId } from '@servicecenter/platform-graphql';
import type { DirectoryContext } from '../directory/context';
import type { KnowledgeArticle } from './domain/knowledge-article';
import { knowledgeUseCases, type KnowledgeUseCases } from './domain/knowledge-use-cases';
import type { KnowledgeReader, KnowledgeUnitOfWork, SourceRequests } from './domain/ports';
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

/** The service's requests as the knowledge area sees them, in the caller's transaction. */
export type SourceRequestsOf = (manager: EntityManager) => SourceRequests;

export function knowledgeUnitOfWork(dataSource: DataSource, requests: SourceRequestsOf): KnowledgeUnitOfWork {
  return {
    run: (work) =>
      dataSource.transaction((manager) =>
        work({ articles: new KnowledgeRepository(manager), requests: requests(manager) }),
      ),
  };
}

/** Builds `ctx.knowledge` for each GraphQL request; the clock stamps createdAt/updatedAt. */
export function knowledgeContextFactory(
  dataSource: DataSource,
  clock: Clock,
  requests: SourceRequestsOf,
): () => KnowledgeContext {
  const reader = new KnowledgeRepository(dataSource.manager);
  const useCases = knowledgeUseCases({ uow: knowledgeUnitOfWork(dataSource, requests), now: clock });
  return () => ({ reader, loaders: knowledgeLoaders(reader), useCases });
}
