import { rowSet } from '@servicecenter/platform-database';
import { outboxInsert } from '@servicecenter/platform-events';
import type { EntityManager } from 'typeorm';
import type { RequestFacts } from '@servicecenter/contracts';
import type { ClockState, RequestSlaState, SlaClock } from '../domain/clocks';

/** `kind:threshold` with the threshold at the precision sla_warning stores it (real). */
export const thresholdKey = (kind: string, threshold: number) => `${kind}:${Math.fround(threshold)}`;

/** JSON keeps dates as strings; these are the fields that hold instants. */
export function revive(raw: Record<string, unknown>): RequestSlaState {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const pauses = (list: { from: string; to: string | null }[]) =>
    list.map((p) => ({ from: new Date(p.from), to: date(p.to) }));
  const state = raw as unknown as RequestSlaState & { pauses: never; clocks: never };
  return {
    ...state,
    registeredAt: new Date(raw.registeredAt as string),
    proposedAt: date(raw.proposedAt),
    ...(raw.deskActedAt === undefined ? {} : { deskActedAt: date(raw.deskActedAt) }),
    // why: the stored JSON as written by this repository: pauses with ISO string times.
    pauses: pauses(raw.pauses as never),
    clocks: (
      raw.clocks as (Omit<SlaClock, 'startedAt' | 'pauses' | 'stop'> & {
        startedAt: string;
        pauses: never;
        stop: { at: string } | null;
      })[]
    ).map((c) => ({
      ...c,
      startedAt: new Date(c.startedAt),
      pauses: pauses(c.pauses),
      stop: c.stop ? { ...(c.stop as unknown as SlaClock['stop'] & object), at: new Date(c.stop.at) } : null,
    })),
  };
}

/** A request claimed by the scanner: its locked state, facts and the thresholds published so far (per kind). */
export interface ClaimedRequest {
  requestId: string;
  state: RequestSlaState;
  facts: Pick<RequestFacts, 'customerId' | 'productId' | 'productGroupId' | 'teamId'>;
  published: Map<string, number[]>;
}

/** A threshold a scan found reached, with the timeline entry it gets if it is recorded now. */
export interface ScanReached {
  requestId: string;
  kind: string;
  threshold: number;
  reachedAt: Date;
  entryKind: string;
  note: string;
}

/** `requestId/kind:threshold`, the threshold at sla_warning's precision. */
export const scanKey = (requestId: string, kind: string, threshold: number) =>
  `${requestId}/${thresholdKey(kind, threshold)}`;

export interface ClockRow {
  kind: string;
  state: ClockState;
  unit: string | null;
  budgetMs: number | null;
  dueAt: Date | null;
  /** When the scanner must look at this clock next (next warning threshold or the breach). */
  nextCheckAt: Date | null;
  nextThreshold: number | null;
}

const CLOCK_ROW_COLUMNS =
  'request_id uuid, kind text, state text, unit text, budget_ms bigint, due_at timestamptz, next_check_at timestamptz, next_threshold real';
const STATE_ROW_COLUMNS =
  'request_id uuid, customer_id text, product_id text, product_group_id text, team_id text, type text, priority text, version integer, updated_at timestamptz, registered_at timestamptz, state jsonb';
const clockRowOf = (requestId: string, c: ClockRow) => ({
  request_id: requestId,
  kind: c.kind,
  state: c.state,
  unit: c.unit,
  budget_ms: c.budgetMs,
  due_at: c.dueAt,
  next_check_at: c.nextCheckAt,
  next_threshold: c.nextThreshold,
});
const UPSERT_CLOCK_ROWS = `INSERT INTO sla_clock (request_id, kind, state, unit, budget_ms, due_at, next_check_at, next_threshold)
       SELECT request_id, kind, state, unit, budget_ms, due_at, next_check_at, next_threshold`;
const ON_CLOCK_CONFLICT = `ON CONFLICT (request_id, kind) DO UPDATE SET state = EXCLUDED.state, unit = EXCLUDED.unit, budget_ms = EXCLUDED.budget_ms,
         due_at = EXCLUDED.due_at, next_check_at = EXCLUDED.next_check_at, next_threshold = EXCLUDED.next_threshold`;

/** The SLA state of requests: one jsonb document per request plus a row per clock. */
export class SlaStateRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Reads and locks requests' states for the rest of the transaction (in id order, so two lockers never deadlock). */
  async lockMany(requestIds: readonly string[]): Promise<Map<string, RequestSlaState>> {
    const states = new Map<string, RequestSlaState>();
    if (requestIds.length === 0) return states;
    const rows: { request_id: string; state: Record<string, unknown> }[] = await this.manager.query(
      `SELECT request_id, state FROM request_sla_state WHERE request_id = ANY($1::uuid[]) ORDER BY request_id FOR UPDATE`,
      [[...requestIds]],
    );
    for (const row of rows) states.set(row.request_id, revive(row.state));
    return states;
  }

  /**
   * Saves requests' states and their clock rows, one statement for any number of requests (each
   * at most once). The states' documents travel as one JSON array beside the column arrays
   * (`rowSet`'s jsonb column).
   */
  async saveMany(
    saves: readonly { state: RequestSlaState; facts: RequestFacts; clocks: ClockRow[]; now: Date }[],
  ): Promise<void> {
    if (saves.length === 0) return;
    const states = rowSet(
      STATE_ROW_COLUMNS,
      saves.map(({ state, facts, now }) => ({
        request_id: state.requestId,
        customer_id: facts.customerId,
        product_id: facts.productId,
        product_group_id: facts.productGroupId,
        team_id: facts.teamId,
        type: state.type,
        priority: state.priority,
        version: state.version,
        updated_at: now,
        registered_at: state.registeredAt,
        state,
      })),
    );
    const clocks = rowSet(
      CLOCK_ROW_COLUMNS,
      saves.flatMap(({ state, clocks }) => clocks.map((clock) => clockRowOf(state.requestId, clock))),
      states.params.length,
    );
    // The clock rows reference the states: the foreign key is checked at the statement's end.
    await this.manager.query(
      `WITH states AS (
         INSERT INTO request_sla_state (request_id, customer_id, product_id, product_group_id, team_id, type, priority, version, state, updated_at, registered_at)
         SELECT request_id, customer_id, product_id, product_group_id, team_id, type, priority, version, state, updated_at, registered_at
           FROM ${states.sql}
         ON CONFLICT (request_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id, product_group_id = EXCLUDED.product_group_id,
           team_id = EXCLUDED.team_id, type = EXCLUDED.type, priority = EXCLUDED.priority, version = EXCLUDED.version, state = EXCLUDED.state,
           updated_at = EXCLUDED.updated_at, registered_at = EXCLUDED.registered_at
       )
       ${UPSERT_CLOCK_ROWS} FROM ${clocks.sql} ${ON_CLOCK_CONFLICT}`,
      [...states.params, ...clocks.params],
    );
  }

  /** A recalculated state (new agreement version): the document and its clock rows; the request facts stay. */
  async saveRecalculated(state: RequestSlaState, clocks: ClockRow[], now: Date): Promise<void> {
    await this.manager.query(`UPDATE request_sla_state SET state = $2::jsonb, updated_at = $3 WHERE request_id = $1`, [
      state.requestId,
      JSON.stringify(state),
      now,
    ]);
    await this.saveClockRows(clocks.map((clock) => ({ requestId: state.requestId, ...clock })));
  }

  /** Clock rows of any number of requests in one statement. */
  private async saveClockRows(clocks: (ClockRow & { requestId: string })[]): Promise<void> {
    if (clocks.length === 0) return;
    const rows = rowSet(
      CLOCK_ROW_COLUMNS,
      clocks.map((c) => clockRowOf(c.requestId, c)),
    );
    await this.manager.query(`${UPSERT_CLOCK_ROWS} FROM ${rows.sql} ${ON_CLOCK_CONFLICT}`, rows.params);
  }

  /** Thresholds already published, per request and target kind (1 = the breach), in one query. */
  async publishedThresholdsOf(requestIds: readonly string[]): Promise<Map<string, Map<string, number[]>>> {
    const byRequest = new Map<string, Map<string, number[]>>();
    if (requestIds.length === 0) return byRequest;
    const rows: { request_id: string; kind: string; threshold: number }[] = await this.manager.query(
      `SELECT request_id, kind, threshold FROM sla_warning WHERE request_id = ANY($1::uuid[])`,
      [[...requestIds]],
    );
    for (const row of rows) {
      const byKind = byRequest.get(row.request_id) ?? new Map<string, number[]>();
      byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), Number(row.threshold)]);
      byRequest.set(row.request_id, byKind);
    }
    return byRequest;
  }

  /**
   * The scanner's claim, one statement: the requests of the `limit` clocks due first (the
   * indexed scan), their states locked unless another replica holds them (SKIP LOCKED, in
   * id order), each with its facts and the thresholds already published. The published
   * list is read at the statement's start: a replica committing a threshold in between is
   * caught by `recordScan`'s ON CONFLICT (the once-only guarantee is sla_warning's key).
   */
  async claimDue(now: Date, limit: number): Promise<ClaimedRequest[]> {
    const rows: {
      request_id: string;
      state: Record<string, unknown>;
      customer_id: string;
      product_id: string | null;
      product_group_id: string | null;
      team_id: string | null;
      published: { kind: string; threshold: number }[];
    }[] = await this.manager.query(
      `WITH due AS (
         SELECT DISTINCT request_id FROM (
           SELECT request_id FROM sla_clock WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2
         ) d
       ), claimed AS (
         SELECT s.request_id, s.state, s.customer_id, s.product_id, s.product_group_id, s.team_id
           FROM request_sla_state s
          WHERE s.request_id IN (SELECT request_id FROM due)
          ORDER BY s.request_id
            FOR UPDATE SKIP LOCKED
       )
       SELECT c.*,
              COALESCE((SELECT json_agg(json_build_object('kind', w.kind, 'threshold', w.threshold))
                          FROM sla_warning w WHERE w.request_id = c.request_id), '[]'::json) AS published
         FROM claimed c
        ORDER BY c.request_id`,
      [now, limit],
    );
    return rows.map((r) => {
      const published = new Map<string, number[]>();
      for (const p of r.published) published.set(p.kind, [...(published.get(p.kind) ?? []), Number(p.threshold)]);
      return {
        requestId: r.request_id,
        state: revive(r.state),
        facts: {
          customerId: r.customer_id,
          productId: r.product_id,
          productGroupId: r.product_group_id,
          teamId: r.team_id,
        },
        published,
      };
    });
  }

  /**
   * The scanner's write, one statement for every claimed request: records the reached
   * thresholds in sla_warning (those recorded before are skipped: another replica, a retry),
   * adds a timeline entry and inserts the outbox row for each one recorded now (in the given
   * order), and sets the clocks' state and next check (a clock whose state and next check stay
   * as they were is not written: a claimed request's clocks that were not due, which would
   * otherwise cost a row version and an entry in each of sla_clock's indexes). `events` are the staged outbox rows
   * (`Transaction.stage`), one per reached threshold in the same order. Returns the
   * thresholds recorded now (`requestId/kind:threshold`).
   */
  async recordScan(
    reached: readonly ScanReached[],
    events: string,
    checks: readonly (Pick<ClockRow, 'kind' | 'state' | 'nextCheckAt' | 'nextThreshold'> & { requestId: string })[],
    now: Date,
  ): Promise<Set<string>> {
    if (reached.length === 0 && checks.length === 0) return new Set();
    const rows: { request_id: string; kind: string; threshold: number }[] = await this.manager.query(
      `WITH reached AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::real[], $4::timestamptz[], $5::text[], $6::text[])
                  WITH ORDINALITY AS u(request_id, kind, threshold, reached_at, entry_kind, note, ord)
       ), recorded AS (
         INSERT INTO sla_warning (request_id, kind, threshold, reached_at, published_at)
         SELECT request_id, kind, threshold, reached_at, $7 FROM reached ORDER BY ord
         ON CONFLICT DO NOTHING RETURNING request_id, kind, threshold
       ), recorded_reached AS (
         SELECT r.* FROM reached r JOIN recorded w ON w.request_id = r.request_id AND w.kind = r.kind AND w.threshold = r.threshold
       ), timeline AS (
         INSERT INTO sla_timeline_entry (request_id, at, kind, note)
         SELECT request_id, reached_at, entry_kind, note FROM recorded_reached ORDER BY ord
       ), events AS (
         ${outboxInsert('$13', 'JOIN recorded_reached k ON k.ord = r.ord')}
       ), clocks AS (
         UPDATE sla_clock c SET state = u.state, next_check_at = u.next_check_at, next_threshold = u.next_threshold
           FROM unnest($8::uuid[], $9::text[], $10::text[], $11::timestamptz[], $12::real[])
                AS u(request_id, kind, state, next_check_at, next_threshold)
          WHERE c.request_id = u.request_id AND c.kind = u.kind
            AND (c.state, c.next_check_at, c.next_threshold) IS DISTINCT FROM (u.state, u.next_check_at, u.next_threshold)
       )
       SELECT request_id, kind, threshold FROM recorded`,
      [
        reached.map((r) => r.requestId),
        reached.map((r) => r.kind),
        reached.map((r) => r.threshold),
        // Instants as ISO strings: node-postgres formats each Date of an array in local time
        // with padding, a few hundred per scan.
        reached.map((r) => r.reachedAt.toISOString()),
        reached.map((r) => r.entryKind),
        reached.map((r) => r.note),
        now,
        checks.map((c) => c.requestId),
        checks.map((c) => c.kind),
        checks.map((c) => c.state),
        checks.map((c) => c.nextCheckAt?.toISOString() ?? null),
        checks.map((c) => c.nextThreshold),
        events,
      ],
    );
    return new Set(rows.map((r) => scanKey(r.request_id, r.kind, Number(r.threshold))));
  }

  async findByRequestIds(ids: readonly string[]): Promise<RequestSlaState[]> {
    if (ids.length === 0) return [];
    const rows: { state: Record<string, unknown> }[] = await this.manager.query(
      `SELECT state FROM request_sla_state WHERE request_id = ANY($1::uuid[])`,
      [[...ids]],
    );
    return rows.map((r) => revive(r.state));
  }
}
