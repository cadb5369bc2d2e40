import type { EntityManager } from 'typeorm';
import type { Priority, RequestSlaState } from '../domain/clocks';
import type { CompliancePeriod } from '../domain/compliance';
import { revive } from './sla-state.repository';

export interface ComplianceFilter {
  period: CompliancePeriod;
  customerId?: string | null;
  productGroupId?: string | null;
  /** The request's current priority (the desk's, or the requested one until set). */
  priority?: Priority | null;
}

/** Reads the SLA state of the requests a compliance report covers. */
export class ComplianceReader {
  constructor(private readonly manager: EntityManager) {}

  /**
   * The requests registered in the period (`from <= registered_at < to`, the definition of
   * "in the period" of domain/compliance.ts) that match the filters, in one query on the
   * registered_at indexes (per customer when a customer is given).
   */
  async requestsRegisteredIn(filter: ComplianceFilter): Promise<RequestSlaState[]> {
    const rows: { state: Record<string, unknown> }[] = await this.manager.query(
      `SELECT state FROM request_sla_state
       WHERE registered_at >= $1 AND registered_at < $2
         AND ($3::text IS NULL OR customer_id = $3)
         AND ($4::text IS NULL OR product_group_id = $4)
         AND ($5::text IS NULL OR priority = $5)
       ORDER BY registered_at, request_id`,
      [
        filter.period.from,
        filter.period.to,
        filter.customerId ?? null,
        filter.productGroupId ?? null,
        filter.priority ?? null,
      ],
    );
    return rows.map((r) => revive(r.state));
  }
}
