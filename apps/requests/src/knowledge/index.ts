/** Knowledge articles of the requests subgraph: written by the desk, searched by everyone. */
import { CreateKnowledge1764000000400 } from './migrations/1764000000400-CreateKnowledge';

export {
  newKnowledgeArticle,
  withArticleChanges,
  assertCurrentVersion,
  CreateKnowledgeArticleInputSchema,
  UpdateKnowledgeArticleInputSchema,
  type KnowledgeArticle,
  type NewKnowledgeArticleFields,
} from './domain/knowledge-article';
export { canReadArticle, assertKnowledgeAuthor, KNOWLEDGE_AUTHOR_ROLES } from './domain/knowledge-access';
export { knowledgeUseCases, type KnowledgeUseCases } from './domain/knowledge-use-cases';
export type { KnowledgeFilter, KnowledgeReader, KnowledgeStore, KnowledgeUnitOfWork } from './domain/ports';
export { knowledgeEntities } from './persistence/knowledge.entity';
export { KnowledgeRepository } from './persistence/knowledge.repository';
export { knowledgeContextFactory, knowledgeLoaders, type KnowledgeContext, type KnowledgeLoaders, type KnowledgeResolverContext } from './context';
export { knowledgeResolvers } from './resolvers';

/** Needs the directory's tables (product): runs after CreateDirectory1764000000300. */
export const knowledgeMigrations = [CreateKnowledge1764000000400];
