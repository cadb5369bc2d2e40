import type { EntityManager } from 'typeorm';

/**
 * The directory's customers as this service knows them (customer_ref, from customer.saved
 * events): an agreement's customer id is checked against them, never against the requests
 * service.
 */
export class CustomerRefRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The newest save wins; an older one arriving late changes nothing. */
  async save(c: { customerId: string; name: string; savedAt: string }): Promise<void> {
    await this.manager.query(
      `INSERT INTO customer_ref (customer_id, name, saved_at) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, saved_at = EXCLUDED.saved_at
       WHERE customer_ref.saved_at <= EXCLUDED.saved_at`,
      [c.customerId, c.name, c.savedAt],
    );
  }

  async known(customerId: string): Promise<boolean> {
    const rows = (await this.manager.query(`SELECT 1 FROM customer_ref WHERE customer_id = $1`, [
      customerId,
    ])) as unknown[];
    return rows.length > 0;
  }
}
