import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProductRefs1764000000710 implements MigrationInterface {
  name = 'CreateProductRefs1764000000710';

  async up(q: QueryRunner): Promise<void> {
    // The directory's products, from its product-saved events: releases and test plans name a known product.
    await q.query(`
      CREATE TABLE product_ref (
        product_id text PRIMARY KEY,
        name text NOT NULL,
        product_group_id text NOT NULL,
        team_id text NOT NULL,
        saved_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE product_ref`);
  }
}
