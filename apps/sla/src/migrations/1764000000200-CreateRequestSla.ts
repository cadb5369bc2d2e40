import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRequestSla1764000000200 implements MigrationInterface {
  name = 'CreateRequestSla1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_sla (
        request_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        request_type text NOT NULL,
        priority text NOT NULL,
        tracked_since timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sla_timeline_entry (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        note text
      )`);
    await q.query(`CREATE INDEX sla_timeline_entry_request ON sla_timeline_entry (request_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sla_timeline_entry');
    await q.query('DROP TABLE request_sla');
  }
}
