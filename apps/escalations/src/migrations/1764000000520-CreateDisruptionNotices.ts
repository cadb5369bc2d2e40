import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDisruptionNotices1764000000520 implements MigrationInterface {
  name = 'CreateDisruptionNotices1764000000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE disruption_number_counter (year integer PRIMARY KEY, last integer NOT NULL)`);
    await q.query(`
      CREATE TABLE disruption_notice (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        product_id text NOT NULL,
        source text NOT NULL,
        title text NOT NULL,
        started_at timestamptz,
        user_experience text,
        affected_customer_ids text[] NOT NULL DEFAULT '{}',
        status text NOT NULL,
        opened_by text NOT NULL,
        opened_at timestamptz NOT NULL,
        published_by text,
        published_at timestamptz,
        next_update_due_at timestamptz,
        update_overdue boolean NOT NULL DEFAULT false,
        updates jsonb NOT NULL DEFAULT '[]',
        linked_request_ids uuid[] NOT NULL DEFAULT '{}',
        cause text,
        solution text,
        resolved_by text,
        resolved_at timestamptz,
        closed_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX disruption_notice_product ON disruption_notice (product_id, status)`);
    await q.query(`CREATE INDEX disruption_notice_page ON disruption_notice (opened_at DESC, id DESC)`);
    // Customers read the notices of products their organisation has requests on.
    await q.query(`CREATE INDEX request_view_customer_product ON request_view (customer_id, product_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX request_view_customer_product`);
    await q.query(`DROP TABLE disruption_notice`);
    await q.query(`DROP TABLE disruption_number_counter`);
  }
}
