import type { EntityManager } from 'typeorm';
import { customerScopeSql, type CustomerRelation, type CustomerScope } from '@servicecenter/platform-auth';
import type { AttentionCandidate, SlaRisk, SlaTargetKind } from '../domain/attention';

type Row = Record<string, unknown>;

/** An SLA warning (the share of the target used) or breach of one request's target, as the read model takes it. */
export interface SlaReached {
  requestId: string;
  kind: SlaTargetKind;
  /** The warning's share of the target; a breach is 1. */
  threshold: number;
  breached: boolean;
  dueAt: string;
  /** When the warning or breach was reached. */
  at: string;
}

/** The customer relation read model: customer → service manager, from customer.saved events. */
export class CustomerRelationRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The newest save wins; an older one arriving late changes nothing. */
  async save(c: {
    customerId: string;
    name: string;
    serviceManagerId: string | null;
    customerSuccessManagerId: string | null;
    savedAt: string;
  }): Promise<void> {
    await this.manager.query(
      `INSERT INTO customer_relation (customer_id, name, service_manager_id, customer_success_manager_id, saved_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, service_manager_id = EXCLUDED.service_manager_id,
         customer_success_manager_id = EXCLUDED.customer_success_manager_id, saved_at = EXCLUDED.saved_at
       WHERE customer_relation.saved_at <= EXCLUDED.saved_at`,
      [c.customerId, c.name, c.serviceManagerId, c.customerSuccessManagerId, c.savedAt],
    );
  }

  /** Who looks after these customers (the visibility rule's facts); unknown customers are left out. */
  async relationsOf(customerIds: readonly string[]): Promise<CustomerRelation[]> {
    if (customerIds.length === 0) return [];
    const rows = (await this.manager.query(
      `SELECT customer_id, service_manager_id, customer_success_manager_id FROM customer_relation WHERE customer_id = ANY($1::text[])`,
      [customerIds],
    )) as Row[];
    return rows.map((r) => ({
      customerId: r.customer_id as string,
      serviceManagerId: (r.service_manager_id as string | null) ?? null,
      customerSuccessManagerId: (r.customer_success_manager_id as string | null) ?? null,
    }));
  }
}

/** The SLA risk read model: per request and target, from SLA warning and breach events. */
export class SlaRiskRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Warnings and breaches, one row per request and target (each at most once: a wave), in one
   * statement. A warning keeps the highest threshold reached and takes its due time if it is
   * the newest; a breach sets the threshold to 1, the due time and the breach flag. Requests the
   * read model shows closed take none of them and lose the risks they had (a late warning of a
   * closed request): their targets are done.
   */
  async reached(rows: readonly SlaReached[]): Promise<void> {
    if (rows.length === 0) return;
    const closed = `EXISTS (SELECT 1 FROM request_view v WHERE v.request_id = u.request_id AND v.status = 'CLOSED')`;
    // The clearing and the upsert touch different requests' rows (closed ones, the others).
    await this.manager.query(
      `WITH u AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::timestamptz[], $5::boolean[], $6::timestamptz[])
           AS u(request_id, kind, threshold, due_at, breached, updated_at)
       ), cleared AS (
         DELETE FROM sla_risk r WHERE r.request_id IN (SELECT u.request_id FROM u WHERE ${closed})
       )
       INSERT INTO sla_risk (request_id, kind, threshold, due_at, breached, updated_at)
       SELECT * FROM u WHERE NOT ${closed}
       ON CONFLICT (request_id, kind) DO UPDATE SET threshold = GREATEST(sla_risk.threshold, EXCLUDED.threshold),
         due_at = CASE WHEN EXCLUDED.breached OR sla_risk.updated_at <= EXCLUDED.updated_at THEN EXCLUDED.due_at ELSE sla_risk.due_at END,
         breached = sla_risk.breached OR EXCLUDED.breached,
         updated_at = GREATEST(sla_risk.updated_at, EXCLUDED.updated_at)`,
      [
        rows.map((r) => r.requestId),
        rows.map((r) => r.kind),
        rows.map((r) => (r.breached ? 1 : r.threshold)),
        rows.map((r) => r.dueAt),
        rows.map((r) => r.breached),
        rows.map((r) => r.at),
      ],
    );
  }

  /** Every risk of these requests (their targets are done: the request was closed). */
  async clear(requestIds: readonly string[]): Promise<void> {
    if (requestIds.length === 0) return;
    await this.manager.query(`DELETE FROM sla_risk WHERE request_id = ANY($1::uuid[])`, [requestIds]);
  }
}

/** Reads the open requests of the customers in scope with their SLA risks. */
export class AttentionReader {
  constructor(private readonly manager: EntityManager) {}

  async candidates(scope: CustomerScope): Promise<AttentionCandidate[]> {
    const inScope = customerScopeSql(
      scope,
      'v.customer_id',
      { table: 'customer_relation', customerColumn: 'customer_id' },
      1,
    );
    const rows = (await this.manager.query(
      `SELECT v.request_id, v.number, v.customer_id, COALESCE(v.registered_at, v.updated_at) AS registered_at, v.last_public_update_at,
         COALESCE(json_agg(json_build_object('kind', r.kind, 'threshold', r.threshold, 'dueAt', r.due_at, 'breached', r.breached)) FILTER (WHERE r.request_id IS NOT NULL), '[]') AS risks
       FROM request_view v
       LEFT JOIN sla_risk r ON r.request_id = v.request_id
       WHERE v.status <> 'CLOSED'
         AND ${inScope.sql}
       GROUP BY v.request_id`,
      inScope.params,
    )) as Row[];
    return rows.map((r) => ({
      requestId: r.request_id as string,
      number: r.number as string,
      customerId: r.customer_id as string,
      registeredAt: new Date(r.registered_at as string),
      lastPublicUpdateAt: r.last_public_update_at ? new Date(r.last_public_update_at as string) : null,
      risks: (r.risks as { kind: SlaTargetKind; threshold: number; dueAt: string; breached: boolean }[]).map(
        (x): SlaRisk => ({
          kind: x.kind,
          threshold: Number(x.threshold),
          dueAt: new Date(x.dueAt),
          breached: x.breached,
        }),
      ),
    }));
  }
}
