import { queryRows } from '@servicecenter/database';
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
