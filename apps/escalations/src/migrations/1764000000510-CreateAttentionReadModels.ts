import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAttentionReadModels1764000000510 implements MigrationInterface {
  name = 'CreateAttentionReadModels1764000000510';

  async up(q: QueryRunner): Promise<void> {
    // When a request was registered (the earliest event seen): "no public update" counts from it.
    await q.query(`ALTER TABLE request_view ADD COLUMN registered_at timestamptz`);
    await q.query(`UPDATE request_view SET registered_at = updated_at WHERE registered_at IS NULL`);
    // Customer → service manager, from the directory's customer.saved events.
    await q.query(`
      CREATE TABLE customer_relation (
        customer_id text PRIMARY KEY,
        name text NOT NULL,
        service_manager_id text,
        customer_success_manager_id text,
        saved_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX customer_relation_service_manager ON customer_relation (service_manager_id)`);
    // Per request and SLA target: the highest warning reached, its due time, and whether it breached.
    await q.query(`
      CREATE TABLE sla_risk (
        request_id uuid NOT NULL,
        kind text NOT NULL,
        threshold double precision NOT NULL,
        due_at timestamptz NOT NULL,
        breached boolean NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sla_risk`);
    await q.query(`DROP TABLE customer_relation`);
    await q.query(`ALTER TABLE request_view DROP COLUMN registered_at`);
  }
}
