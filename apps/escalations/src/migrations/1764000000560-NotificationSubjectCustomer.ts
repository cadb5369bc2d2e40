import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The visibility rule for notifications: a notification to an internal role about one
 * customer (an escalation, an ask, an urgent call) is read only by those of the role who may
 * see that customer. `subject_customer_id` names it; null for product-wide ones (disruption
 * notices). Existing rows get it from what their link points to.
 */
export class NotificationSubjectCustomer1764000000560 implements MigrationInterface {
  name = 'NotificationSubjectCustomer1764000000560';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN subject_customer_id text`);
    await q.query(`UPDATE notification n SET subject_customer_id = e.customer_id FROM escalation e
       WHERE n.link = 'escalation:' || e.id::text`);
    await q.query(`UPDATE notification n SET subject_customer_id = v.customer_id FROM request_view v
       WHERE n.link = 'request:' || v.request_id::text`);
    await q.query(`UPDATE notification SET subject_customer_id = recipient_customer_id
       WHERE subject_customer_id IS NULL AND recipient_customer_id IS NOT NULL AND link NOT LIKE 'disruption:%'`);
    // The scope of a customer success manager is looked up like the service manager's.
    await q.query(`CREATE INDEX customer_relation_success_manager ON customer_relation (customer_success_manager_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_relation_success_manager`);
    await q.query(`ALTER TABLE notification DROP COLUMN subject_customer_id`);
  }
}
