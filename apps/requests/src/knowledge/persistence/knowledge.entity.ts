import { EntitySchema } from 'typeorm';
import type { KnowledgeArticle } from '../domain/knowledge-article';

/**
 * The row has the domain's shape. The generated `search` column is left out on purpose:
 * PostgreSQL computes it, and TypeORM must never write it.
 */
export const KnowledgeArticleEntity = new EntitySchema<KnowledgeArticle>({
  name: 'KnowledgeArticle',
  tableName: 'knowledge_article',
  columns: {
    id: { type: 'text', primary: true },
    title: { type: 'text' },
    body: { type: 'text' },
    productId: { name: 'product_id', type: 'text', nullable: true },
    tags: { type: 'text', array: true },
    published: { type: 'boolean' },
    sourceRequestId: { name: 'source_request_id', type: 'text', nullable: true },
    createdById: { name: 'created_by_id', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    version: { type: 'int' },
  },
});

export const knowledgeEntities = [KnowledgeArticleEntity];
