import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and inbox tables; every service lists this first among its migrations. */
export class EventsOutboxInbox1764000000000 implements MigrationInterface {
  name = 'EventsOutboxInbox1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_type text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    // The relay only ever scans unpublished rows in order: keep that index tiny.
    await q.query(`CREATE INDEX outbox_unpublished_seq ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        source text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inbox');
    await q.query('DROP TABLE outbox');
  }
}

/**
 * The relay looks up the earliest unpublished row of each aggregate it claims (outbox-relay.ts,
 * claimInKeyOrder): an index on exactly that, kept as small as the backlog.
 */
export class OutboxKeyOrder1764000000003 implements MigrationInterface {
  name = 'OutboxKeyOrder1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS outbox_unpublished_key_seq ON outbox (message_key, seq) WHERE published_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS outbox_unpublished_key_seq');
  }
}

/**
 * Drops the unique index on the outbox's event id: nothing reads the outbox by id (the relay
 * claims by `seq`, the key check and the backlog use the partial indexes, retention deletes
 * by `seq`), the ids are random v4 uuids the writer draws, and the consumers' inboxes key on
 * them. The index cost every insert a write at a random place of a growing b-tree, and the
 * relay's mark-published update another (it is not a HOT update: `published_at` is in the
 * partial indexes' predicates).
 */
export class OutboxWithoutIdIndex1764000000004 implements MigrationInterface {
  name = 'OutboxWithoutIdIndex1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_id_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_id_key UNIQUE (id)`);
  }
}
