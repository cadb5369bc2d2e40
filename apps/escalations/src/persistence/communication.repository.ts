import type { EntityManager } from 'typeorm';
import type { CommunicationContext, CustomerCommunication } from '../domain/customer-communication';
import type { ScopeSql } from './escalation.repository';

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toCommunication = (r: Row): CustomerCommunication => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  context: r.context as CommunicationContext,
  requestId: str(r.request_id),
  requestNumber: str(r.request_number),
  escalationId: str(r.escalation_id),
  escalationNumber: str(r.escalation_number),
  quarter: str(r.quarter),
  message: r.message as string,
  by: r.communicated_by as string,
  at: new Date(r.communicated_at as string),
});

/** Keyset position of the communications list (newest first). */
export type CommunicationCursor = [string, string];

export class CustomerCommunicationRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(c: CustomerCommunication): Promise<void> {
    await this.manager.query(
      `INSERT INTO customer_communication (id, customer_id, context, request_id, request_number, escalation_id, escalation_number, message, communicated_by, communicated_at, quarter)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        c.id,
        c.customerId,
        c.context,
        c.requestId,
        c.requestNumber,
        c.escalationId,
        c.escalationNumber,
        c.message,
        c.by,
        c.at,
        c.quarter,
      ],
    );
  }

  /**
   * A page of the communications of a customer, on a request and/or an escalation whose customer the scope
   * (SQL on `c.customer_id`) covers, newest first, and their total. `internal`: with the recorded review
   * conversations (REVIEW), which customers do not read.
   */
  async list(
    filter: { customerId?: string | null; requestId?: string | null; escalationId?: string | null; internal: boolean },
    scope: ScopeSql,
    limit: number,
    after?: CommunicationCursor,
  ): Promise<{ rows: CustomerCommunication[]; total: number }> {
    const params: unknown[] = [filter.requestId ?? null, filter.escalationId ?? null, filter.customerId ?? null];
    const visible = scope(4);
    params.push(...visible.params);
    const where = `($1::uuid IS NULL OR c.request_id = $1) AND ($2::uuid IS NULL OR c.escalation_id = $2) AND ($3::text IS NULL OR c.customer_id = $3)${filter.internal ? '' : ` AND c.context <> 'REVIEW'`} AND ${visible.sql}`;
    const [{ count }] = (await this.manager.query(
      `SELECT count(*)::int AS count FROM customer_communication c WHERE ${where}`,
      params,
    )) as { count: number }[];
    const pageParams = [...params];
    let page = where;
    if (after) {
      pageParams.push(after[0], after[1]);
      page += ` AND (c.communicated_at, c.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`;
    }
    pageParams.push(limit);
    const rows = (await this.manager.query(
      `SELECT c.* FROM customer_communication c WHERE ${page} ORDER BY c.communicated_at DESC, c.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as Row[];
    return { rows: rows.map(toCommunication), total: Number(count) };
  }
}
