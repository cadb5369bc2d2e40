import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Warnings and breaches: each clock carries the instant of its next threshold, found by an
 * indexed scan (no timer per clock); sla_warning records what was published, once.
 */
export class SlaWarnings1764000000230 implements MigrationInterface {
  name = 'SlaWarnings1764000000230';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_clock ADD COLUMN next_check_at timestamptz, ADD COLUMN next_threshold real`);
    await q.query(`CREATE INDEX sla_clock_next_check ON sla_clock (next_check_at) WHERE next_check_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE sla_warning (
        request_id uuid NOT NULL,
        kind text NOT NULL,
        threshold real NOT NULL,
        reached_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, kind, threshold)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sla_warning');
    await q.query('DROP INDEX sla_clock_next_check');
    await q.query('ALTER TABLE sla_clock DROP COLUMN next_check_at, DROP COLUMN next_threshold');
  }
}
