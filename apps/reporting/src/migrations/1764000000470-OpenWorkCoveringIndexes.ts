import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns the as-of-now reports group and filter by, included in the indexes they range over. */
const INCLUDED = 'INCLUDE (product_group_id, effective_priority, customer_id, product_id)';
const CONSULTING = `type = 'CHANGE' AND status = 'HANDED_OVER' AND handed_over_to = 'CONSULTING'`;

/**
 * Index-only scans for two as-of-now reports:
 *
 * - the open-requests report reads the requests of the (at most four) days its age-bucket
 *   edges fall in by a range of registration times per day over rp_open_request_age; without
 *   the included columns the planner preferred scanning the whole (group, priority,
 *   registered_at) index per day;
 * - the consulting-changes report counts its changes per group and priority over the partial
 *   index rp_request_consulting: with the included columns, without a heap fetch per change.
 */
export class OpenWorkCoveringIndexes1764000000470 implements MigrationInterface {
  name = 'OpenWorkCoveringIndexes1764000000470';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rp_open_request_age`);
    await q.query(`CREATE INDEX rp_open_request_age ON rp_open_request (registered_at, number) ${INCLUDED}`);
    await q.query(`DROP INDEX rp_request_consulting`);
    await q.query(
      `CREATE INDEX rp_request_consulting ON rp_request (registered_at, request_id) ${INCLUDED} WHERE ${CONSULTING}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rp_request_consulting`);
    await q.query(`CREATE INDEX rp_request_consulting ON rp_request (registered_at, request_id) WHERE ${CONSULTING}`);
    await q.query(`DROP INDEX rp_open_request_age`);
    await q.query(`CREATE INDEX rp_open_request_age ON rp_open_request (registered_at, number)`);
  }
}
