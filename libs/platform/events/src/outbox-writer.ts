import { randomUUID } from 'node:crypto';
import {
  OutcomeUnknownError,
  RolledBackByConnectionLossError,
  classifyInfrastructureFailure,
} from '@servicecenter/platform-errors';
import { traceContextOf, type TraceContext } from '@servicecenter/platform-telemetry';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventContract, PayloadOf } from '@servicecenter/contracts';
import type { EventEnvelope } from '@servicecenter/contracts';
import { directHandOverOf, outboxStateOf, type CommittedRow } from './hand-over';

export interface NewEvent<C extends EventContract = EventContract> {
  contract: C;
  /** Aggregate id: CloudEvents subject and Kafka key. */
  subject: string;
  data: PayloadOf<C>;
}

/** Builds a NewEvent with the payload type checked against the contract. */
export const event = <C extends EventContract>(contract: C, subject: string, data: PayloadOf<C>): NewEvent<C> => ({
  contract,
  subject,
  data,
});

export interface EventMeta {
  actor?: string;
  correlationId?: string;
  causationId?: string;
  /**
   * The trace the events continue (a consumer's handling of their cause); the active trace
   * context when absent. Empty when tracing is off.
   */
  trace?: TraceContext;
}

export type Clock = () => Date;

/** The channel a committed outbox insert notifies when OUTBOX_NOTIFY is on (docs/performance.md). */
export const OUTBOX_CHANNEL = 'servicecenter_outbox';

/** Writes events into the outbox table with the caller's transaction. */
export class OutboxWriter {
  constructor(
    /** CloudEvents `source`, e.g. `/servicecenter/requests`. */
    readonly source: string,
    private readonly now: Clock = () => new Date(),
    /**
     * NOTIFY `OUTBOX_CHANNEL` with every insert: PostgreSQL delivers it when the transaction
     * commits, so relays in other processes (LISTEN) claim at once instead of at their next
     * poll. Off by default: the relay in the writer's own process is woken after the commit
     * anyway, and a notifying commit takes a database-wide lock for the notification queue.
     */
    private readonly notify = false,
  ) {}

  async append(manager: EntityManager, events: NewEvent[], meta: EventMeta = {}): Promise<CommittedRow[] | undefined> {
    return this.appendAll(manager, [{ events, meta }]);
  }

  /**
   * Several groups of events, each with its own meta, in one insert (in order: `seq` follows
   * the order given). The rows travel as one JSON parameter: a multi-row VALUES insert through
   * TypeORM's query builder cost a bind parameter per column and row (thousands for a scan's
   * batch) and its escaping, the better part of a large batch's insert.
   *
   * When a relay of this process takes committed rows directly (in process), the same
   * statement returns each row's `seq` and whether its aggregate had an earlier unpublished row
   * not yet queued for the consumers: the rows as built, for `handOverCommitted` once the
   * transaction committed. Otherwise undefined: the relay claims them.
   */
  async appendAll(manager: EntityManager, groups: EventGroup[]): Promise<CommittedRow[] | undefined> {
    const { json, rows } = this.build(groups);
    if (rows.length === 0) return undefined;
    if (!directHandOverOf(manager.connection)) {
      await this.insert(manager, json);
      return undefined;
    }
    const inFlight = [...outboxStateOf(manager.connection).inFlight];
    const inserted = (await manager.query(checkedOutboxInsert, [json, inFlight])) as InsertedRow[];
    await this.notifyCommit(manager);
    return committedOf(rows, inserted);
  }

  /** Inserts rows `build` made (the JSON), without reading anything back. */
  async insert(manager: EntityManager, json: string): Promise<void> {
    await manager.query(outboxInsert('$1'), [json]);
    await this.notifyCommit(manager);
  }

  /**
   * The outbox rows of events as the one JSON parameter `outboxInsert` reads (an array, one
   * element per event in the order given), each payload checked against its contract: for
   * `appendAll`, and for a statement of the unit of work that inserts them itself
   * (`Transaction.stage`).
   */
  rows(groups: EventGroup[]): { json: string; count: number } {
    const { json, rows } = this.build(groups);
    return { json, count: rows.length };
  }

  /**
   * The rows of events as `rows` makes them, with the envelopes built (for a direct hand-over).
   * Each element of the JSON carries the row's columns: the envelope's attributes as one JSON
   * object and its data as another, which the insert stores as the text written here
   * (`json`, not `jsonb`: nothing parses them into a tree), so the relay hands the data's
   * text to Kafka unchanged as the message body (docs/performance.md change 42).
   */
  build(groups: EventGroup[]): { json: string; rows: OutboxInsert[] } {
    const time = this.now().toISOString();
    const rows: OutboxInsert[] = [];
    const stored: StoredRow[] = [];
    for (const { events, meta = {} } of groups) {
      if (events.length === 0) continue;
      const trace = meta.trace ?? traceContextOf();
      for (const e of events) {
        // A payload that breaks its own contract is a programming error: fail the transaction.
        const data = e.contract.schema.parse(e.data);
        // Stored as JSON text in place: an object (every contract's payload), never a bare value.
        if (typeof data !== 'object' || data === null)
          throw new Error(`${e.contract.type}: the payload is not an object`);
        const attributes: Omit<EventEnvelope, 'sequence' | 'data'> = {
          specversion: '1.0',
          id: randomUUID(),
          source: this.source,
          type: e.contract.type,
          time,
          subject: e.subject,
          datacontenttype: 'application/json',
        };
        // Absent fields stay absent (not undefined): the envelope as a consumer reads it back.
        if (meta.correlationId !== undefined) attributes.correlationid = meta.correlationId;
        if (meta.causationId !== undefined) attributes.causationid = meta.causationId;
        if (meta.actor !== undefined) attributes.actor = meta.actor;
        if (trace.traceparent !== undefined) attributes.traceparent = trace.traceparent;
        if (trace.tracestate !== undefined) attributes.tracestate = trace.tracestate;
        stored.push({
          id: attributes.id,
          topic: e.contract.topic,
          key: e.subject,
          type: e.contract.type,
          attributes,
          data,
        });
        rows.push({ topic: e.contract.topic, envelope: attributes as Omit<EventEnvelope, 'sequence'> });
      }
    }
    if (rows.length === 0) return { json: '[]', rows };
    const json = JSON.stringify(stored);
    // The envelopes of a direct hand-over: the attributes, then the data (as a consumer reads an
    // event back from the wire), completed after the JSON was made without it.
    for (let i = 0; i < rows.length; i++) rows[i].envelope.data = stored[i].data;
    return { json, rows };
  }

  /** NOTIFY `OUTBOX_CHANNEL` (when on) for outbox rows this transaction inserted. */
  async notifyCommit(manager: EntityManager): Promise<void> {
    if (this.notify) await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}

/** Events with the meta they share. */
export interface EventGroup {
  events: NewEvent[];
  meta?: EventMeta;
}

/**
 * The outbox insert of the rows `OutboxWriter.rows` built, passed as the parameter `param`
 * (`$1`), in their order (`seq` follows it): the one place that maps them to the outbox's
 * columns. The parameter is read as `json` and its rows with `json_to_recordset`, which hands
 * out the attributes and the data objects as the very text written (no `jsonb` tree built,
 * none printed again by the relay). A statement that inserts staged rows itself (a
 * data-modifying CTE) narrows them with `join`: SQL joined to `r`, the rows with their 1-based
 * position `r.ord`, e.g. `JOIN kept k ON k.ord = r.ord` to insert only the rows its other
 * parts decided.
 */
export function outboxInsert(param: string, join = ''): string {
  return `INSERT INTO outbox (id, topic, message_key, event_type, attributes, data)
       SELECT r.id, r.topic, r.key, r.type, r.attributes, r.data
         FROM ROWS FROM (json_to_recordset(${param}::json)
                AS (id uuid, topic text, key text, type text, attributes text, data text))
              WITH ORDINALITY AS r(id, topic, key, type, attributes, data, ord) ${join}
        ORDER BY r.ord`;
}

/** An element of the outbox insert's JSON: the row's columns. */
interface StoredRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  attributes: Omit<EventEnvelope, 'sequence' | 'data'>;
  data: unknown;
}

/**
 * `outboxInsert` of `$1` returning each row's seq and id, and `direct`: no earlier unpublished
 * row of its aggregate exists that is not in flight (`$2`, queued for the consumers already).
 * The check reads the statement's snapshot, so the rows of this insert are not among the
 * earlier ones (they go in order with it); rows of earlier statements of the transaction are.
 * A row committed by another transaction after this statement began cannot be an earlier row
 * of the same aggregate as long as writers lock the aggregate they change (the relay's claim
 * rests on the same).
 */
const checkedOutboxInsert = `WITH inserted AS (${outboxInsert('$1')}
       RETURNING seq, id, message_key)
     SELECT i.seq::text AS seq, i.id::text AS id,
            NOT EXISTS (SELECT 1 FROM outbox_pending p
                         WHERE p.message_key = i.message_key
                           AND p.seq < i.seq
                           AND NOT (p.seq = ANY($2::bigint[]))) AS direct
       FROM inserted i`;

interface InsertedRow {
  seq: string;
  id: string;
  direct: boolean;
}

/** The built rows that `inserted` names (by event id), in seq order, with their seq and `direct`. */
function committedOf(rows: OutboxInsert[], inserted: InsertedRow[]): CommittedRow[] {
  const byId = new Map(rows.map((r) => [r.envelope.id, r]));
  const committed: CommittedRow[] = [];
  for (const { seq, id, direct } of inserted) {
    const row = byId.get(id);
    if (!row) throw new Error(`the outbox returned event ${id}, which this transaction did not build`);
    committed.push({ seq: String(seq), topic: row.topic, key: row.envelope.subject, envelope: row.envelope, direct });
  }
  return committed;
}

/** An outbox row as `appendAll` sends it: the other columns are the envelope's fields or defaults. */
export interface OutboxInsert {
  topic: string;
  envelope: Omit<EventEnvelope, 'sequence'>;
}

export interface Transaction {
  manager: EntityManager;
  /** Stages events; they commit (or roll back) with the transaction. */
  publish(...events: NewEvent[]): void;
  /**
   * Stages events with their own meta (over the unit of work's): a set-based unit of work
   * (the SLA scan of many requests) keeps each aggregate's correlation id. All staged events
   * go to the outbox in one multi-row insert, in the order they were staged.
   */
  publishAs(meta: EventMeta, ...events: NewEvent[]): void;
  /**
   * Builds the outbox rows of events that a statement of the work inserts itself, with
   * `outboxInsert` over the returned parameter (as a data-modifying CTE: one round trip
   * fewer, and the statement can keep only the rows its other parts decided, e.g. the SLA
   * scan's thresholds it could record). Each group's meta goes over the unit of work's, as
   * with `publishAs`. The relay is woken after the commit as for published events. The rows
   * take their place (`seq`) when the statement runs: before the events of `publish` and
   * `publishAs`, which go in when the work is done.
   */
  stage(groups: EventGroup[]): string;
}

/**
 * Runs around every unit of work of a service, inside its transaction: it may add statements
 * of its own (committed or rolled back with the change) or answer without running the work.
 * The idempotency keys of the GraphQL mutations are one (libs/platform/service).
 */
export interface UnitOfWorkInterceptor {
  around<T>(manager: EntityManager, proceed: () => Promise<T>): Promise<T>;
}

/**
 * After a commit that wrote outbox rows: the rows the writer returned go straight to the
 * relay of this process (in process), and `wake` (the relay's) runs when anything is left for
 * its claim: rows a statement inserted itself, rows that may not overtake earlier ones of
 * their aggregate, or no relay taking rows directly.
 */
export function afterOutboxCommit(
  dataSource: DataSource,
  committed: CommittedRow[] | undefined,
  leftForRelay: boolean,
  wake: () => void,
): void {
  const direct = committed && directHandOverOf(dataSource);
  const allHandedOver = direct ? direct.handOverCommitted(committed) : false;
  if (leftForRelay || !allHandedOver) wake();
}

/**
 * A state change and its events in one transaction. The events the work published go to the
 * consumers of this process right after the commit (in process, when their aggregates have
 * nothing earlier waiting), and the relay is woken for the rest, so events leave at once
 * instead of at the next poll.
 *
 * A lost database connection is told apart by when it happened: before the COMMIT was sent
 * the server rolled the transaction back (RolledBackByConnectionLossError, safe to retry);
 * while the COMMIT was under way nobody knows whether it committed (OutcomeUnknownError).
 */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly afterCommit: () => void = () => undefined,
    private readonly interceptor?: UnitOfWorkInterceptor,
  ) {}

  async run<T>(meta: EventMeta, work: (tx: Transaction) => Promise<T>): Promise<T> {
    let staged = 0;
    let committing = false;
    let committed: CommittedRow[] | undefined;
    let leftForRelay = false;
    let result: T;
    try {
      result = await this.dataSource.transaction(async (manager) => {
        const pending: { events: NewEvent[]; meta: EventMeta }[] = [];
        let byStatement = 0;
        const proceed = () =>
          work({
            manager,
            publish: (...events) => void pending.push({ events, meta }),
            publishAs: (own, ...events) => void pending.push({ events, meta: { ...meta, ...own } }),
            stage: (groups) => {
              const { json, count } = this.outbox.rows(
                groups.map((g) => ({ events: g.events, meta: { ...meta, ...g.meta } })),
              );
              byStatement += count;
              return json;
            },
          });
        const value = this.interceptor ? await this.interceptor.around(manager, proceed) : await proceed();
        const published = pending.reduce((n, g) => n + g.events.length, 0);
        if (byStatement === 0) {
          if (published > 0) committed = await this.outbox.appendAll(manager, pending);
          leftForRelay = published > 0 && !committed;
        } else {
          // Rows a statement inserted itself (the SLA scan's, hundreds at a time) go through the
          // relay's claim, and with them the work's other rows, which may follow them per
          // aggregate: finding them again for a direct hand-over cost the scan a statement of
          // ~15–20 ms (docs/performance.md change 28), the claim is cheaper.
          if (published > 0) await this.outbox.insert(manager, this.outbox.rows(pending).json);
          else await this.outbox.notifyCommit(manager);
          leftForRelay = true;
        }
        staged = published + byStatement;
        committing = true;
        return value;
      });
    } catch (error) {
      if (classifyInfrastructureFailure(error) !== 'connection-lost') throw error;
      if (!committing) throw new RolledBackByConnectionLossError(error);
      throw new OutcomeUnknownError('The database connection was lost while the transaction was committing', error);
    }
    if (staged > 0) afterOutboxCommit(this.dataSource, committed, leftForRelay, this.afterCommit);
    return result;
  }
}
