import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Clocks per request: the full state (jsonb) plus one row per target for indexed scans. */
export class SlaClocks1764000000210 implements MigrationInterface {
  name = 'SlaClocks1764000000210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_sla_state (
        request_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        product_id text,
        product_group_id text,
        team_id text,
        type text NOT NULL,
        priority text NOT NULL,
        version int NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sla_clock (
        request_id uuid NOT NULL REFERENCES request_sla_state (request_id),
        kind text NOT NULL,
        state text NOT NULL,
        unit text,
        budget_ms bigint,
        due_at timestamptz,
        PRIMARY KEY (request_id, kind)
      )`);
    // The at-risk list and the warning scan read running clocks by due time.
    await q.query(`CREATE INDEX sla_clock_running_due ON sla_clock (due_at) WHERE state = 'RUNNING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sla_clock');
    await q.query('DROP TABLE request_sla_state');
  }
}
