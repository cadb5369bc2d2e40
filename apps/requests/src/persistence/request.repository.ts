import { In, type EntityManager, type EntitySchema, type SelectQueryBuilder } from 'typeorm';
import { customerScopeSql, type CustomerScope } from '@servicecenter/platform-auth';
import { liftTimeLimitsForTransaction, queryRows } from '@servicecenter/platform-database';
import { conflict } from '@servicecenter/platform-errors';
import type { Evidence, Request } from '../domain/request';
import type { HistoryEntry, ProductChange, Reply } from '../domain/conversation';
import type { SurveyAnswer, TimeBooking } from '../domain/bookings';
import type {
  ImportedKey,
  ImportedRecords,
  RequestImportStore,
  RequestOrder,
  RequestReader,
  RequestSearch,
  RequestStore,
} from '../domain/ports';
import { RequestEntity, type RequestRow } from './entities/request.entity';
import { HistoryEntity, ProductChangeEntity, ReplyEntity } from './entities/conversation.entity';
import { RequestNumberCounter } from './request-numbers';

const toDomain = (row: RequestRow): Request => ({
  ...row,
  evidence: (row.evidence as (Omit<Evidence, 'addedAt'> & { addedAt: string })[]).map((e) => ({
    ...e,
    addedAt: new Date(e.addedAt),
  })),
  missingInformation: row.missingInformation ?? [],
  waitedMs: Number(row.waitedMs),
});

const toRow = (request: Request): RequestRow => request;

/** Keyset orders: every column in one direction, so a row tuple comparison pages them. */
const ORDERS: Record<
  RequestOrder,
  { columns: string[]; direction: 'ASC' | 'DESC'; position: (r: Request) => unknown[] }
> = {
  REGISTERED_AT_DESC: {
    columns: ['r.registered_at', 'r.id'],
    direction: 'DESC',
    position: (r) => [r.registeredAt.toISOString(), r.id],
  },
  REGISTERED_AT_ASC: {
    columns: ['r.registered_at', 'r.id'],
    direction: 'ASC',
    position: (r) => [r.registeredAt.toISOString(), r.id],
  },
  UPDATED_AT_DESC: {
    columns: ['r.updated_at', 'r.id'],
    direction: 'DESC',
    position: (r) => [r.updatedAt.toISOString(), r.id],
  },
  QUEUE: {
    columns: ['r.priority_rank', 'r.registered_at', 'r.id'],
    direction: 'ASC',
    position: (r) => [
      { HIGH: 1, MEDIUM: 2, LOW: 3 }[r.priority ?? r.requestedPriority],
      r.registeredAt.toISOString(),
      r.id,
    ],
  },
};

let selectedColumns: string[] | undefined;
/** `r.<column> AS "<property>"` for every column of the request entity. */
const rowColumns = (manager: EntityManager): string[] =>
  (selectedColumns ??= manager.connection
    .getMetadata(RequestEntity)
    .columns.map((c) => `r.${c.databaseName} AS "${c.propertyName}"`));

/** Rows <-> domain requests. Resolvers and use cases never see TypeORM rows. */
export class RequestRepository implements RequestStore, RequestReader {
  constructor(private readonly manager: EntityManager) {}

  async insert(request: Request): Promise<void> {
    // why: TypeORM's QueryDeepPartialEntity does not accept the row's unknown[] json column (evidence).
    await this.manager.insert(RequestEntity, toRow(request) as never);
  }

  async lock(id: string): Promise<Request | undefined> {
    const row = await this.manager
      .createQueryBuilder(RequestEntity, 'r')
      .where('r.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? toDomain(row) : undefined;
  }

  async update(request: Request, previousVersion: number): Promise<void> {
    const { id, ...fields } = toRow(request);
    // why: TypeORM's QueryDeepPartialEntity does not accept the row's unknown[] json column (evidence).
    const result = await this.manager.update(RequestEntity, { id, version: previousVersion }, fields as never);
    if (result.affected !== 1)
      throw conflict(`Request ${request.number} was changed by someone else; reload it and try again`, {
        currentVersion: previousVersion,
      });
  }

  async addReply(reply: Reply): Promise<void> {
    await this.manager.insert(ReplyEntity, reply);
  }

  async addHistory(entry: HistoryEntry): Promise<void> {
    // why: TypeORM's QueryDeepPartialEntity does not accept the Record<string, unknown> json column (details).
    await this.manager.insert(HistoryEntity, entry as never);
  }

  async findChange(ref: string): Promise<ProductChange | undefined> {
    return (await this.manager.findOne(ProductChangeEntity, { where: { ref } })) ?? undefined;
  }

  async insertChange(change: ProductChange): Promise<void> {
    // The first link of a change ref creates it; a second first link in flight at the same
    // time (another customer's request, same PD change) finds it made and leaves it as is.
    await this.manager.createQueryBuilder().insert().into(ProductChangeEntity).values(change).orIgnore().execute();
  }

  async customerIdsOfChange(ref: string): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.manager.query(
      `SELECT DISTINCT customer_id FROM request WHERE change_ref = $1`,
      [ref],
    );
    return rows.map((r) => r.customer_id);
  }

  async customerCountOfChange(ref: string): Promise<number> {
    const [row] = await this.manager.query(
      `SELECT count(DISTINCT customer_id)::int AS n FROM request WHERE change_ref = $1`,
      [ref],
    );
    return row.n as number;
  }

  async addBooking(b: TimeBooking): Promise<void> {
    await this.manager.query(
      `INSERT INTO request_time_booking (id, request_id, hours, work_date, booked_by, description, booked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [b.id, b.requestId, b.hours, b.workDate, b.bookedBy, b.description, b.bookedAt],
    );
  }

  async hasSurvey(requestId: string): Promise<boolean> {
    return (await this.manager.query(`SELECT 1 FROM request_survey WHERE request_id = $1`, [requestId])).length > 0;
  }

  async addSurvey(a: SurveyAnswer): Promise<void> {
    await this.manager.query(
      `INSERT INTO request_survey (request_id, score, comment, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5)`,
      [a.requestId, a.score, a.comment, a.answeredBy, a.answeredAt],
    );
  }

  async bookingsOf(requestIds: readonly string[]): Promise<TimeBooking[]> {
    if (requestIds.length === 0) return [];
    const rows: {
      id: string;
      request_id: string;
      hours: string;
      work_date: string;
      booked_by: string;
      description: string | null;
      booked_at: Date;
    }[] = await this.manager.query(
      `SELECT id, request_id, hours, to_char(work_date, 'YYYY-MM-DD') AS work_date, booked_by, description, booked_at
         FROM request_time_booking WHERE request_id = ANY($1) ORDER BY work_date, booked_at`,
      [requestIds],
    );
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      hours: Number(r.hours),
      workDate: r.work_date,
      bookedBy: r.booked_by,
      description: r.description,
      bookedAt: r.booked_at,
    }));
  }

  async surveysOf(requestIds: readonly string[]): Promise<SurveyAnswer[]> {
    if (requestIds.length === 0) return [];
    const rows: {
      request_id: string;
      score: number;
      comment: string | null;
      answered_by: string;
      answered_at: Date;
    }[] = await this.manager.query(
      `SELECT request_id, score, comment, answered_by, answered_at FROM request_survey WHERE request_id = ANY($1)`,
      [requestIds],
    );
    return rows.map((r) => ({
      requestId: r.request_id,
      score: r.score,
      comment: r.comment,
      answeredBy: r.answered_by,
      answeredAt: r.answered_at,
    }));
  }

  async findByIds(ids: readonly string[]): Promise<Request[]> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (valid.length === 0) return [];
    const rows = await this.manager.find(RequestEntity, { where: { id: In(valid) } });
    return rows.map(toDomain);
  }

  /** Whether a request with this id exists (an id that is no uuid never does). */
  async exists(id: string): Promise<boolean> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
    return (await this.manager.exists(RequestEntity, { where: { id } })) ?? false;
  }

  async findByNumber(number: string): Promise<Request | undefined> {
    const row = await this.manager.findOne(RequestEntity, { where: { number: number.trim().toUpperCase() } });
    return row ? toDomain(row) : undefined;
  }

  positionOf(request: Request, order: RequestOrder): unknown[] {
    return ORDERS[order].position(request);
  }

  async search({
    filter,
    order,
    scope,
    limit,
    after,
  }: RequestSearch): Promise<{ rows: Request[]; count: () => Promise<number> }> {
    const qb = this.manager.createQueryBuilder(RequestEntity, 'r');
    applyScope(qb, scope);
    const any = (column: string, name: string, values: readonly string[] | null | undefined) => {
      if (values && values.length > 0) qb.andWhere(`${column} IN (:...${name})`, { [name]: values });
    };
    any('r.status', 'statuses', filter.statuses);
    any('r.type', 'types', filter.types);
    any('COALESCE(r.priority, r.requested_priority)', 'priorities', filter.priorities);
    any('r.product_id', 'productIds', filter.productIds);
    any('r.customer_id', 'customerIds', filter.customerIds);
    any('r.team_id', 'teamIds', filter.teamIds);
    any('r.assignee_id', 'assigneeIds', filter.assigneeIds);
    if (filter.productGroupIds?.length) {
      qb.andWhere('r.product_id IN (SELECT p.id FROM product p WHERE p.product_group_id IN (:...groups))', {
        groups: filter.productGroupIds,
      });
    }
    if (filter.open === true) qb.andWhere(`r.status <> 'CLOSED'`);
    if (filter.open === false) qb.andWhere(`r.status = 'CLOSED'`);
    if (filter.text?.trim())
      qb.andWhere(`r.search @@ websearch_to_tsquery('simple', :text)`, { text: filter.text.trim() });
    // Counted only when a client asks for totalCount: a queue page should not pay for it.
    const counter = qb.clone();
    const { columns, direction } = ORDERS[order];
    if (after) {
      const placeholders = columns.map((_, i) => `:k${i}`).join(', ');
      qb.andWhere(
        `(${columns.join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${placeholders})`,
        Object.fromEntries(after.map((v, i) => [`k${i}`, v])),
      );
    }
    for (const column of columns) qb.addOrderBy(column, direction);
    // A page is read as plain rows in the entity's shape (every column aliased to its property;
    // pg gives timestamptz and jsonb as Date and object): no entity hydrated per row.
    const rows = await qb.select(rowColumns(this.manager)).limit(limit).getRawMany<RequestRow>();
    return { rows: rows.map(toDomain), count: () => counter.getCount() };
  }

  // The conversation and the history of a request page are its longest lists: read as plain rows
  // in the domain's shape (timestamptz and jsonb come back as Date and object from pg), without
  // TypeORM building the statement and hydrating an entity per row (docs/performance.md).
  async repliesOf(requestIds: readonly string[], includeInternal: boolean): Promise<Reply[]> {
    if (requestIds.length === 0) return [];
    return this.manager.query(
      `SELECT id, request_id AS "requestId", author_id AS "authorId", side, visibility, kind, body,
              created_at AS "createdAt"
         FROM request_reply
        WHERE request_id = ANY($1::uuid[])${includeInternal ? '' : ` AND visibility = 'PUBLIC'`}
        ORDER BY seq`,
      [[...requestIds]],
    );
  }

  async historyOf(requestIds: readonly string[]): Promise<HistoryEntry[]> {
    if (requestIds.length === 0) return [];
    return this.manager.query(
      `SELECT id, request_id AS "requestId", action, from_status AS "fromStatus", to_status AS "toStatus",
              actor_id AS "actorId", at, details
         FROM request_history
        WHERE request_id = ANY($1::uuid[])
        ORDER BY seq`,
      [[...requestIds]],
    );
  }

  async changesByRefs(refs: readonly string[]): Promise<ProductChange[]> {
    if (refs.length === 0) return [];
    return this.manager.find(ProductChangeEntity, { where: { ref: In([...refs]) } });
  }

  async requestIdsOfChanges(
    refs: readonly string[],
  ): Promise<{ ref: string; requestId: string; customerId: string }[]> {
    if (refs.length === 0) return [];
    const rows: { ref: string; id: string; customer_id: string }[] = await this.manager.query(
      `SELECT change_ref AS ref, id, customer_id FROM request WHERE change_ref = ANY($1) ORDER BY registered_at`,
      [[...refs]],
    );
    return rows.map((r) => ({ ref: r.ref, requestId: r.id, customerId: r.customer_id }));
  }

  async relationCustomerIds(scope: CustomerScope): Promise<string[]> {
    if (scope.all || (scope.serviceManagerOf === null && scope.customerSuccessManagerOf === null)) return [];
    const relationsOnly: CustomerScope = { ...scope, customerIds: [], handedToProductDevelopment: false };
    const { sql, params } = customerScopeSql(relationsOnly, 'c.id', { table: 'customer', customerColumn: 'id' }, 1);
    const rows: { id: string }[] = await this.manager.query(`SELECT c.id FROM customer c WHERE ${sql}`, params);
    return rows.map((r) => r.id);
  }

  async allOfCustomer(customerId: string): Promise<{ requests: Request[]; replies: Reply[]; history: HistoryEntry[] }> {
    const rows = await this.manager.find(RequestEntity, {
      where: { customerId },
      order: { registeredAt: 'ASC', id: 'ASC' },
    });
    const ids = rows.map((r) => r.id);
    const [replies, history] = await Promise.all([this.repliesOf(ids, false), this.historyOf(ids)]);
    return { requests: rows.map(toDomain), replies, history };
  }
}

function applyScope(qb: SelectQueryBuilder<RequestRow>, scope: RequestSearch['scope']): void {
  if (scope.all) return;
  const parts: string[] = [];
  if (scope.customerIds.length > 0) parts.push('r.customer_id IN (:...scopeCustomers)');
  if (scope.handedOver)
    parts.push(
      `((r.handed_over_at IS NOT NULL AND r.handover_target = 'PRODUCT_DEVELOPMENT') OR r.product_development_asked_at IS NOT NULL)`,
    );
  qb.andWhere(parts.length > 0 ? `(${parts.join(' OR ')})` : 'false', { scopeCustomers: scope.customerIds });
}

/** Rows per multi-row insert: a statement of a few MB at most. */
const CHUNK = 1_000;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * A multi-row insert of domain objects into an entity's table as one json parameter:
 * `json_to_recordset` reads each column from the object's property of the entity's name, so
 * the rows need no mapping and no parameter per value in Node (TypeORM's multi-row insert
 * spent most of an import's write time building and escaping its parameters). Dates become
 * ISO strings in JSON, which PostgreSQL casts to timestamptz; jsonb columns take the nested
 * value. The columns follow the entity (those it does not insert, like `seq`, left out).
 */
function jsonInsert(
  entity: EntitySchema,
  onConflict = '',
): (manager: EntityManager, rows: readonly object[]) => Promise<unknown> {
  const { tableName, columns } = entity.options;
  const list = Object.entries(columns)
    .filter(([, c]) => c && c.insert !== false)
    .map(([property, c]) => {
      if (typeof c?.type !== 'string') throw new Error(`${tableName}.${property}: jsonInsert needs a SQL type name`);
      return { property, column: c.name ?? property, type: c.type };
    });
  const sql = `INSERT INTO ${tableName} (${list.map((c) => c.column).join(', ')})
     SELECT ${list.map((c) => `"${c.property}"`).join(', ')}
       FROM json_to_recordset($1::json) AS r(${list.map((c) => `"${c.property}" ${c.type}`).join(', ')})${onConflict}`;
  return (manager, rows) => manager.query(sql, [JSON.stringify(rows)]);
}

const insertChanges = jsonInsert(ProductChangeEntity, ' ON CONFLICT DO NOTHING');
const insertRequests = jsonInsert(RequestEntity);
const insertReplies = jsonInsert(ReplyEntity);
const insertHistory = jsonInsert(HistoryEntity);

/** The bulk writes of an import of request histories. */
export class RequestImportRepository implements RequestImportStore {
  constructor(private readonly manager: EntityManager) {}

  relationCustomerIds(scope: CustomerScope): Promise<string[]> {
    return new RequestRepository(this.manager).relationCustomerIds(scope);
  }

  liftTimeLimits(): Promise<void> {
    return liftTimeLimitsForTransaction(this.manager);
  }

  reserveNumbers(counts: ReadonlyMap<number, number>): Promise<Map<number, number>> {
    return new RequestNumberCounter(this.manager).reserve(counts);
  }

  /**
   * The keys imported before, after claiming every key of the call for this transaction (an
   * advisory lock per key, taken in one order): a concurrent call with one of the same keys waits
   * here until this one ends, then sees its rows and skips them, instead of failing at the end on
   * request_import's primary key. The read is a statement of its own, after the wait, so it sees
   * what the other call committed.
   */
  async importedKeys(keys: readonly string[]): Promise<Map<string, ImportedKey>> {
    if (keys.length === 0) return new Map();
    await this.manager.query(
      `SELECT pg_advisory_xact_lock(h)
         FROM (SELECT DISTINCT hashtextextended('import:' || k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS claimed`,
      [[...keys]],
    );
    const rows: { import_key: string; request_id: string; continued_request_id: string | null }[] =
      await this.manager.query(
        `SELECT import_key, request_id, continued_request_id FROM request_import WHERE import_key = ANY($1::text[])`,
        [[...keys]],
      );
    return new Map(
      rows.map((r) => [
        r.import_key,
        { importKey: r.import_key, requestId: r.request_id, continuedRequestId: r.continued_request_id },
      ]),
    );
  }

  async insertImported(records: ImportedRecords, keys: readonly ImportedKey[], at: Date): Promise<void> {
    const m = this.manager;
    // Changes first (requests refer to them), then requests, then what refers to requests.
    await insertChunked(records.changes, (chunk) => insertChanges(m, chunk));
    await insertChunked(records.requests, (chunk) => insertRequests(m, chunk.map(toRow)));
    await insertChunked(records.replies, (chunk) => insertReplies(m, chunk));
    await insertChunked(records.history, (chunk) => insertHistory(m, chunk));
    await insertChunked(records.bookings, (chunk) =>
      queryRows(
        m,
        'id uuid, request_id uuid, hours numeric, work_date date, booked_by text, description text, booked_at timestamptz',
        chunk.map((b) => ({
          id: b.id,
          request_id: b.requestId,
          hours: b.hours,
          work_date: b.workDate,
          booked_by: b.bookedBy,
          description: b.description,
          booked_at: b.bookedAt,
        })),
        (from) =>
          `INSERT INTO request_time_booking (id, request_id, hours, work_date, booked_by, description, booked_at) SELECT * FROM ${from}`,
      ),
    );
    await insertChunked(records.surveys, (chunk) =>
      queryRows(
        m,
        'request_id uuid, score integer, comment text, answered_by text, answered_at timestamptz',
        chunk.map((a) => ({
          request_id: a.requestId,
          score: a.score,
          comment: a.comment,
          answered_by: a.answeredBy,
          answered_at: a.answeredAt,
        })),
        (from) =>
          `INSERT INTO request_survey (request_id, score, comment, answered_by, answered_at) SELECT * FROM ${from}`,
      ),
    );
    await insertChunked(keys, (chunk) =>
      queryRows(
        m,
        'import_key text, request_id uuid, continued_request_id uuid, imported_at timestamptz',
        chunk.map((k) => ({
          import_key: k.importKey,
          request_id: k.requestId,
          continued_request_id: k.continuedRequestId,
          imported_at: at,
        })),
        (from) =>
          `INSERT INTO request_import (import_key, request_id, continued_request_id, imported_at) SELECT * FROM ${from}`,
      ),
    );
  }
}
