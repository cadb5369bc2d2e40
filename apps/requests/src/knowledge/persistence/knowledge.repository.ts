import type { EntityManager } from 'typeorm';
import { badInput, conflict } from '@servicecenter/platform-errors';
import { withConstraintErrors } from '../../directory/persistence/constraint-errors';
import { SqlWhere } from '@servicecenter/platform-database';
import type { KnowledgeArticle } from '../domain/knowledge-article';
import type {
  KnowledgeFilter,
  KnowledgeHit,
  KnowledgePosition,
  KnowledgeReader,
  KnowledgeStore,
} from '../domain/ports';
import { KnowledgeArticleEntity } from './knowledge.entity';

type Row = Record<string, unknown>;

const COLUMNS = `k.id, k.title, k.body, k.product_id, k.tags, k.published, k.source_request_id,
  k.created_by_id, k.created_at, k.updated_at, k.version`;

const toArticle = (r: Row): KnowledgeArticle => ({
  id: r.id as string,
  title: r.title as string,
  body: r.body as string,
  productId: r.product_id as string | null,
  tags: r.tags as string[],
  published: r.published as boolean,
  sourceRequestId: r.source_request_id as string | null,
  createdById: r.created_by_id as string,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
  version: r.version as number,
});

/** Knowledge article rows <-> domain articles, and the full-text search over them. */
export class KnowledgeRepository implements KnowledgeReader, KnowledgeStore {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<KnowledgeArticle[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM knowledge_article k WHERE k.id = ANY($1::text[])`,
      [[...ids]],
    );
    return rows.map(toArticle);
  }

  /** Also used inside the request lifecycle's transaction ("turn this answer into an article"). */
  async insert(article: KnowledgeArticle): Promise<void> {
    await withConstraintErrors(() => this.manager.insert(KnowledgeArticleEntity, article), {
      knowledge_article_pkey: () =>
        conflict(`A knowledge article with id ${article.id} already exists`, { field: 'input.id' }),
      knowledge_article_product_fk: () =>
        badInput('input.productId', `No product ${article.productId} in the directory`),
    });
  }

  async update(article: KnowledgeArticle, expectedVersion: number): Promise<boolean> {
    const { id, createdAt: _createdAt, createdById: _createdById, ...fields } = article;
    const result = await withConstraintErrors(
      () => this.manager.update(KnowledgeArticleEntity, { id, version: expectedVersion }, fields),
      {
        knowledge_article_product_fk: () =>
          badInput('input.productId', `No product ${article.productId} in the directory`),
      },
    );
    return (result.affected ?? 0) > 0;
  }

  private where(filter: KnowledgeFilter): SqlWhere {
    const where = new SqlWhere();
    if (filter.search) where.and(`k.search @@ websearch_to_tsquery('simple', ${where.param(filter.search)})`);
    if (filter.productId) where.and(`k.product_id = ${where.param(filter.productId)}`);
    if (filter.publishedOnly) where.and('k.published');
    return where;
  }

  async search(filter: KnowledgeFilter, page: { limit: number; after?: KnowledgePosition }): Promise<KnowledgeHit[]> {
    return filter.search ? this.byRank(filter, filter.search, page) : this.byUpdated(filter, page);
  }

  /** Best match first (ts_rank over the weighted vector), ties by id. */
  private async byRank(
    filter: KnowledgeFilter,
    search: string,
    page: { limit: number; after?: KnowledgePosition },
  ): Promise<KnowledgeHit[]> {
    const where = this.where(filter);
    const rank = `ts_rank(k.search, websearch_to_tsquery('simple', ${where.param(search)}))`;
    if (page.after?.by === 'rank') {
      // ts_rank is real (float4); the cursor's number comes back as the same real.
      const [r, id] = [where.param(page.after.rank), where.param(page.after.id)];
      where.and(`(${rank} < ${r}::real OR (${rank} = ${r}::real AND k.id > ${id}))`);
    }
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS}, ${rank} AS rank FROM knowledge_article k ${where} ORDER BY rank DESC, k.id LIMIT ${where.param(page.limit)}`,
      where.params,
    );
    return rows.map((r) => ({
      article: toArticle(r),
      position: { by: 'rank', rank: r.rank as number, id: r.id as string },
    }));
  }

  /** Most recently updated first. The cursor keeps PostgreSQL's own text of updated_at, microseconds included. */
  private async byUpdated(
    filter: KnowledgeFilter,
    page: { limit: number; after?: KnowledgePosition },
  ): Promise<KnowledgeHit[]> {
    const where = this.where(filter);
    if (page.after?.by === 'updated') {
      where.and(
        `(k.updated_at, k.id) < (${where.param(page.after.updatedAt)}::timestamptz, ${where.param(page.after.id)}::text)`,
      );
    }
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS}, k.updated_at::text AS updated_key FROM knowledge_article k ${where}
       ORDER BY k.updated_at DESC, k.id DESC LIMIT ${where.param(page.limit)}`,
      where.params,
    );
    return rows.map((r) => ({
      article: toArticle(r),
      position: { by: 'updated', updatedAt: r.updated_key as string, id: r.id as string },
    }));
  }

  async count(filter: KnowledgeFilter): Promise<number> {
    const where = this.where(filter);
    const [row] = await this.manager.query(`SELECT count(*)::int AS n FROM knowledge_article k ${where}`, where.params);
    return row.n as number;
  }
}
