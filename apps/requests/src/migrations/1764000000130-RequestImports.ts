import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which request came from which history of an import (`importRequests`), so a rerun adds nothing twice. */
export class RequestImports1764000000130 implements MigrationInterface {
  name = 'RequestImports1764000000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_import (
        import_key text PRIMARY KEY,
        request_id uuid NOT NULL UNIQUE REFERENCES request (id),
        imported_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_import`);
  }
}
