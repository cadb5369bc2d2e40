import type { EntityManager } from 'typeorm';
import { customerScopeSql, type CustomerScope, type Role } from '@servicecenter/platform-auth';
import type { NotificationKind } from '../domain/notifications';
import type { Notification } from '../domain/notify';

type Row = Record<string, unknown>;

/** Who reads: their person id, their roles, (customers) their organisation, and the customers they may see. */
export interface NotificationReader {
  personId: string;
  internalRoles: readonly Role[];
  customerId: string | null;
  scope: CustomerScope;
}

/** Keyset position of a notification list (newest first). */
export type NotificationCursor = [string, string];

const toNotification = (r: Row): Notification => ({
  id: r.id as string,
  recipientPersonId: (r.recipient_person_id as string | null) ?? null,
  recipientRole: (r.recipient_role as Role | null) ?? null,
  recipientCustomerId: (r.recipient_customer_id as string | null) ?? null,
  subjectCustomerId: (r.subject_customer_id as string | null) ?? null,
  kind: r.kind as NotificationKind,
  title: r.title as string,
  message: r.message as string,
  link: r.link as string,
  createdAt: new Date(r.created_at as string),
  readAt: r.read_at ? new Date(r.read_at as string) : null,
});

/**
 * The notifications addressed to the reader: to them, to their organisation's customers, or
 * to one of their internal roles about a customer the visibility rule lets them see (or about
 * no one customer). `$1`-`$3` are the reader; the scope's parameters follow from `$4`.
 */
function addressed(reader: NotificationReader): { sql: string; params: unknown[] } {
  const visible = customerScopeSql(
    reader.scope,
    'n.subject_customer_id',
    { table: 'customer_relation', customerColumn: 'customer_id' },
    4,
  );
  return {
    sql: `(n.recipient_person_id = $1 OR (n.recipient_role <> 'customer' AND n.recipient_role = ANY($2::text[]) AND (n.subject_customer_id IS NULL OR ${visible.sql})) OR (n.recipient_role = 'customer' AND n.recipient_customer_id = $3))`,
    params: [reader.personId, reader.internalRoles, reader.customerId, ...visible.params],
  };
}
/** Read by this reader (person-addressed: on the record; shared: per person). */
const READ_AT = `COALESCE(CASE WHEN n.recipient_person_id = $1 THEN n.read_at END, (SELECT r.read_at FROM notification_read r WHERE r.notification_id = n.id AND r.person_id = $1))`;

export class NotificationRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The notifications of one step, in one statement. */
  async insertAll(ns: readonly Notification[]): Promise<void> {
    if (ns.length === 0) return;
    await this.manager.query(
      `INSERT INTO notification (id, recipient_person_id, recipient_role, recipient_customer_id, kind, title, message, link, created_at, read_at, subject_customer_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[])`,
      [
        ns.map((n) => n.id),
        ns.map((n) => n.recipientPersonId),
        ns.map((n) => n.recipientRole),
        ns.map((n) => n.recipientCustomerId),
        ns.map((n) => n.kind),
        ns.map((n) => n.title),
        ns.map((n) => n.message),
        ns.map((n) => n.link),
        ns.map((n) => n.createdAt),
        ns.map((n) => n.readAt),
        ns.map((n) => n.subjectCustomerId),
      ],
    );
  }

  /** A page of the reader's notifications, newest first, with their read time for this reader; plus the total. */
  async listFor(
    reader: NotificationReader,
    unreadOnly: boolean,
    limit: number,
    after?: NotificationCursor,
  ): Promise<{ rows: Notification[]; total: number }> {
    const to = addressed(reader);
    const where = [to.sql, ...(unreadOnly ? [`${READ_AT} IS NULL`] : [])];
    const params = to.params;
    const [{ count }] = (await this.manager.query(
      `SELECT count(*)::int AS count FROM notification n WHERE ${where.join(' AND ')}`,
      params,
    )) as { count: number }[];
    const pageParams = [...params];
    const pageWhere = [...where];
    if (after) {
      pageParams.push(after[0], after[1]);
      pageWhere.push(`(n.created_at, n.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`);
    }
    pageParams.push(limit);
    const rows = (await this.manager.query(
      `SELECT n.id, n.recipient_person_id, n.recipient_role, n.recipient_customer_id, n.subject_customer_id, n.kind, n.title, n.message, n.link, n.created_at, ${READ_AT} AS read_at
       FROM notification n WHERE ${pageWhere.join(' AND ')} ORDER BY n.created_at DESC, n.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as Row[];
    return { rows: rows.map(toNotification), total: Number(count) };
  }

  async findFor(reader: NotificationReader, id: string): Promise<Notification | null> {
    const to = addressed(reader);
    const rows = (await this.manager.query(
      `SELECT n.id, n.recipient_person_id, n.recipient_role, n.recipient_customer_id, n.subject_customer_id, n.kind, n.title, n.message, n.link, n.created_at, ${READ_AT} AS read_at
       FROM notification n WHERE ${to.sql} AND n.id = $${to.params.length + 1}`,
      [...to.params, id],
    )) as Row[];
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /** Marks a notification read for the reader (once; the first time stays). */
  async markRead(reader: NotificationReader, n: Notification, at: Date): Promise<void> {
    if (n.recipientPersonId === reader.personId) {
      await this.manager.query(`UPDATE notification SET read_at = COALESCE(read_at, $2) WHERE id = $1`, [n.id, at]);
    } else {
      await this.manager.query(
        `INSERT INTO notification_read (notification_id, person_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [n.id, reader.personId, at],
      );
    }
  }
}
