import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journal's event id compares bytewise (COLLATE "C"): its unique index is written for every
 * event the service consumes and probed again by the insert's ON CONFLICT, and under the
 * database's default collation (C.UTF-8 on the bench's server, which PostgreSQL 15 does not
 * take for "C") every comparison went through the locale's strcoll. An event id is only ever
 * compared for equality, which no collation changes; the index is rebuilt, the rows are not
 * (docs/performance.md, "The reporting and escalations consumers' rows per set").
 */
export class JournalEventIdCollation1764000000500 implements MigrationInterface {
  name = 'JournalEventIdCollation1764000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_journal ALTER COLUMN event_id TYPE text COLLATE "C"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_journal ALTER COLUMN event_id TYPE text COLLATE "default"`);
  }
}
