import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerRefs1764000000250 implements MigrationInterface {
  name = 'CustomerRefs1764000000250';

  async up(q: QueryRunner): Promise<void> {
    // The directory's customers, from its customer.saved events: an agreement names a known customer.
    await q.query(`
      CREATE TABLE customer_ref (
        customer_id text PRIMARY KEY,
        name text NOT NULL,
        saved_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_ref`);
  }
}
