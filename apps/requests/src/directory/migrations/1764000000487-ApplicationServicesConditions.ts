import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Application Services contract's conditions per customer (raci.csv row 87): a list of
 * `{ mutationKind, priority }`, validated at the edge (directory-rules.ts). Existing customers
 * get none, so their application services keep being prioritised by hand.
 */
export class ApplicationServicesConditions1764000000487 implements MigrationInterface {
  name = 'ApplicationServicesConditions1764000000487';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE customer ADD COLUMN application_services_conditions jsonb NOT NULL DEFAULT '[]'::jsonb
         CHECK (jsonb_typeof(application_services_conditions) = 'array')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer DROP COLUMN application_services_conditions`);
  }
}
