import type { EntityManager } from 'typeorm';
import { conflict } from '@servicecenter/platform-errors';
import type { ActionPointStatus, AlignmentParty, ReviewActionPoint, ReviewAlignment } from '../domain/review';
import type { ScopeSql } from './escalation.repository';

type Row = Record<string, unknown>;

const toAlignment = (r: Row): ReviewAlignment => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  quarter: r.quarter as string,
  party: r.party as AlignmentParty,
  note: r.note as string,
  by: r.aligned_by as string,
  at: new Date(r.aligned_at as string),
});

const toActionPoint = (r: Row): ReviewActionPoint => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  quarter: r.quarter as string,
  description: r.description as string,
  owner: r.owner as string,
  dueAt: new Date(r.due_at as string),
  status: r.status as ActionPointStatus,
  followUps: ((r.follow_ups as { note: string; status: ActionPointStatus; by: string; at: string }[] | null) ?? []).map(
    (f) => ({ ...f, at: new Date(f.at) }),
  ),
  createdBy: r.created_by as string,
  createdAt: new Date(r.created_at as string),
  version: Number(r.version),
});

/** Keyset position of the review lists (newest first). */
export type ReviewCursor = [string, string];

export class ReviewRepository {
  constructor(private readonly manager: EntityManager) {}

  async insertAlignment(a: ReviewAlignment): Promise<void> {
    await this.manager.query(
      `INSERT INTO review_alignment (id, customer_id, quarter, party, note, aligned_by, aligned_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [a.id, a.customerId, a.quarter, a.party, a.note, a.by, a.at],
    );
  }

  async insertActionPoint(p: ReviewActionPoint): Promise<void> {
    await this.manager.query(
      `INSERT INTO review_action_point (id, customer_id, quarter, description, owner, due_at, status, follow_ups, created_by, created_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
      [
        p.id,
        p.customerId,
        p.quarter,
        p.description,
        p.owner,
        p.dueAt,
        p.status,
        JSON.stringify(p.followUps),
        p.createdBy,
        p.createdAt,
        p.version,
      ],
    );
  }

  /** Saves a followed-up action point; `before` is the version that was read (a concurrent change is a CONFLICT). */
  async updateActionPoint(before: ReviewActionPoint, after: ReviewActionPoint): Promise<void> {
    const rows = (await this.manager.query(
      `UPDATE review_action_point SET status = $2, follow_ups = $3::jsonb, version = $4 WHERE id = $1 AND version = $5 RETURNING id`,
      [after.id, after.status, JSON.stringify(after.followUps), after.version, before.version],
    )) as unknown;
    const count =
      Array.isArray(rows) && Array.isArray(rows[0])
        ? (rows[0] as unknown[]).length
        : Array.isArray(rows)
          ? rows.length
          : 0;
    if (count !== 1) throw conflict('The action point changed meanwhile; read it again');
  }

  async findActionPoint(id: string, lock = false): Promise<ReviewActionPoint | null> {
    const rows = (await this.manager.query(
      `SELECT * FROM review_action_point WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )) as Row[];
    return rows[0] ? toActionPoint(rows[0]) : null;
  }

  alignments(
    filter: { customerId: string; quarter?: string | null },
    scope: ScopeSql,
    limit: number,
    after?: ReviewCursor,
  ) {
    return this.page('review_alignment', 'aligned_at', toAlignment, filter, scope, limit, after);
  }

  actionPoints(
    filter: { customerId: string; quarter?: string | null },
    scope: ScopeSql,
    limit: number,
    after?: ReviewCursor,
  ) {
    return this.page('review_action_point', 'created_at', toActionPoint, filter, scope, limit, after);
  }

  /** A page of a customer's rows (of a quarter), newest first, within the scope (SQL on `t.customer_id`). */
  private async page<T>(
    table: 'review_alignment' | 'review_action_point',
    at: 'aligned_at' | 'created_at',
    to: (r: Row) => T,
    filter: { customerId: string; quarter?: string | null },
    scope: ScopeSql,
    limit: number,
    after?: ReviewCursor,
  ): Promise<{ rows: T[]; total: number }> {
    const params: unknown[] = [filter.customerId, filter.quarter ?? null];
    const visible = scope(3);
    params.push(...visible.params);
    const where = `t.customer_id = $1 AND ($2::text IS NULL OR t.quarter = $2) AND ${visible.sql}`;
    const [{ count }] = (await this.manager.query(
      `SELECT count(*)::int AS count FROM ${table} t WHERE ${where}`,
      params,
    )) as { count: number }[];
    const pageParams = [...params];
    let page = where;
    if (after) {
      pageParams.push(after[0], after[1]);
      page += ` AND (t.${at}, t.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`;
    }
    pageParams.push(limit);
    const rows = (await this.manager.query(
      `SELECT t.* FROM ${table} t WHERE ${page} ORDER BY t.${at} DESC, t.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as Row[];
    return { rows: rows.map(to), total: Number(count) };
  }
}
