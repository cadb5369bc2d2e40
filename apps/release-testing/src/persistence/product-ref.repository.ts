import type { EntityManager } from 'typeorm';
import type { DirectoryProductSaved } from '@servicecenter/contracts';
import type { PayloadOf } from '@servicecenter/contracts';
import { select } from './sql';

/** The directory's products this service knows from its product-saved events (newest save wins). */
export class ProductRefRepository {
  constructor(private readonly m: EntityManager) {}

  /** An older save arriving late changes nothing. */
  async save(p: PayloadOf<typeof DirectoryProductSaved>): Promise<void> {
    await this.m.query(
      `INSERT INTO product_ref (product_id, name, product_group_id, team_id, saved_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, product_group_id = EXCLUDED.product_group_id,
         team_id = EXCLUDED.team_id, saved_at = EXCLUDED.saved_at
       WHERE product_ref.saved_at <= EXCLUDED.saved_at`,
      [p.productId, p.name, p.productGroupId, p.teamId, p.savedAt],
    );
  }

  /** The ids among `ids` that no product-saved event has announced. */
  async unknown(ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const known = new Set(
      (await select(this.m, `SELECT product_id FROM product_ref WHERE product_id = ANY($1::text[])`, [ids])).map(
        (r) => r.product_id as string,
      ),
    );
    return ids.filter((id) => !known.has(id));
  }
}
