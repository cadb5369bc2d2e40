import type { EntityManager } from 'typeorm';
import { countRows } from '@servicecenter/platform-database';
import { customerScopeSql, type CustomerScope } from '@servicecenter/platform-auth';
import { Topics } from '@servicecenter/contracts';
import type { FreshnessRow } from '../domain/reports';

/** Which read models each topic feeds (for the freshness query). */
export const READ_MODELS_BY_TOPIC: Record<string, string[]> = {
  [Topics.requests]: [
    'requests',
    'first responses',
    'closings',
    'time bookings',
    'surveys',
    'change links',
    'customers',
  ],
  [Topics.sla]: ['SLA target outcomes', 'SLA compliance goals'],
  [Topics.escalations]: ['escalations', 'asks and urgent calls', 'disruptions'],
};

export interface ReportCustomer {
  customerId: string;
  name: string;
  serviceManagerId: string | null;
  customerSuccessManagerId: string | null;
}

/** The customer directory (who looks after whom) and how current the read models are. */
export class DirectoryReader {
  constructor(private readonly manager: EntityManager) {}

  async customer(customerId: string): Promise<ReportCustomer | null> {
    const [r]: Record<string, unknown>[] = await this.manager.query(
      `SELECT * FROM rp_customer WHERE customer_id = $1`,
      [customerId],
    );
    return r
      ? {
          customerId: r.customer_id as string,
          name: r.name as string,
          serviceManagerId: (r.service_manager_id as string | null) ?? null,
          customerSuccessManagerId: (r.customer_success_manager_id as string | null) ?? null,
        }
      : null;
  }

  /** The customers the visibility rule's scope covers (service manager of, CSM of, own organisation). */
  async customersIn(scope: CustomerScope): Promise<string[]> {
    const { sql, params } = customerScopeSql(
      scope,
      'c.customer_id',
      { table: 'rp_customer', customerColumn: 'customer_id' },
      1,
    );
    const rows: { customer_id: string }[] = await this.manager.query(
      `SELECT c.customer_id FROM rp_customer c WHERE ${sql} ORDER BY c.customer_id`,
      params,
    );
    return rows.map((r) => r.customer_id);
  }

  async freshness(now: Date): Promise<FreshnessRow[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(`SELECT * FROM rp_freshness`);
    return Object.entries(READ_MODELS_BY_TOPIC).map(([topic, readModels]) => {
      const r = rows.find((x) => x.topic === topic);
      const last = r ? new Date(r.last_event_time as string) : null;
      return {
        topic,
        readModels,
        lastEventId: (r?.last_event_id as string | undefined) ?? null,
        lastEventType: (r?.last_event_type as string | undefined) ?? null,
        lastEventTime: last,
        eventsApplied: r ? Number(r.events_applied) : 0,
        lagSeconds: last ? Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000)) : null,
      };
    });
  }

  /** Events in the journal: exact up to a million, the planner's estimate above (`countRows`). */
  async journalSize(): Promise<number> {
    return (await countRows(this.manager, 'event_journal')).count;
  }
}
