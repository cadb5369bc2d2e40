import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaGoals1764000000450 implements MigrationInterface {
  name = 'SlaGoals1764000000450';

  async up(q: QueryRunner): Promise<void> {
    // The compliance goals of each customer's SLA agreement ('' = the generic agreement), from
    // servicecenter.sla.agreement-saved.v1; the newest version of the agreement wins.
    await q.query(`
      CREATE TABLE rp_sla_goals (
        customer_id text PRIMARY KEY,
        agreement_id text NOT NULL,
        version integer NOT NULL,
        workaround_goal_percent double precision NOT NULL,
        hard_limit_goal_percent double precision NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rp_sla_goals`);
  }
}
