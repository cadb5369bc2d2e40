import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admins' business calendars and versioned SLA agreements. An agreement version is never
 * changed: it snapshots the calendar definition and the generic version it falls back to,
 * so a request that recorded (id, version) keeps exactly the targets it started with.
 */
export class SlaAgreements1764000000240 implements MigrationInterface {
  name = 'SlaAgreements1764000000240';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE business_calendar (
        id text PRIMARY KEY,
        name text NOT NULL,
        definition jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sla_agreement (
        id text NOT NULL,
        version int NOT NULL,
        customer_id text,
        name text NOT NULL,
        calendar_id text,
        calendar_version int,
        calendar jsonb NOT NULL,
        targets jsonb NOT NULL,
        thresholds jsonb,
        base_version int NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        PRIMARY KEY (id, version)
      )`);
    // Recalculation finds a customer's requests through request_sla_state_customer_registered (220).
    // The customer's agreement: the latest version of the one with that customer_id.
    await q.query(`CREATE INDEX sla_agreement_customer ON sla_agreement (customer_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sla_agreement');
    await q.query('DROP TABLE business_calendar');
  }
}
