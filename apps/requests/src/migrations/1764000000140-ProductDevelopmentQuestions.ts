import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * raci.csv row 71: the desk asks product development a question on an information request.
 * The question and the answer are internal replies; the request remembers when product
 * development was first asked, which lets product development read it.
 */
export class ProductDevelopmentQuestions1764000000140 implements MigrationInterface {
  name = 'ProductDevelopmentQuestions1764000000140';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request ADD COLUMN product_development_asked_at timestamptz`);
    await q.query(
      `CREATE INDEX request_product_development_asked_idx ON request (product_development_asked_at) WHERE product_development_asked_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX request_product_development_asked_idx`);
    await q.query(`ALTER TABLE request DROP COLUMN product_development_asked_at`);
  }
}
