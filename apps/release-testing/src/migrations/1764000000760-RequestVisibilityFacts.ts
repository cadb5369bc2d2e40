import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts the graph's visibility rule needs here (docs/visibility.md): who looks after each
 * customer (from customer.saved events) and whether a request was handed over to product
 * development (from request.handed-over events). A defect's linked requests are shown to a
 * caller only when the rule lets them see the request.
 */
export class RequestVisibilityFacts1764000000760 implements MigrationInterface {
  name = 'RequestVisibilityFacts1764000000760';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_ref ADD COLUMN handed_to_product_development boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE customer_relation (
        customer_id text PRIMARY KEY,
        service_manager_id text,
        customer_success_manager_id text,
        saved_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX customer_relation_service_manager ON customer_relation (service_manager_id)`);
    await q.query(`CREATE INDEX customer_relation_success_manager ON customer_relation (customer_success_manager_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_relation`);
    await q.query(`ALTER TABLE request_ref DROP COLUMN handed_to_product_development`);
  }
}
