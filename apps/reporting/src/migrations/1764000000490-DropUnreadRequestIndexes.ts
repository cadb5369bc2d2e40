import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two partial indexes of open requests on rp_request (migration 1764000000400) have had no
 * reader since the open-work reports read rp_open_request (migration 1764000000440): every
 * query of rp_request filters by registration time (rp_request_registered), customer
 * (rp_request_customer), change (rp_request_change) or Consulting (rp_request_consulting).
 * They were still written on every insert and on every update of an open request (an update
 * of rp_request is seldom HOT: status is in their predicate, and the pages are full), the
 * most written table of the reporting database (docs/performance.md, "PostgreSQL CPU per
 * imported request").
 */
export class DropUnreadRequestIndexes1764000000490 implements MigrationInterface {
  name = 'DropUnreadRequestIndexes1764000000490';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rp_request_open`);
    await q.query(`DROP INDEX rp_request_open_age`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX rp_request_open ON rp_request (product_group_id, effective_priority, registered_at) WHERE status <> 'CLOSED'`,
    );
    await q.query(`CREATE INDEX rp_request_open_age ON rp_request (registered_at) WHERE status <> 'CLOSED'`);
  }
}
