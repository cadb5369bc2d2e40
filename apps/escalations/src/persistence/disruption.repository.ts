import type { EntityManager } from 'typeorm';
import { conflict } from '@servicecenter/platform-errors';
import { nextYearSequence, type ScopeSql } from './escalation.repository';
import type { DisruptionNotice, DisruptionSource, DisruptionStatus, DisruptionUpdate } from '../domain/disruption';

type Row = Record<string, unknown>;
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toNotice = (r: Row): DisruptionNotice => ({
  id: r.id as string,
  number: r.number as string,
  productId: r.product_id as string,
  source: r.source as DisruptionSource,
  title: r.title as string,
  startedAt: date(r.started_at),
  userExperience: str(r.user_experience),
  affectedCustomerIds: (r.affected_customer_ids as string[] | null) ?? [],
  status: r.status as DisruptionStatus,
  openedBy: r.opened_by as string,
  openedAt: new Date(r.opened_at as string),
  publishedBy: str(r.published_by),
  publishedAt: date(r.published_at),
  nextUpdateDueAt: date(r.next_update_due_at),
  updateOverdue: Boolean(r.update_overdue),
  updates: ((r.updates as { message: string; by: string; at: string; nextUpdateDueAt: string }[] | null) ?? []).map(
    (u): DisruptionUpdate => ({
      message: u.message,
      by: u.by,
      at: new Date(u.at),
      nextUpdateDueAt: new Date(u.nextUpdateDueAt),
    }),
  ),
  linkedRequestIds: (r.linked_request_ids as string[] | null) ?? [],
  cause: str(r.cause),
  solution: str(r.solution),
  resolvedBy: str(r.resolved_by),
  resolvedAt: date(r.resolved_at),
  closedAt: date(r.closed_at),
  communityPostUrl: str(r.community_post_url),
  analysisInstruction: str(r.analysis_instruction),
  analysisInstructedBy: str(r.analysis_instructed_by),
  analysisInstructedAt: date(r.analysis_instructed_at),
  analysisStartedBy: str(r.analysis_started_by),
  analysisStartedAt: date(r.analysis_started_at),
  version: Number(r.version),
});

const values = (n: DisruptionNotice) => [
  n.id,
  n.number,
  n.productId,
  n.source,
  n.title,
  n.startedAt,
  n.userExperience,
  n.affectedCustomerIds,
  n.status,
  n.openedBy,
  n.openedAt,
  n.publishedBy,
  n.publishedAt,
  n.nextUpdateDueAt,
  n.updateOverdue,
  JSON.stringify(n.updates),
  n.linkedRequestIds,
  n.cause,
  n.solution,
  n.resolvedBy,
  n.resolvedAt,
  n.closedAt,
  n.version,
  n.communityPostUrl,
  n.analysisInstruction,
  n.analysisInstructedBy,
  n.analysisInstructedAt,
  n.analysisStartedBy,
  n.analysisStartedAt,
];

export interface DisruptionFilter {
  productId?: string | null;
  status?: DisruptionStatus | null;
  /** A customer caller: only the public notices of their products (or that name them). */
  visibleToCustomerId?: string | null;
}

/** Keyset position of the notices list (newest first). */
export type DisruptionCursor = [string, string];

export class DisruptionRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The next number of the year, counted in the database (concurrent openings never share one). */
  nextSequence(year: number): Promise<number> {
    return nextYearSequence(this.manager, 'disruption_number_counter', year);
  }

  async insert(n: DisruptionNotice): Promise<void> {
    await this.manager.query(
      `INSERT INTO disruption_notice (id, number, product_id, source, title, started_at, user_experience, affected_customer_ids, status, opened_by, opened_at,
         published_by, published_at, next_update_due_at, update_overdue, updates, linked_request_ids, cause, solution, resolved_by, resolved_at, closed_at, version,
         community_post_url, analysis_instruction, analysis_instructed_by, analysis_instructed_at, analysis_started_by, analysis_started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::uuid[], $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)`,
      values(n),
    );
  }

  /** Saves a changed notice; `before` is the version that was read (a concurrent change is a CONFLICT). */
  async update(before: DisruptionNotice, after: DisruptionNotice): Promise<void> {
    const rows = (await this.manager.query(
      `UPDATE disruption_notice SET started_at = $2, user_experience = $3, affected_customer_ids = $4::text[], status = $5, published_by = $6, published_at = $7,
         next_update_due_at = $8, update_overdue = $9, updates = $10::jsonb, linked_request_ids = $11::uuid[], cause = $12, solution = $13, resolved_by = $14,
         resolved_at = $15, closed_at = $16, version = $17, community_post_url = $19, analysis_instruction = $20, analysis_instructed_by = $21,
         analysis_instructed_at = $22, analysis_started_by = $23, analysis_started_at = $24
       WHERE id = $1 AND version = $18 RETURNING id`,
      [
        after.id,
        after.startedAt,
        after.userExperience,
        after.affectedCustomerIds,
        after.status,
        after.publishedBy,
        after.publishedAt,
        after.nextUpdateDueAt,
        after.updateOverdue,
        JSON.stringify(after.updates),
        after.linkedRequestIds,
        after.cause,
        after.solution,
        after.resolvedBy,
        after.resolvedAt,
        after.closedAt,
        after.version,
        before.version,
        after.communityPostUrl,
        after.analysisInstruction,
        after.analysisInstructedBy,
        after.analysisInstructedAt,
        after.analysisStartedBy,
        after.analysisStartedAt,
      ],
    )) as unknown;
    // node-postgres through TypeORM answers an UPDATE … RETURNING with [rows, count].
    const count =
      Array.isArray(rows) && Array.isArray(rows[0])
        ? (rows[0] as unknown[]).length
        : Array.isArray(rows)
          ? rows.length
          : 0;
    if (count !== 1) throw conflict(`Disruption notice ${after.number} changed meanwhile; read it again`);
  }

  async findById(id: string, lock = false): Promise<DisruptionNotice | null> {
    const rows = (await this.manager.query(
      `SELECT * FROM disruption_notice WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )) as Row[];
    return rows[0] ? toNotice(rows[0]) : null;
  }

  async findByNumber(number: string): Promise<DisruptionNotice | null> {
    const rows = (await this.manager.query(`SELECT * FROM disruption_notice WHERE number = $1`, [number])) as Row[];
    return rows[0] ? toNotice(rows[0]) : null;
  }

  /**
   * The customer organisations a notice concerns (who may read it, for notifications): those
   * named on it and those with a request on its product (linked requests included).
   */
  async customersConcerned(n: {
    affectedCustomerIds: readonly string[];
    linkedRequestIds: readonly string[];
    productId: string;
  }): Promise<string[]> {
    const rows = (await this.manager.query(
      `SELECT DISTINCT customer_id FROM request_view WHERE request_id = ANY($1::uuid[]) OR product_id = $2`,
      [n.linkedRequestIds, n.productId],
    )) as Row[];
    return [...new Set([...n.affectedCustomerIds, ...rows.map((r) => r.customer_id as string)])].sort();
  }

  /** True when the customer has a request on the product (the request read model). */
  async customerHasRequestOn(customerId: string, productId: string): Promise<boolean> {
    const rows = (await this.manager.query(
      `SELECT 1 FROM request_view WHERE customer_id = $1 AND product_id = $2 LIMIT 1`,
      [customerId, productId],
    )) as Row[];
    return rows.length > 0;
  }

  /** The requests among `ids` whose customer the scope (SQL on `v.customer_id`) covers, in the order of `ids`. */
  async requestsInScope(ids: readonly string[], scope: ScopeSql): Promise<string[]> {
    if (ids.length === 0) return [];
    const visible = scope(2);
    const rows = (await this.manager.query(
      `SELECT v.request_id FROM request_view v WHERE v.request_id = ANY($1::uuid[]) AND ${visible.sql}`,
      [ids, ...visible.params],
    )) as Row[];
    const found = new Set(rows.map((r) => r.request_id as string));
    return ids.filter((id) => found.has(id));
  }

  /** A page of notices, newest first; `limit` rows after the cursor, plus the total. */
  async list(
    filter: DisruptionFilter,
    limit: number,
    after?: DisruptionCursor,
  ): Promise<{ rows: DisruptionNotice[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...vals: unknown[]) => {
      let out = sql;
      for (const v of vals) {
        params.push(v);
        out = out.replace('?', `$${params.length}`);
      }
      where.push(out);
    };
    if (filter.productId) add('d.product_id = ?', filter.productId);
    if (filter.status) add('d.status = ?', filter.status);
    if (filter.visibleToCustomerId) {
      add(
        `d.status <> 'DRAFT' AND (? = ANY(d.affected_customer_ids) OR EXISTS (SELECT 1 FROM request_view r WHERE r.customer_id = ? AND r.product_id = d.product_id))`,
        filter.visibleToCustomerId,
        filter.visibleToCustomerId,
      );
    }
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = (await this.manager.query(
      `SELECT count(*)::int AS count FROM disruption_notice d ${filtered}`,
      params,
    )) as { count: number }[];
    const pageWhere = [...where];
    const pageParams = [...params];
    if (after) {
      pageParams.push(after[0], after[1]);
      pageWhere.push(`(d.opened_at, d.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`);
    }
    pageParams.push(limit);
    const rows = (await this.manager.query(
      `SELECT d.* FROM disruption_notice d ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY d.opened_at DESC, d.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as Row[];
    return { rows: rows.map(toNotice), total: Number(count) };
  }
}
