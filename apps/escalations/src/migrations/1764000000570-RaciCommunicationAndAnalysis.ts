import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * raci.csv rows 96/99/104/109: what the service manager tells a customer on a case, recorded and read by
 * the customer (customer_communication). Rows 121–123 on the disruption notice: product development
 * instructed to analyse and starting the analysis, and the community post the first notice links to.
 */
export class RaciCommunicationAndAnalysis1764000000570 implements MigrationInterface {
  name = 'RaciCommunicationAndAnalysis1764000000570';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE customer_communication (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        context text NOT NULL CHECK (context IN ('FEEDBACK', 'URGENT_CALL', 'ESCALATION')),
        request_id uuid,
        request_number text,
        escalation_id uuid REFERENCES escalation (id),
        escalation_number text,
        message text NOT NULL,
        communicated_by text NOT NULL,
        communicated_at timestamptz NOT NULL,
        CHECK (request_id IS NOT NULL OR escalation_id IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX customer_communication_request ON customer_communication (request_id, communicated_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX customer_communication_escalation ON customer_communication (escalation_id, communicated_at DESC, id DESC)`,
    );
    await q.query(`ALTER TABLE disruption_notice
        ADD COLUMN community_post_url text,
        ADD COLUMN analysis_instruction text,
        ADD COLUMN analysis_instructed_by text,
        ADD COLUMN analysis_instructed_at timestamptz,
        ADD COLUMN analysis_started_by text,
        ADD COLUMN analysis_started_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE disruption_notice
        DROP COLUMN community_post_url,
        DROP COLUMN analysis_instruction,
        DROP COLUMN analysis_instructed_by,
        DROP COLUMN analysis_instructed_at,
        DROP COLUMN analysis_started_by,
        DROP COLUMN analysis_started_at`);
    await q.query(`DROP TABLE customer_communication`);
  }
}
