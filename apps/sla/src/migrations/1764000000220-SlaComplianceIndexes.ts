import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance reads the requests registered in a period: a real `registered_at` column (the
 * repository writes it with the state; filled here from the jsonb for existing rows), indexed
 * on its own and per customer (a customer's own report, the most selective filter).
 */
export class SlaComplianceIndexes1764000000220 implements MigrationInterface {
  name = 'SlaComplianceIndexes1764000000220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_sla_state ADD COLUMN registered_at timestamptz`);
    await q.query(`UPDATE request_sla_state SET registered_at = (state->>'registeredAt')::timestamptz`);
    await q.query(`ALTER TABLE request_sla_state ALTER COLUMN registered_at SET NOT NULL`);
    await q.query(`CREATE INDEX request_sla_state_registered ON request_sla_state (registered_at)`);
    await q.query(
      `CREATE INDEX request_sla_state_customer_registered ON request_sla_state (customer_id, registered_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX request_sla_state_customer_registered');
    await q.query('DROP INDEX request_sla_state_registered');
    await q.query('ALTER TABLE request_sla_state DROP COLUMN registered_at');
  }
}
