import type { EntityManager } from 'typeorm';
import { SqlWhere } from '@servicecenter/platform-database';
import type { Advice, Outcome, Release, ReleaseDecision, ReleaseStatus } from '../domain/model';
import { date, insertUnique, select, str, updateOne, type Row } from './sql';

const toRelease = (r: Row): Release => ({
  id: r.id as string,
  productId: r.product_id as string,
  releaseVersion: r.release_version as string,
  plannedProductionDate: new Date(r.planned_production_date as string),
  releaseNotes: r.release_notes as string,
  status: r.status as ReleaseStatus,
  decision: (r.decision as Outcome | null) ?? null,
  publishedAt: date(r.published_at),
  knownIssues: (r.known_issues as string[] | null) ?? [],
  createdBy: r.created_by as string,
  createdAt: new Date(r.created_at as string),
  version: Number(r.version),
});

const toDecision = (r: Row): ReleaseDecision => ({
  id: r.id as string,
  releaseId: r.release_id as string,
  runId: r.run_id as string,
  decision: r.decision as Outcome,
  advice: r.advice as Advice,
  rationale: r.rationale as string,
  deviationReason: str(r.deviation_reason),
  decidedBy: r.decided_by as string,
  decidedAt: new Date(r.decided_at as string),
});

export interface ReleaseFilter {
  productId?: string | null;
  status?: ReleaseStatus | null;
}

/** Keyset position of release lists: planned production date (newest first), then id. */
export type ReleaseCursor = [string, string];

export class ReleaseRepository {
  constructor(private readonly m: EntityManager) {}

  insert(r: Release): Promise<void> {
    return insertUnique(
      this.m,
      `INSERT INTO release (id, product_id, release_version, planned_production_date, release_notes, status, decision, published_at, known_issues, created_by, created_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11, $12)`,
      [
        r.id,
        r.productId,
        r.releaseVersion,
        r.plannedProductionDate,
        r.releaseNotes,
        r.status,
        r.decision,
        r.publishedAt,
        r.knownIssues,
        r.createdBy,
        r.createdAt,
        r.version,
      ],
      `Release ${r.releaseVersion} of product ${r.productId}`,
    );
  }

  update(before: Release, after: Release): Promise<void> {
    return updateOne(
      this.m,
      `UPDATE release SET planned_production_date = $2, release_notes = $3, status = $4, decision = $5, published_at = $6, known_issues = $7::text[], version = $8
       WHERE id = $1 AND version = $9 RETURNING id`,
      [
        after.id,
        after.plannedProductionDate,
        after.releaseNotes,
        after.status,
        after.decision,
        after.publishedAt,
        after.knownIssues,
        after.version,
        before.version,
      ],
      `Release ${after.releaseVersion}`,
    );
  }

  async findById(id: string, lock = false): Promise<Release | null> {
    const [row] = await select(this.m, `SELECT * FROM release WHERE id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [id]);
    return row ? toRelease(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Release[]> {
    return (await select(this.m, `SELECT * FROM release WHERE id = ANY($1::uuid[])`, [ids])).map(toRelease);
  }

  /**
   * One page of releases per product for a batch of products (Product.releases): `limit` rows
   * after the cursor of each, newest planned production date first, with each product's total.
   * One query per batch, whatever its size.
   */
  async pagesOfProducts(
    productIds: readonly string[],
    filter: { status?: ReleaseStatus | null },
    limit: number,
    after?: ReleaseCursor,
  ): Promise<Map<string, { rows: Release[]; total: number }>> {
    const w = new SqlWhere().and('product_id = ANY(?::text[])', productIds);
    if (filter.status) w.and('status = ?', filter.status);
    const cursor = after
      ? `AND (f.planned_production_date, f.id) < (${w.param(after[0])}::timestamptz, ${w.param(after[1])}::uuid)`
      : '';
    const rows = await select(
      this.m,
      `WITH f AS (SELECT * FROM release ${w})
       SELECT t.page_product, t.total, p.*
       FROM (SELECT product_id AS page_product, count(*)::int AS total FROM f GROUP BY product_id) t
       LEFT JOIN LATERAL (
         SELECT * FROM f WHERE f.product_id = t.page_product ${cursor} ORDER BY f.planned_production_date DESC, f.id DESC LIMIT ${w.param(limit)}
       ) p ON true
       ORDER BY t.page_product, p.planned_production_date DESC, p.id DESC`,
      w.params,
    );
    const pages = new Map<string, { rows: Release[]; total: number }>(
      productIds.map((id) => [id, { rows: [], total: 0 }]),
    );
    for (const row of rows) {
      const page = pages.get(row.page_product as string);
      if (!page) continue;
      page.total = Number(row.total);
      if (row.id) page.rows.push(toRelease(row));
    }
    return pages;
  }

  /** A page of releases, newest planned production date first. */
  async list(
    filter: ReleaseFilter & { publishedOnly?: boolean },
    limit: number,
    after?: ReleaseCursor,
  ): Promise<{ rows: Release[]; total: number }> {
    const w = new SqlWhere();
    if (filter.productId) w.and('product_id = ?', filter.productId);
    if (filter.status) w.and('status = ?', filter.status);
    if (filter.publishedOnly) w.and('published_at IS NOT NULL');
    const [{ count }] = (await select(this.m, `SELECT count(*)::int AS count FROM release ${w}`, w.params)) as {
      count: number;
    }[];
    w.after(['planned_production_date', 'id'], after, ['timestamptz', 'uuid'], 'DESC');
    const rows = await select(
      this.m,
      `SELECT * FROM release ${w} ORDER BY planned_production_date DESC, id DESC LIMIT ${w.param(limit)}`,
      w.params,
    );
    return { rows: rows.map(toRelease), total: Number(count) };
  }
}

export class DecisionRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(d: ReleaseDecision): Promise<void> {
    await this.m.query(
      `INSERT INTO release_decision (id, release_id, run_id, decision, advice, rationale, deviation_reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
      [
        d.id,
        d.releaseId,
        d.runId,
        d.decision,
        JSON.stringify(d.advice),
        d.rationale,
        d.deviationReason,
        d.decidedBy,
        d.decidedAt,
      ],
    );
  }

  /** Decisions of a batch of releases, oldest first. */
  async ofReleases(ids: readonly string[]): Promise<ReleaseDecision[]> {
    return (
      await select(
        this.m,
        `SELECT * FROM release_decision WHERE release_id = ANY($1::uuid[]) ORDER BY decided_at, id`,
        [ids],
      )
    ).map(toDecision);
  }
}
