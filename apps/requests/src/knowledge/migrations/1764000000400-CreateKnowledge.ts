import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge articles with full-text search. The texts are Dutch and English side by side,
 * so the search configuration is 'simple' (lowercased words, no stemming, no stop words):
 * a Dutch or English stemmer would mangle the other language. Per-article language with
 * its own configuration is the step up when stemming is wanted.
 */
export class CreateKnowledge1764000000400 implements MigrationInterface {
  name = 'CreateKnowledge1764000000400';

  async up(q: QueryRunner): Promise<void> {
    // array_to_string is only STABLE in general (element output functions may vary), but for
    // text[] it is immutable, which a generated column requires.
    await q.query(`
      CREATE FUNCTION knowledge_tags_text(tags text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(tags, ' ') $$`);
    await q.query(`
      CREATE TABLE knowledge_article (
        id text PRIMARY KEY,
        title text NOT NULL,
        body text NOT NULL,
        product_id text CONSTRAINT knowledge_article_product_fk REFERENCES product (id),
        tags text[] NOT NULL DEFAULT '{}',
        published boolean NOT NULL,
        source_request_id text,
        created_by_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL,
        -- Title weighs most, then tags, then body, so ts_rank puts title matches first.
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') ||
          setweight(to_tsvector('simple', knowledge_tags_text(tags)), 'B') ||
          setweight(to_tsvector('simple', body), 'C')
        ) STORED
      )`);
    await q.query(`CREATE INDEX knowledge_article_search ON knowledge_article USING gin (search)`);
    // Unsearched lists show the most recently updated first, paged by (updated_at, id).
    await q.query(`CREATE INDEX knowledge_article_updated ON knowledge_article (updated_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX knowledge_article_product ON knowledge_article (product_id, updated_at DESC, id DESC) WHERE product_id IS NOT NULL`,
    );
    // The request lifecycle looks up the article written from a request's answer.
    await q.query(
      `CREATE INDEX knowledge_article_source_request ON knowledge_article (source_request_id) WHERE source_request_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE knowledge_article');
    await q.query('DROP FUNCTION knowledge_tags_text(text[])');
  }
}
