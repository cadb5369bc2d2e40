import type { EntityManager } from 'typeorm';
import type { PayloadOf } from '@servicecenter/contracts';
import type { DirectoryProductSaved } from '@servicecenter/contracts';

/** Of `ids`, those not among the `column` values of `table`, in the order given. */
async function missing(manager: EntityManager, table: string, column: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = (await manager.query(`SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1::text[])`, [
    [...ids],
  ])) as { id: string }[];
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/**
 * The directory facts this service holds: products (product_ref, from product-saved events)
 * and customers (customer_relation, from customer.saved events). Input naming a product or
 * customer is checked against them, never against the requests service.
 */
export class DirectoryRefRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The newest save wins; an older one arriving late changes nothing. */
  async saveProduct(p: PayloadOf<typeof DirectoryProductSaved>): Promise<void> {
    await this.manager.query(
      `INSERT INTO product_ref (product_id, name, product_group_id, team_id, saved_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, product_group_id = EXCLUDED.product_group_id,
         team_id = EXCLUDED.team_id, saved_at = EXCLUDED.saved_at
       WHERE product_ref.saved_at <= EXCLUDED.saved_at`,
      [p.productId, p.name, p.productGroupId, p.teamId, p.savedAt],
    );
  }

  unknownProducts = (ids: readonly string[]) => missing(this.manager, 'product_ref', 'product_id', ids);
  unknownCustomers = (ids: readonly string[]) => missing(this.manager, 'customer_relation', 'customer_id', ids);
}
