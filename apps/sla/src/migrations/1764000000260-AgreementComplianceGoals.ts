import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgreementComplianceGoals1764000000260 implements MigrationInterface {
  name = 'AgreementComplianceGoals1764000000260';

  async up(q: QueryRunner): Promise<void> {
    // The customer's compliance goals of the High-workaround rule ({ workaroundPercent, hardLimitPercent });
    // null: the base agreement's (DOMAIN.md: 90 and 100).
    await q.query(`ALTER TABLE sla_agreement ADD COLUMN compliance_goals jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_agreement DROP COLUMN compliance_goals`);
  }
}
