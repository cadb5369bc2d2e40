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

/**
 * Keeps the "not yet published" marker out of the outbox row: `outbox_pending` holds the seq
 * and aggregate key of every unpublished row, filled by a statement-level AFTER INSERT trigger
 * on `outbox` (so every writer, including statements that insert outbox rows from a CTE, fills
 * it without knowing), and the relay deletes a row's entry once it is published. Marking a
 * row published used to update the outbox row, never a HOT update (`published_at` was in the
 * partial indexes' predicates): a new ~1 KB heap tuple and index entries per row; a delete
 * from this narrow table is a few bytes. `published_at` is no longer written (rows published
 * before this migration keep theirs); a row is published when it has no pending entry.
 *
 * On a live database: the trigger is created first, in the migration's transaction, which
 * takes a SHARE ROW EXCLUSIVE lock on `outbox` until it commits, so no writer inserts a row
 * between the fill and the trigger; the fill reads the old partial index (as small as the
 * backlog), so the lock is held for a few milliseconds even at millions of published rows.
 * Replicas still running the previous version must be stopped first: they would mark rows
 * through `published_at`, which nothing reads any more, and publish them again.
 */
export class OutboxPendingTable1764000000005 implements MigrationInterface {
  name = 'OutboxPendingTable1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outbox_pending (seq bigint PRIMARY KEY, message_key text NOT NULL)`);
    // The claim's check for an earlier unpublished row of an aggregate, and the writer's `direct`.
    await q.query(`CREATE INDEX outbox_pending_key_seq ON outbox_pending (message_key, seq)`);
    await q.query(`
      CREATE FUNCTION outbox_pending_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox_pending (seq, message_key) SELECT seq, message_key FROM inserted;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_pending_fill AFTER INSERT ON outbox
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION outbox_pending_fill()`);
    await q.query(
      `INSERT INTO outbox_pending (seq, message_key) SELECT seq, message_key FROM outbox WHERE published_at IS NULL`,
    );
    // Both indexes would now cover every row written (`published_at` stays null).
    await q.query(`DROP INDEX IF EXISTS outbox_unpublished_key_seq`);
    await q.query(`DROP INDEX IF EXISTS outbox_unpublished_seq`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_pending_fill ON outbox`);
    await q.query(`DROP FUNCTION outbox_pending_fill()`);
    // Rows published since the migration get a publication time again (the prune's order).
    await q.query(
      `UPDATE outbox SET published_at = now()
        WHERE published_at IS NULL AND seq NOT IN (SELECT seq FROM outbox_pending)`,
    );
    await q.query(`CREATE INDEX outbox_unpublished_seq ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unpublished_key_seq ON outbox (message_key, seq) WHERE published_at IS NULL`);
    await q.query('DROP TABLE outbox_pending');
  }
}

/**
 * The outbox keeps new rows as text: `attributes` (the envelope's attributes, a JSON object)
 * and `data` (its data, a JSON object), each the text its writer made. `jsonb` cost ≈ 5 µs of
 * backend CPU per event to read in and ≈ 3 µs to print out for the relay, which then parsed the
 * envelope and serialised its data again for Kafka; now the relay hands `data` to Kafka
 * unchanged as the message body (docs/performance.md change 42).
 *
 * Catalog changes only (no rewrite, a brief ACCESS EXCLUSIVE lock): rows written before it
 * keep their `envelope` (now nullable) and the relay publishes them from it as before; a row
 * has either `envelope` or `attributes` and `data`. Replicas still running the previous
 * version must be stopped first: their writers insert `envelope` only, which the new relay
 * also publishes, but the previous relay cannot publish the new rows.
 */
export class OutboxTextRows1764000000006 implements MigrationInterface {
  name = 'OutboxTextRows1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE outbox ALTER COLUMN envelope DROP NOT NULL, ADD COLUMN attributes text, ADD COLUMN data text`,
    );
    await q.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_envelope_or_text
         CHECK ((envelope IS NOT NULL) OR (attributes IS NOT NULL AND data IS NOT NULL)) NOT VALID`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE outbox SET envelope = attributes::jsonb || jsonb_build_object('data', data::jsonb) WHERE envelope IS NULL`,
    );
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_envelope_or_text`);
    await q.query(`ALTER TABLE outbox DROP COLUMN attributes, DROP COLUMN data, ALTER COLUMN envelope SET NOT NULL`);
  }
}

/**
 * An outbox row's envelope as JSON for SQL that reads events back (tests, inspection): the
 * stored `envelope` of a row written before migration 1764000000006, else its attributes and
 * data. Unqualified column names: use it where `outbox` is the only table with these columns.
 */
export const OUTBOX_ENVELOPE_SQL = `COALESCE(envelope, attributes::jsonb || jsonb_build_object('data', data::jsonb))`;
