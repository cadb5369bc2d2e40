import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An imported history that ends with TREAT_AS_NEW_REQUEST created a second request (the
 * follow-up for the different question): the import key names it too, so a rerun skips both
 * and `SkippedImport.continuedAs` finds it.
 */
export class ImportedContinuations1764000000150 implements MigrationInterface {
  name = 'ImportedContinuations1764000000150';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_import ADD COLUMN continued_request_id uuid UNIQUE REFERENCES request (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_import DROP COLUMN continued_request_id`);
  }
}
