/** Knowledge articles of the requests subgraph: written by the desk, searched by everyone. */
import { CreateKnowledge1764000000400 } from './migrations/1764000000400-CreateKnowledge';

export { newKnowledgeArticle, type KnowledgeArticle, type NewKnowledgeArticleFields } from './domain/knowledge-article';
export { knowledgeEntities } from './persistence/knowledge.entity';
export { KnowledgeRepository } from './persistence/knowledge.repository';
export { knowledgeContextFactory, type KnowledgeContext, type SourceRequestsOf } from './context';
export { knowledgeResolvers } from './resolvers';

/** Needs the directory's tables (product): runs after CreateDirectory1764000000300. */
export const knowledgeMigrations = [CreateKnowledge1764000000400];
