import type { EntityManager } from 'typeorm';
import {
  PRIORITIES,
  REQUEST_STATUSES,
  type ChangeWait,
  type OpenRequestItem,
  type OpenRequestsRow,
  type ReportScope,
  type ResponseTimeRow,
  type StatusCount,
} from '../domain/reports';
import { AGE_COLUMNS, Where, ages, hours, keyText, num, oneOf, requestRow, type Keyed, type Keyset } from './sql';

const SCOPE = {
  customer: 'customer_id',
  group: 'product_group_id',
  product: 'product_id',
  priority: 'effective_priority',
};
/** The open requests: a current-state table kept by a trigger on rp_request (migration 1764000000440). */
const OPEN = 'rp_open_request';
const CONSULTING = `type = 'CHANGE' AND status = 'HANDED_OVER' AND handed_over_to = 'CONSULTING'`;

/** Open work as of now: open requests, response times, changes at Consulting, changes customers wait for. */
export class OpenWorkReader {
  constructor(private readonly manager: EntityManager) {}

  /** Per product group and priority, with age buckets. */
  async openRequests(s: ReportScope, now: Date): Promise<OpenRequestsRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.scope(s, SCOPE);
    // Whole days (UTC) from the counters, except the days an age-bucket edge falls in: those
    // days' requests are read one by one, so every bucket is exact. The oldest per row is
    // the earliest request of its earliest day.
    // The edge days' requests by a range of registration times per day (an index range scan on
    // rp_open_request_age), not by truncating every open request's time.
    const rows: Record<string, unknown>[] = await this.manager.query(
      `WITH edges AS (
         SELECT DISTINCT date_trunc('day', (${n} - e.age) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS edge_day
           FROM (VALUES (interval '1 day'), (interval '3 days'), (interval '7 days'), (interval '30 days')) e(age)
       ), counted AS (
         SELECT nullif(product_group_id, '') AS product_group_id, effective_priority, requests AS n, day AS registered_at
           FROM rp_open_day WHERE ${w.conditions} AND day NOT IN (SELECT edge_day FROM edges)
         UNION ALL
         SELECT product_group_id, effective_priority, 1, registered_at
           FROM edges JOIN ${OPEN} ON registered_at >= edge_day AND registered_at < edge_day + interval '1 day'
          WHERE ${w.conditions}
       ), grouped AS (
         SELECT product_group_id, effective_priority, sum(n)::int AS count, min(registered_at) AS first_at,
           ${AGE_COLUMNS(n, 'sum(n)')}
         FROM counted GROUP BY product_group_id, effective_priority
       )
       SELECT g.*, (SELECT min(o.registered_at) FROM ${OPEN} o
                     WHERE ${w.conditions} AND o.product_group_id IS NOT DISTINCT FROM g.product_group_id
                       AND o.effective_priority = g.effective_priority
                       AND o.registered_at >= date_trunc('day', g.first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                       AND o.registered_at < (date_trunc('day', g.first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + interval '1 day') AS oldest
         FROM grouped g
        ORDER BY g.product_group_id NULLS LAST, array_position(ARRAY['HIGH','MEDIUM','LOW'], g.effective_priority)`,
      w.params,
    );
    return rows.map(openRow);
  }

  async openByStatus(s: ReportScope): Promise<StatusCount[]> {
    const w = new Where().scope(s, SCOPE);
    const rows: { status: unknown; count: number }[] = await this.manager.query(
      `SELECT status, sum(requests)::int AS count FROM rp_open_day WHERE ${w.conditions} GROUP BY status ORDER BY count DESC, status`,
      w.params,
    );
    return rows.map((r) => ({ status: oneOf(REQUEST_STATUSES, r.status, 'status'), count: r.count }));
  }

  /** The top `limit` oldest open requests (a bounded list: the caller asks for at most 100). */
  async oldestOpen(s: ReportScope, now: Date, limit: number): Promise<OpenRequestItem[]> {
    const w = new Where().scope(s, SCOPE);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT * FROM ${OPEN} WHERE ${w.conditions} ORDER BY registered_at, number LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => requestRow(r, now));
  }

  /**
   * From maintained state (migration 1764000000460): the counts and sums per product group
   * from rp_open_response; the longest response and wait from an index's first entry; the
   * median response (percentile_cont(0.5): the middle value, or the midpoint of the middle two)
   * from the bucket counts, which say in which bucket the middle falls and how many responses
   * precede it, then the one or two entries at that offset of an index-only scan from the
   * bucket's start. The same figures as aggregating the open requests (the spec compares).
   */
  async responseTimes(s: ReportScope, now: Date): Promise<ResponseTimeRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.scope(s, SCOPE);
    const of = (answered: boolean) =>
      `FROM ${OPEN} o WHERE coalesce(product_group_id, '') = c.g AND first_response_at IS ${answered ? 'NOT ' : ''}NULL AND ${w.conditions}`;
    const rows: Record<string, unknown>[] = await this.manager.query(
      `WITH c AS (
         SELECT product_group_id AS g, sum(responded)::int AS responded, sum(response_seconds) AS response_seconds,
                sum(waiting)::int AS waiting, sum(waiting_registered_epoch) AS waiting_registered
           FROM rp_open_response WHERE ${w.conditions} GROUP BY product_group_id
       ), b AS (
         SELECT product_group_id AS g, bucket, sum(responded)::int AS n
           FROM rp_open_response_bucket WHERE ${w.conditions} GROUP BY product_group_id, bucket
       ), below AS (
         SELECT g, bucket, n, (sum(n) OVER (PARTITION BY g ORDER BY bucket) - n)::int AS before FROM b
       ), middle AS (
         SELECT DISTINCT ON (c.g) c.g, m.bucket, (c.responded - 1) / 2 - m.before AS skip
           FROM c JOIN below m ON m.g = c.g AND m.before + m.n > (c.responded - 1) / 2
          ORDER BY c.g, m.bucket
       )
       SELECT nullif(c.g, '') AS product_group_id, c.responded + c.waiting AS open, c.responded,
         (c.response_seconds / nullif(c.responded, 0))::float8 AS avg_response,
         (SELECT min(v) + 0.5::float8 * (max(v) - min(v))
            FROM (SELECT o.response_seconds::float8 AS v ${of(true)} AND o.response_bucket >= mid.bucket
                   ORDER BY o.response_bucket, o.response_seconds OFFSET mid.skip LIMIT 2 - c.responded % 2) two) AS median_response,
         (SELECT o.response_seconds::float8 AS v ${of(true)}
           ORDER BY o.response_bucket DESC, o.response_seconds DESC LIMIT 1) AS max_response,
         c.waiting,
         ((c.waiting * extract(epoch FROM ${n}) - c.waiting_registered) / nullif(c.waiting, 0))::float8 AS avg_wait,
         (SELECT extract(epoch FROM ${n} - o.registered_at)::float8 AS v ${of(false)} ORDER BY o.registered_at LIMIT 1) AS max_wait
       FROM c LEFT JOIN middle mid ON mid.g = c.g
      WHERE c.responded + c.waiting > 0 ORDER BY nullif(c.g, '') NULLS LAST`,
      w.params,
    );
    return rows.map(responseTimeRow);
  }

  /** Open change requests handed over to Consulting, per product group and priority. */
  consultingChanges(s: ReportScope, now: Date): Promise<OpenRequestsRow[]> {
    return this.perGroupAndPriority('rp_request', CONSULTING, s, now);
  }

  /**
   * One page of the open changes at Consulting, oldest first: keyset on (registered_at,
   * request_id) over the partial index rp_request_consulting; `limit` is first + 1.
   */
  async consultingRequests(
    s: ReportScope,
    now: Date,
    limit: number,
    after?: Keyset,
  ): Promise<Keyed<OpenRequestItem>[]> {
    const w = new Where().and(CONSULTING).scope(s, SCOPE).afterKey('registered_at', 'request_id', after);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT *, ${keyText('registered_at')} AS k_at FROM rp_request WHERE ${w.conditions} ORDER BY registered_at, request_id LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => ({ node: requestRow(r, now), key: [r.k_at as string, r.request_id as string] }));
  }

  /**
   * Open requests linked to a product-development change, grouped by change. For one
   * customer (the review): at most 500 requests, far more than one customer has open.
   */
  async changeWaits(s: ReportScope, now: Date): Promise<ChangeWait[]> {
    const w = new Where()
      .and(`status <> 'CLOSED' AND change_ref IS NOT NULL`)
      .scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT * FROM rp_request WHERE ${w.conditions} ORDER BY change_ref, registered_at, number LIMIT 500`,
      w.params,
    );
    const byChange = new Map<string, ChangeWait>();
    for (const r of rows) {
      const ref = r.change_ref as string;
      const wait = byChange.get(ref) ?? { changeRef: ref, customerCount: null, requests: [] };
      const count = num(r.change_customer_count);
      if (count !== null) wait.customerCount = Math.max(wait.customerCount ?? 0, count);
      wait.requests.push(requestRow(r, now));
      byChange.set(ref, wait);
    }
    return [...byChange.values()];
  }

  private async perGroupAndPriority(
    table: string,
    condition: string,
    s: ReportScope,
    now: Date,
  ): Promise<OpenRequestsRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.and(condition).scope(s, SCOPE);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT product_group_id, effective_priority, count(*)::int AS count, min(registered_at) AS oldest, ${AGE_COLUMNS(n)}
       FROM ${table} WHERE ${w.conditions} GROUP BY product_group_id, effective_priority
       ORDER BY product_group_id NULLS LAST, array_position(ARRAY['HIGH','MEDIUM','LOW'], effective_priority)`,
      w.params,
    );
    return rows.map(openRow);
  }
}

const openRow = (r: Record<string, unknown>): OpenRequestsRow => ({
  productGroupId: (r.product_group_id as string | null) ?? null,
  priority: oneOf(PRIORITIES, r.effective_priority, 'effective_priority'),
  count: Number(r.count),
  ages: ages(r),
  oldestRegisteredAt: r.oldest ? new Date(r.oldest as string) : null,
});

/** A response-time row from its SQL columns (seconds), as the report answers it (hours). */
export const responseTimeRow = (r: Record<string, unknown>): ResponseTimeRow => ({
  productGroupId: (r.product_group_id as string | null) ?? null,
  open: Number(r.open),
  responded: Number(r.responded),
  averageResponseHours: hours(r.avg_response),
  medianResponseHours: hours(r.median_response),
  longestResponseHours: hours(r.max_response),
  waiting: Number(r.waiting),
  averageWaitingHours: hours(r.avg_wait),
  longestWaitingHours: hours(r.max_wait),
});
