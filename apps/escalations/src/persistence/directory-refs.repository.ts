import type { EntityManager } from 'typeorm';
import type { DirectoryPersonSaved, DirectoryProductSaved, PayloadOf } from '@servicecenter/contracts';

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

  /**
   * The teams a person works in, from a person-saved event that announced them (row 98: a team lead
   * decides its own product's asks). An event without teams (older than the field) changes nothing.
   */
  async savePersonTeams(p: PayloadOf<typeof DirectoryPersonSaved>): Promise<void> {
    if (!p.teamIds) return;
    await this.manager.query(
      `INSERT INTO person_team (person_id, team_ids, saved_at) VALUES ($1, $2::text[], $3)
       ON CONFLICT (person_id) DO UPDATE SET team_ids = EXCLUDED.team_ids, saved_at = EXCLUDED.saved_at
       WHERE person_team.saved_at <= EXCLUDED.saved_at`,
      [p.personId, p.teamIds, p.savedAt],
    );
  }

  /** The teams the directory announced for the person; empty when it announced none (or not yet). */
  async teamsOf(personId: string): Promise<string[]> {
    const rows = (await this.manager.query(`SELECT team_ids FROM person_team WHERE person_id = $1`, [personId])) as {
      team_ids: string[];
    }[];
    return rows[0]?.team_ids ?? [];
  }

  unknownProducts = (ids: readonly string[]) => missing(this.manager, 'product_ref', 'product_id', ids);
  unknownCustomers = (ids: readonly string[]) => missing(this.manager, 'customer_relation', 'customer_id', ids);
}
