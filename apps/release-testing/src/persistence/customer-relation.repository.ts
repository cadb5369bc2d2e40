import type { EntityManager } from 'typeorm';

/** Who looks after each customer, from the directory's customer.saved events (the visibility rule's facts). */
export class CustomerRelationRepository {
  constructor(private readonly m: EntityManager) {}

  /** The newest save wins; an older one arriving late changes nothing. */
  async save(c: {
    customerId: string;
    serviceManagerId: string | null;
    customerSuccessManagerId: string | null;
    savedAt: string;
  }): Promise<void> {
    await this.m.query(
      `INSERT INTO customer_relation (customer_id, service_manager_id, customer_success_manager_id, saved_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id) DO UPDATE SET service_manager_id = EXCLUDED.service_manager_id,
         customer_success_manager_id = EXCLUDED.customer_success_manager_id, saved_at = EXCLUDED.saved_at
       WHERE customer_relation.saved_at <= EXCLUDED.saved_at`,
      [c.customerId, c.serviceManagerId, c.customerSuccessManagerId, c.savedAt],
    );
  }
}
