import type { EntityManager } from 'typeorm';

export interface AtRiskFilter {
  teamId?: string | null;
  productId?: string | null;
  customerId?: string | null;
}

export interface AtRiskRow {
  requestId: string;
  kind: string;
  dueAt: Date;
}

/** Running clocks by due time, through the partial index on running clocks. */
export class AtRiskReader {
  constructor(private readonly manager: EntityManager) {}

  /** Not yet breached at `now`: a breached target is no longer at risk, it is late. */
  async page(
    filter: AtRiskFilter,
    now: Date,
    limit: number,
    after?: [string, string, string],
  ): Promise<{ rows: AtRiskRow[]; totalCount: number }> {
    const where = [`c.state = 'RUNNING'`, `c.due_at > $1`];
    const params: unknown[] = [now];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.teamId) add('s.team_id = ?', filter.teamId);
    if (filter.productId) add('s.product_id = ?', filter.productId);
    if (filter.customerId) add('s.customer_id = ?', filter.customerId);
    const from = `FROM sla_clock c JOIN request_sla_state s ON s.request_id = c.request_id WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.manager.query(`SELECT count(*)::int AS n ${from}`, params);
    const pageParams = [...params];
    let keyset = '';
    if (after) {
      pageParams.push(after[0], after[1], after[2]);
      const i = pageParams.length;
      keyset = ` AND (c.due_at, c.request_id, c.kind) > ($${i - 2}::timestamptz, $${i - 1}::uuid, $${i})`;
    }
    pageParams.push(limit);
    const rows: { request_id: string; kind: string; due_at: Date }[] = await this.manager.query(
      `SELECT c.request_id, c.kind, c.due_at ${from}${keyset} ORDER BY c.due_at, c.request_id, c.kind LIMIT $${pageParams.length}`,
      pageParams,
    );
    return { rows: rows.map((r) => ({ requestId: r.request_id, kind: r.kind, dueAt: r.due_at })), totalCount: n };
  }
}
