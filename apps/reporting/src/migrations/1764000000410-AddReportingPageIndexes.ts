import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the keyset-paged lists inside reports (ConsultingChangesReport.requests,
 * SatisfactionReport.comments, EscalationsReport.notices): each page is an index range scan
 * on (sort key, id) from the cursor, never an OFFSET over the rows before it.
 */
export class AddReportingPageIndexes1764000000410 implements MigrationInterface {
  name = 'AddReportingPageIndexes1764000000410';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX rp_request_consulting ON rp_request (registered_at, request_id) WHERE type = 'CHANGE' AND status = 'HANDED_OVER' AND handed_over_to = 'CONSULTING'`,
    );
    await q.query(
      `CREATE INDEX rp_survey_comment ON rp_survey (answered_at, request_id) WHERE comment IS NOT NULL AND comment <> ''`,
    );
    await q.query(
      `CREATE INDEX rp_disruption_began ON rp_disruption ((coalesce(started_at, published_at)), notice_id) WHERE published_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['rp_disruption_began', 'rp_survey_comment', 'rp_request_consulting'])
      await q.query(`DROP INDEX ${index}`);
  }
}
