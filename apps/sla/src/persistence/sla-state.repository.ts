import type { EntityManager } from 'typeorm';
import type { RequestFacts } from '@servicecenter/contracts';
import type { ClockState, RequestSlaState, SlaClock } from '../domain/clocks';

/** JSON keeps dates as strings; these are the fields that hold instants. */
function revive(raw: Record<string, unknown>): RequestSlaState {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const pauses = (list: { from: string; to: string | null }[]) => list.map((p) => ({ from: new Date(p.from), to: date(p.to) }));
  const state = raw as unknown as RequestSlaState & { pauses: never; clocks: never };
  return {
    ...state,
    registeredAt: new Date(raw.registeredAt as string),
    proposedAt: date(raw.proposedAt),
    pauses: pauses(raw.pauses as never),
    clocks: (raw.clocks as (Omit<SlaClock, 'startedAt' | 'pauses' | 'stop'> & { startedAt: string; pauses: never; stop: { at: string } | null })[]).map((c) => ({
      ...c,
      startedAt: new Date(c.startedAt),
      pauses: pauses(c.pauses),
      stop: c.stop ? { ...(c.stop as unknown as SlaClock['stop'] & object), at: new Date(c.stop.at) } : null,
    })),
  };
}

export interface ClockRow {
  kind: string;
  state: ClockState;
  unit: string | null;
  budgetMs: number | null;
  dueAt: Date | null;
}

/** The SLA state of requests: one jsonb document per request plus a row per clock. */
export class SlaStateRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Reads and locks a request's state for the rest of the transaction. */
  async lock(requestId: string): Promise<RequestSlaState | null> {
    const rows: { state: Record<string, unknown> }[] = await this.manager.query(`SELECT state FROM request_sla_state WHERE request_id = $1 FOR UPDATE`, [requestId]);
    return rows.length ? revive(rows[0].state) : null;
  }

  async save(state: RequestSlaState, facts: RequestFacts, clocks: ClockRow[], now: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO request_sla_state (request_id, customer_id, product_id, product_group_id, team_id, type, priority, version, state, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
       ON CONFLICT (request_id) DO UPDATE SET customer_id = $2, product_id = $3, product_group_id = $4, team_id = $5,
         type = $6, priority = $7, version = $8, state = $9::jsonb, updated_at = $10`,
      [state.requestId, facts.customerId, facts.productId, facts.productGroupId, facts.teamId, state.type, state.priority, state.version, JSON.stringify(state), now],
    );
    for (const clock of clocks) {
      await this.manager.query(
        `INSERT INTO sla_clock (request_id, kind, state, unit, budget_ms, due_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (request_id, kind) DO UPDATE SET state = $3, unit = $4, budget_ms = $5, due_at = $6`,
        [state.requestId, clock.kind, clock.state, clock.unit, clock.budgetMs, clock.dueAt],
      );
    }
  }

  async findByRequestIds(ids: readonly string[]): Promise<RequestSlaState[]> {
    if (ids.length === 0) return [];
    const rows: { state: Record<string, unknown> }[] = await this.manager.query(`SELECT state FROM request_sla_state WHERE request_id = ANY($1::uuid[])`, [[...ids]]);
    return rows.map((r) => revive(r.state));
  }
}
