import { queryRows } from '@servicecenter/platform-database';
import { earlierInstant, laterInstant } from '@servicecenter/platform-events';
import type { EntityManager } from 'typeorm';
import type { RequestFacts } from '@servicecenter/contracts';
import type { Ask } from '../domain/ask';
import type { Escalation, EscalationStep, Priority, RequestView } from '../domain/escalation';
import type { UrgentCall } from '../domain/urgent-call';

type Row = Record<string, unknown>;

/** The next number of the year from a per-year counter table, counted in the database (concurrent openings never share one). */
export async function nextYearSequence(
  manager: EntityManager,
  counterTable: 'escalation_number_counter' | 'disruption_number_counter',
  year: number,
): Promise<number> {
  const rows = (await manager.query(
    `INSERT INTO ${counterTable} (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = ${counterTable}.last + 1 RETURNING last`,
    [year],
  )) as { last: number }[];
  return Number(rows[0].last);
}
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toRequest = (r: Row): RequestView => ({
  requestId: r.request_id as string,
  number: r.number as string,
  type: r.type as string,
  customerId: r.customer_id as string,
  productId: str(r.product_id),
  productGroupId: str(r.product_group_id),
  teamId: str(r.team_id),
  requestedPriority: str(r.requested_priority) as Priority | null,
  priority: str(r.priority) as Priority | null,
  status: r.status as string,
  lastPublicUpdateAt: date(r.last_public_update_at),
  updatedAt: new Date(r.updated_at as string),
  version: Number(r.version),
});

const toAsk = (r: Row): Ask => ({
  id: r.id as string,
  kind: r.kind as Ask['kind'],
  status: r.status as Ask['status'],
  requestId: r.request_id as string,
  requestNumber: r.request_number as string,
  escalationId: str(r.escalation_id),
  priority: str(r.priority) as Priority | null,
  reason: str(r.reason),
  question: str(r.question),
  askedBy: r.asked_by as string,
  askedAt: new Date(r.asked_at as string),
  decidedBy: str(r.decided_by),
  decidedAt: date(r.decided_at),
  decisionReason: str(r.decision_reason),
  answer: str(r.answer),
  tookEffectAt: date(r.took_effect_at),
});

const toCall = (r: Row): UrgentCall => ({
  id: r.id as string,
  requestId: r.request_id as string,
  requestNumber: r.request_number as string,
  escalationId: str(r.escalation_id),
  customerContact: r.customer_contact as string,
  summary: r.summary as string,
  assessedImpact: r.assessed_impact as Priority,
  priorityAtCall: str(r.priority_at_call) as Priority | null,
  impactHigherThanPriority: Boolean(r.impact_higher_than_priority),
  loggedBy: r.logged_by as string,
  loggedAt: new Date(r.logged_at as string),
});

export interface EscalationFilter {
  status?: string | null;
  customerId?: string | null;
  requestId?: string | null;
}

/** A visibility condition built by the caller from the graph's rule, with positional parameters from `firstParam`. */
export type ScopeSql = (firstParam: number) => { sql: string; params: unknown[] };

/** Keyset position of the escalations list (newest first). */
export type EscalationCursor = [string, string];

/** The request read model: what request events told this service. */
export class RequestViewRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<RequestView[]> {
    if (ids.length === 0) return [];
    return (
      (await this.manager.query(`SELECT * FROM request_view WHERE request_id = ANY($1::uuid[])`, [ids])) as Row[]
    ).map(toRequest);
  }

  async findByNumbers(numbers: readonly string[]): Promise<RequestView[]> {
    if (numbers.length === 0) return [];
    return (
      (await this.manager.query(`SELECT * FROM request_view WHERE number = ANY($1::text[])`, [numbers])) as Row[]
    ).map(toRequest);
  }

  /** The stored version and status of these requests, locked as the facts upsert locks them (FOR NO KEY UPDATE) for the rest of the transaction. */
  async lockFacts(ids: readonly string[]): Promise<Map<string, { version: number; status: string }>> {
    const facts = new Map<string, { version: number; status: string }>();
    if (ids.length === 0) return facts;
    const rows = (await this.manager.query(
      `SELECT request_id, version, status FROM request_view WHERE request_id = ANY($1::uuid[]) ORDER BY request_id FOR NO KEY UPDATE`,
      [ids],
    )) as { request_id: string; version: number; status: string }[];
    for (const r of rows) facts.set(r.request_id, { version: Number(r.version), status: r.status });
    return facts;
  }

  /**
   * The facts of a set of request events (any number per request, in delivery order), in one
   * statement: per request the newest version of the set (the first of equal ones) replaces
   * the stored facts only if it is newer (an older event arriving late changes nothing); the
   * registration time is the earliest seen (events may arrive out of order); the latest public
   * Service Center reply (`publicUpdateAt`) is kept whatever the version.
   */
  async applyFacts(
    events: readonly { facts: RequestFacts & { registeredAt?: unknown }; publicUpdateAt: string | null }[],
  ): Promise<void> {
    if (events.length === 0) return;
    // One row per request (PostgreSQL parses the row set's arrays per element: a set's 200
    // events cost it several times what its 15 or so requests do): the newest version's facts
    // (the first of equal ones), the earliest registration and the latest public update of the
    // request's events.
    const perRequest = new Map<
      string,
      { facts: RequestFacts; registeredAt: string | null; publicUpdateAt: string | null }
    >();
    for (const { facts: f, publicUpdateAt } of events) {
      const registeredAt = typeof f.registeredAt === 'string' ? f.registeredAt : f.occurredAt;
      // uuid equality as PostgreSQL's (the contract takes either case).
      const key = f.requestId.toLowerCase();
      const kept = perRequest.get(key);
      if (!kept) {
        perRequest.set(key, { facts: f, registeredAt, publicUpdateAt });
        continue;
      }
      if (f.version > kept.facts.version) kept.facts = f;
      kept.registeredAt = earlierInstant(kept.registeredAt, registeredAt);
      kept.publicUpdateAt = laterInstant(kept.publicUpdateAt, publicUpdateAt);
    }
    const rows = [...perRequest.values()].map(({ facts: f, registeredAt, publicUpdateAt }) => ({
      request_id: f.requestId,
      number: f.number,
      type: f.type,
      customer_id: f.customerId,
      product_id: f.productId,
      product_group_id: f.productGroupId,
      team_id: f.teamId,
      requested_priority: f.requestedPriority,
      priority: f.priority,
      status: f.status,
      updated_at: f.occurredAt,
      version: f.version,
      registered_at: registeredAt,
      public_update_at: publicUpdateAt,
    }));
    // The facts only from a newer version; the registration time the earliest seen whatever the
    // version (LEAST ignores a NULL); the latest public update likewise (GREATEST).
    const newer = 'request_view.version < EXCLUDED.version';
    const columns = [
      'number',
      'type',
      'customer_id',
      'product_id',
      'product_group_id',
      'team_id',
      'requested_priority',
      'priority',
      'status',
      'updated_at',
      'version',
    ];
    await queryRows(
      this.manager,
      'request_id uuid, number text, type text, customer_id text, product_id text, product_group_id text, team_id text, requested_priority text, priority text, status text, updated_at timestamptz, version integer, registered_at timestamptz, public_update_at timestamptz',
      rows,
      (from) => `INSERT INTO request_view (request_id, ${columns.join(', ')}, registered_at, last_public_update_at)
       SELECT request_id, ${columns.join(', ')}, registered_at, public_update_at
       FROM ${from}
       ORDER BY request_id
       ON CONFLICT (request_id) DO UPDATE SET ${columns
         .map((c) => `${c} = CASE WHEN ${newer} THEN EXCLUDED.${c} ELSE request_view.${c} END`)
         .join(', ')},
         registered_at = LEAST(request_view.registered_at, EXCLUDED.registered_at),
         last_public_update_at = GREATEST(request_view.last_public_update_at, EXCLUDED.last_public_update_at)
       WHERE ${newer} OR request_view.registered_at IS NULL OR request_view.registered_at > EXCLUDED.registered_at
         OR request_view.last_public_update_at IS DISTINCT FROM GREATEST(request_view.last_public_update_at, EXCLUDED.last_public_update_at)`,
    );
  }
}

export class EscalationRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The next number of the year, counted in the database (concurrent openings never share one). */
  nextSequence(year: number): Promise<number> {
    return nextYearSequence(this.manager, 'escalation_number_counter', year);
  }

  async insert(e: Escalation): Promise<void> {
    await this.manager.query(
      `INSERT INTO escalation (id, number, customer_id, status, reason, business_impact, desired_outcome, opened_by, opened_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.id,
        e.number,
        e.customerId,
        e.status,
        e.reason,
        e.businessImpact,
        e.desiredOutcome,
        e.openedBy,
        e.openedAt,
        e.version,
      ],
    );
    await this.manager.query(
      `INSERT INTO escalation_request (escalation_id, request_id, position) SELECT $1, r.id, r.ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS r(id, ord)`,
      [e.id, e.requestIds],
    );
  }

  /** Saves a changed escalation (new steps appended); `before` is the version that was read. */
  async update(before: Escalation, after: Escalation): Promise<void> {
    await this.manager.query(
      `UPDATE escalation SET status = $2, outcome = $3, closed_by = $4, closed_at = $5, version = $6 WHERE id = $1 AND version = $7`,
      [after.id, after.status, after.outcome, after.closedBy, after.closedAt, after.version, before.version],
    );
    for (let position = before.steps.length; position < after.steps.length; position++) {
      const s = after.steps[position];
      await this.manager.query(
        `INSERT INTO escalation_step (escalation_id, position, step, by, at, note) VALUES ($1, $2, $3, $4, $5, $6)`,
        [after.id, position, s.step, s.by, s.at, s.note],
      );
    }
  }

  /** One escalation, locked for the rest of the transaction when `lock` is set. */
  async findById(id: string, lock = false): Promise<Escalation | null> {
    const rows = (await this.manager.query(`SELECT * FROM escalation WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ])) as Row[];
    return (await this.hydrate(rows))[0] ?? null;
  }

  async findByNumber(number: string): Promise<Escalation | null> {
    const rows = (await this.manager.query(`SELECT * FROM escalation WHERE number = $1`, [number])) as Row[];
    return (await this.hydrate(rows))[0] ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<Escalation[]> {
    if (ids.length === 0) return [];
    return this.hydrate(
      (await this.manager.query(`SELECT * FROM escalation WHERE id = ANY($1::uuid[])`, [ids])) as Row[],
    );
  }

  /** The escalations of each request, newest first. */
  async ofRequests(requestIds: readonly string[]): Promise<{ requestId: string; escalation: Escalation }[]> {
    if (requestIds.length === 0) return [];
    const rows = (await this.manager.query(
      `SELECT er.request_id AS of_request, e.* FROM escalation_request er JOIN escalation e ON e.id = er.escalation_id
       WHERE er.request_id = ANY($1::uuid[]) ORDER BY e.opened_at DESC, e.id DESC`,
      [requestIds],
    )) as Row[];
    const escalations = new Map((await this.hydrate(rows)).map((e) => [e.id, e]));
    return rows.map((r) => ({
      requestId: r.of_request as string,
      escalation: escalations.get(r.id as string) as Escalation,
    }));
  }

  /**
   * A page of escalations the scope covers, newest first; `limit` rows after the cursor, plus
   * the total. The scope is part of the SQL: a filter never widens it.
   */
  async list(
    filter: EscalationFilter,
    scope: ScopeSql,
    limit: number,
    after?: EscalationCursor,
  ): Promise<{ rows: Escalation[]; total: number }> {
    const visible = scope(1);
    const where: string[] = [visible.sql];
    const params: unknown[] = [...visible.params];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('e.status = ?', filter.status);
    if (filter.customerId) add('e.customer_id = ?', filter.customerId);
    if (filter.requestId)
      add(
        'EXISTS (SELECT 1 FROM escalation_request er WHERE er.escalation_id = e.id AND er.request_id = ?::uuid)',
        filter.requestId,
      );
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = (await this.manager.query(
      `SELECT count(*)::int AS count FROM escalation e ${filtered}`,
      params,
    )) as { count: number }[];
    const pageWhere = [...where];
    const pageParams = [...params];
    if (after) {
      pageParams.push(after[0], after[1]);
      pageWhere.push(`(e.opened_at, e.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`);
    }
    pageParams.push(limit);
    const rows = (await this.manager.query(
      `SELECT e.* FROM escalation e ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY e.opened_at DESC, e.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    )) as Row[];
    return { rows: await this.hydrate(rows), total: Number(count) };
  }

  private async hydrate(rows: Row[]): Promise<Escalation[]> {
    const ids = [...new Set(rows.map((r) => r.id as string))];
    if (ids.length === 0) return [];
    const requests = (await this.manager.query(
      `SELECT escalation_id, request_id FROM escalation_request WHERE escalation_id = ANY($1::uuid[]) ORDER BY position`,
      [ids],
    )) as Row[];
    const steps = (await this.manager.query(
      `SELECT * FROM escalation_step WHERE escalation_id = ANY($1::uuid[]) ORDER BY position`,
      [ids],
    )) as Row[];
    const seen = new Map<string, Escalation>();
    for (const r of rows) {
      const id = r.id as string;
      if (seen.has(id)) continue;
      seen.set(id, {
        id,
        number: r.number as string,
        customerId: r.customer_id as string,
        requestIds: requests.filter((x) => x.escalation_id === id).map((x) => x.request_id as string),
        status: r.status as Escalation['status'],
        reason: r.reason as string,
        businessImpact: r.business_impact as string,
        desiredOutcome: r.desired_outcome as string,
        openedBy: r.opened_by as string,
        openedAt: new Date(r.opened_at as string),
        steps: steps
          .filter((s) => s.escalation_id === id)
          .map((s) => ({
            step: s.step as EscalationStep,
            by: s.by as string,
            at: new Date(s.at as string),
            note: s.note as string,
          })),
        outcome: str(r.outcome),
        closedBy: str(r.closed_by),
        closedAt: date(r.closed_at),
        version: Number(r.version),
      });
    }
    return [...seen.values()];
  }
}

export class AskRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(a: Ask): Promise<void> {
    await this.manager.query(
      `INSERT INTO request_ask (id, kind, status, request_id, request_number, escalation_id, priority, reason, question, asked_by, asked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        a.id,
        a.kind,
        a.status,
        a.requestId,
        a.requestNumber,
        a.escalationId,
        a.priority,
        a.reason,
        a.question,
        a.askedBy,
        a.askedAt,
      ],
    );
  }

  async update(a: Ask): Promise<void> {
    await this.manager.query(
      `UPDATE request_ask SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, answer = $6, took_effect_at = $7 WHERE id = $1`,
      [a.id, a.status, a.decidedBy, a.decidedAt, a.decisionReason, a.answer, a.tookEffectAt],
    );
  }

  async findById(id: string, lock = false): Promise<Ask | null> {
    const rows = (await this.manager.query(`SELECT * FROM request_ask WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ])) as Row[];
    return rows[0] ? toAsk(rows[0]) : null;
  }

  /** Asks of requests whose customer the scope (SQL on a `customer_id`) covers, newest first. */
  async list(
    filter: {
      requestId?: string | null;
      escalationId?: string | null;
      status?: string | null;
    },
    scope: ScopeSql,
  ): Promise<Ask[]> {
    const visible = scope(4);
    const rows = (await this.manager.query(
      `SELECT a.* FROM request_ask a JOIN request_view v ON v.request_id = a.request_id
       WHERE ($1::uuid IS NULL OR a.request_id = $1) AND ($2::uuid IS NULL OR a.escalation_id = $2) AND ($3::text IS NULL OR a.status = $3)
         AND ${visible.sql}
       ORDER BY a.asked_at DESC, a.id DESC LIMIT 200`,
      [filter.requestId ?? null, filter.escalationId ?? null, filter.status ?? null, ...visible.params],
    )) as Row[];
    return rows.map(toAsk);
  }

  /** One ask, if the scope covers its request's customer. */
  async findVisible(id: string, scope: ScopeSql): Promise<Ask | null> {
    const visible = scope(2);
    const rows = (await this.manager.query(
      `SELECT a.* FROM request_ask a JOIN request_view v ON v.request_id = a.request_id WHERE a.id = $1 AND ${visible.sql}`,
      [id, ...visible.params],
    )) as Row[];
    return rows[0] ? toAsk(rows[0]) : null;
  }

  /**
   * The request service reported the request prioritised: approved priority asks with that
   * priority, decided before it, took effect then.
   */
  async markTookEffect(prioritised: readonly { requestId: string; priority: string; at: string }[]): Promise<void> {
    if (prioritised.length === 0) return;
    // Any number per request, in delivery order: an ask takes the first that matches it, as one by one.
    await queryRows(
      this.manager,
      'ord integer, request_id uuid, priority text, at timestamptz',
      prioritised.map((p, ord) => ({ ord, request_id: p.requestId, priority: p.priority, at: p.at })),
      (from) => `UPDATE request_ask a SET took_effect_at = m.at
       FROM (SELECT DISTINCT ON (a.id) a.id, u.at FROM request_ask a JOIN ${from}
               ON a.request_id = u.request_id AND a.priority = u.priority AND a.decided_at <= u.at
              WHERE a.kind = 'PRIORITY_CHANGE' AND a.status = 'APPROVED' AND a.took_effect_at IS NULL
              ORDER BY a.id, u.ord) m
       WHERE a.id = m.id`,
    );
  }
}

export class UrgentCallRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(c: UrgentCall): Promise<void> {
    await this.manager.query(
      `INSERT INTO urgent_call (id, request_id, request_number, escalation_id, customer_contact, summary, assessed_impact, priority_at_call, impact_higher_than_priority, logged_by, logged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        c.id,
        c.requestId,
        c.requestNumber,
        c.escalationId,
        c.customerContact,
        c.summary,
        c.assessedImpact,
        c.priorityAtCall,
        c.impactHigherThanPriority,
        c.loggedBy,
        c.loggedAt,
      ],
    );
  }

  async anyOnRequest(requestId: string): Promise<boolean> {
    const rows = (await this.manager.query(`SELECT 1 FROM urgent_call WHERE request_id = $1 LIMIT 1`, [
      requestId,
    ])) as Row[];
    return rows.length > 0;
  }

  /** The urgent calls on a request whose customer the scope (SQL on a `customer_id`) covers, newest first. */
  async ofRequest(requestId: string, scope: ScopeSql): Promise<UrgentCall[]> {
    const visible = scope(2);
    return (
      (await this.manager.query(
        `SELECT c.* FROM urgent_call c JOIN request_view v ON v.request_id = c.request_id
         WHERE c.request_id = $1 AND ${visible.sql} ORDER BY c.logged_at DESC, c.id DESC LIMIT 200`,
        [requestId, ...visible.params],
      )) as Row[]
    ).map(toCall);
  }
}
