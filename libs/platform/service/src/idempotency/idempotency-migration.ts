import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The idempotency keys of mutations; ServiceRuntime lists it after the outbox/inbox and timer
 * migrations. One row per (caller, key, unit of work within the mutation), written in the
 * same transaction as the change it guards, with the unit of work's answer for replays.
 */
export class IdempotencyKeys1764000000002 implements MigrationInterface {
  name = 'IdempotencyKeys1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        scope text NOT NULL,
        key text NOT NULL,
        step int NOT NULL,
        operation text NOT NULL,
        fingerprint text NOT NULL,
        answer bytea,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key, step)
      )`);
    // The hourly purge deletes by age.
    await q.query(`CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_key');
  }
}
