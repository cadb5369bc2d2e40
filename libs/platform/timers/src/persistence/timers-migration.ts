import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The durable timer table; ServiceRuntime lists it right after the outbox/inbox migration. */
export class DurableTimers1764000000001 implements MigrationInterface {
  name = 'DurableTimers1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE timer (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        key text NOT NULL,
        due_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        generation int NOT NULL DEFAULT 1,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        dead_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT timer_kind_key UNIQUE (kind, key)
      )`);
    // Every poll scans live timers by due time; dead ones stay out of the index so a pile of
    // them never slows the scan.
    await q.query(`CREATE INDEX timer_live_due ON timer (due_at) WHERE dead_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE timer');
  }
}
