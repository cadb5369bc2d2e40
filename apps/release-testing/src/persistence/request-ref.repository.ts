import { customerScopeSql, type CustomerScope } from '@servicecenter/platform-auth';
import { queryRows } from '@servicecenter/platform-database';
import type { EntityManager } from 'typeorm';
import type { RequestFacts } from '@servicecenter/contracts';
import { select } from './sql';

/** The requests this service knows from the requests service's events (newest version wins). */
export class RequestRefRepository {
  constructor(private readonly m: EntityManager) {}

  /** Applies request facts, at most one per request (see `inWaves`), with one statement. */
  async applyAll(
    facts: readonly Pick<RequestFacts, 'requestId' | 'number' | 'customerId' | 'productId' | 'version'>[],
  ): Promise<void> {
    if (facts.length === 0) return;
    await queryRows(
      this.m,
      'request_id uuid, number text, customer_id text, product_id text, version integer',
      facts.map((f) => ({
        request_id: f.requestId,
        number: f.number,
        customer_id: f.customerId,
        product_id: f.productId,
        version: f.version,
      })),
      (from) => `INSERT INTO request_ref (request_id, number, customer_id, product_id, version)
       SELECT request_id, number, customer_id, product_id, version
       FROM ${from}
       ON CONFLICT (request_id) DO UPDATE SET number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id, version = EXCLUDED.version
       WHERE request_ref.version < EXCLUDED.version`,
    );
  }

  /** Records the latest hand-over of each request: to product development, or elsewhere (Consulting). */
  async handedOver(handovers: readonly { requestId: string; toProductDevelopment: boolean }[]): Promise<void> {
    if (!handovers.length) return;
    await queryRows(
      this.m,
      'request_id uuid, to_pd boolean',
      handovers.map((h) => ({ request_id: h.requestId, to_pd: h.toProductDevelopment })),
      (from) =>
        `UPDATE request_ref r SET handed_to_product_development = u.to_pd FROM ${from} WHERE r.request_id = u.request_id`,
    );
  }

  /** The ids among `ids` the graph's visibility rule lets a caller of `scope` see. */
  async visibleAmong(ids: readonly string[], scope: CustomerScope): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const visible = customerScopeSql(
      scope,
      'r.customer_id',
      { table: 'customer_relation', customerColumn: 'customer_id' },
      2,
      'r.handed_to_product_development',
    );
    const rows = await select(
      this.m,
      `SELECT r.request_id FROM request_ref r WHERE r.request_id = ANY($1::uuid[]) AND ${visible.sql}`,
      [ids, ...visible.params],
    );
    return new Set(rows.map((r) => r.request_id as string));
  }

  /** The ids among `ids` that no request event has announced. */
  async unknown(ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const known = new Set(
      (await select(this.m, `SELECT request_id FROM request_ref WHERE request_id = ANY($1::uuid[])`, [ids])).map(
        (r) => r.request_id as string,
      ),
    );
    return ids.filter((id) => !known.has(id));
  }
}
