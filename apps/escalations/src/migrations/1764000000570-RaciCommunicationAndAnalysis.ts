import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * raci.csv rows 96/99/104/109: what the service manager tells a customer on a case, recorded and read by
 * the customer (customer_communication), and row 118: the review conversation recorded there too (the
 * communication log per customer). Rows 111/115: the review's alignments; 117: its action points. Rows 121–123 on the disruption notice: product development
 * instructed to analyse and starting the analysis, and the community post the first notice links to.
 */
export class RaciCommunicationAndAnalysis1764000000570 implements MigrationInterface {
  name = 'RaciCommunicationAndAnalysis1764000000570';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE customer_communication (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        context text NOT NULL CHECK (context IN ('FEEDBACK', 'URGENT_CALL', 'ESCALATION', 'REVIEW')),
        quarter text,
        request_id uuid,
        request_number text,
        escalation_id uuid REFERENCES escalation (id),
        escalation_number text,
        message text NOT NULL,
        communicated_by text NOT NULL,
        communicated_at timestamptz NOT NULL,
        CHECK (request_id IS NOT NULL OR escalation_id IS NOT NULL OR (context = 'REVIEW' AND quarter IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX customer_communication_customer ON customer_communication (customer_id, communicated_at DESC, id DESC)`,
    );
    await q.query(`CREATE TABLE review_alignment (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        quarter text NOT NULL,
        party text NOT NULL CHECK (party IN ('CUSTOMER_SUCCESS_MANAGER', 'PRODUCT_OWNER')),
        note text NOT NULL,
        aligned_by text NOT NULL,
        aligned_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX review_alignment_customer ON review_alignment (customer_id, quarter, aligned_at DESC, id DESC)`,
    );
    await q.query(`CREATE TABLE review_action_point (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        quarter text NOT NULL,
        description text NOT NULL,
        owner text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'DONE')),
        follow_ups jsonb NOT NULL DEFAULT '[]',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
    await q.query(
      `CREATE INDEX review_action_point_customer ON review_action_point (customer_id, quarter, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX customer_communication_request ON customer_communication (request_id, communicated_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX customer_communication_escalation ON customer_communication (escalation_id, communicated_at DESC, id DESC)`,
    );
    // Row 98: the team lead of the product's own team decides its asks; the directory's person-saved events say who is in which team.
    await q.query(`CREATE TABLE person_team (
        person_id text PRIMARY KEY,
        team_ids text[] NOT NULL,
        saved_at timestamptz NOT NULL
      )`);
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
    await q.query(`DROP TABLE person_team`);
    await q.query(`DROP TABLE review_action_point`);
    await q.query(`DROP TABLE review_alignment`);
    await q.query(`DROP TABLE customer_communication`);
  }
}
