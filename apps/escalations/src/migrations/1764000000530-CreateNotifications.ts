import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1764000000530 implements MigrationInterface {
  name = 'CreateNotifications1764000000530';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        recipient_person_id text,
        recipient_role text,
        recipient_customer_id text,
        kind text NOT NULL,
        title text NOT NULL,
        message text NOT NULL,
        link text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        CONSTRAINT notification_recipient CHECK (recipient_person_id IS NOT NULL OR recipient_role IS NOT NULL),
        CONSTRAINT notification_customer CHECK ((recipient_role = 'customer') = (recipient_customer_id IS NOT NULL))
      )`);
    // Role- and customer-addressed notifications are shared: each person reads them for themselves.
    await q.query(`
      CREATE TABLE notification_read (
        notification_id uuid NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        person_id text NOT NULL,
        read_at timestamptz NOT NULL,
        PRIMARY KEY (notification_id, person_id)
      )`);
    await q.query(
      `CREATE INDEX notification_person ON notification (recipient_person_id, created_at DESC, id DESC) WHERE recipient_person_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX notification_role ON notification (recipient_role, recipient_customer_id, created_at DESC, id DESC) WHERE recipient_role IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_read`);
    await q.query(`DROP TABLE notification`);
  }
}
