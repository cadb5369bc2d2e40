import type { KnowledgeArticle } from './knowledge-article';

export interface KnowledgeFilter {
  /** Web-search syntax: words, "a phrase", -excluded, or. */
  search?: string;
  productId?: string;
  publishedOnly: boolean;
}

/** Keyset position: by relevance when searching, otherwise most recently updated first. */
export type KnowledgePosition =
  { by: 'rank'; rank: number; id: string } | { by: 'updated'; updatedAt: string; id: string };

export interface KnowledgeHit {
  article: KnowledgeArticle;
  position: KnowledgePosition;
}

export interface KnowledgeReader {
  findByIds(ids: readonly string[]): Promise<KnowledgeArticle[]>;
  /** Up to `limit` hits after `after`, best first. */
  search(filter: KnowledgeFilter, page: { limit: number; after?: KnowledgePosition }): Promise<KnowledgeHit[]>;
  count(filter: KnowledgeFilter): Promise<number>;
}

export interface KnowledgeStore {
  findByIds(ids: readonly string[]): Promise<KnowledgeArticle[]>;
  insert(article: KnowledgeArticle): Promise<void>;
  /** Saves `article` if the stored row is still at `expectedVersion`; false when someone was first. */
  update(article: KnowledgeArticle, expectedVersion: number): Promise<boolean>;
}

/** The requests of this service an article may name as its source. */
export interface SourceRequests {
  exists(requestId: string): Promise<boolean>;
}

/**
 * Whether a product exists is the foreign key's check: the store names input.productId when
 * it fails. Whether the source request exists is the use case's check (same database).
 */
export interface KnowledgeTransaction {
  articles: KnowledgeStore;
  requests: SourceRequests;
}

export interface KnowledgeUnitOfWork {
  run<T>(work: (tx: KnowledgeTransaction) => Promise<T>): Promise<T>;
}
