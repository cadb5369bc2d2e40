import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open-requests report reads the requests of the (at most four) days its age-bucket edges
 * fall in by a range of registration times per day; with the columns it groups and filters by
 * in the index (INCLUDE), that is an index-only scan of those days' entries. Without them the
 * planner preferred scanning the whole (group, priority, registered_at) index per day.
 */
export class OpenRequestAgeCovering1764000000470 implements MigrationInterface {
  name = 'OpenRequestAgeCovering1764000000470';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rp_open_request_age`);
    await q.query(
      `CREATE INDEX rp_open_request_age ON rp_open_request (registered_at, number) INCLUDE (product_group_id, effective_priority, customer_id, product_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rp_open_request_age`);
    await q.query(`CREATE INDEX rp_open_request_age ON rp_open_request (registered_at, number)`);
  }
}
