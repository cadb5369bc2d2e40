import type { EventMeta, NewEvent } from '@servicecenter/platform-events';
import type { DirectoryLookup } from '../directory/domain/directory';
import type { CustomerScope } from '@servicecenter/platform-auth';
import type { ReadScope } from './authorisation';
import type { SurveyAnswer, TimeBooking } from './bookings';
import type { HistoryEntry, ProductChange, Reply } from './conversation';
import type { Priority, Request, RequestStatus, RequestType } from './request';

/** Request persistence as the use cases see it; implemented in persistence/. */
export interface RequestStore {
  insert(request: Request): Promise<void>;
  /** Reads and locks the row for the rest of the transaction. */
  lock(id: string): Promise<Request | undefined>;
  /** Writes `request` (its version already bumped) if the row still has `previousVersion`. */
  update(request: Request, previousVersion: number): Promise<void>;
  addReply(reply: Reply): Promise<void>;
  addHistory(entry: HistoryEntry): Promise<void>;
  /** The history of these requests, oldest first. */
  historyOf(requestIds: readonly string[]): Promise<HistoryEntry[]>;
  findChange(ref: string): Promise<ProductChange | undefined>;
  /** Creates the change unless it exists (the first link of a ref wins, also when two are made at once). */
  insertChange(change: ProductChange): Promise<void>;
  customerCountOfChange(ref: string): Promise<number>;
  /** The customers whose requests are linked to the change. */
  customerIdsOfChange(ref: string): Promise<string[]>;
  addBooking(booking: TimeBooking): Promise<void>;
  hasSurvey(requestId: string): Promise<boolean>;
  addSurvey(answer: SurveyAnswer): Promise<void>;
}

export interface RequestFilter {
  statuses?: RequestStatus[] | null;
  types?: RequestType[] | null;
  priorities?: Priority[] | null;
  productIds?: string[] | null;
  productGroupIds?: string[] | null;
  customerIds?: string[] | null;
  teamIds?: string[] | null;
  assigneeIds?: string[] | null;
  /** Only open (not closed) requests. */
  open?: boolean | null;
  /** Full-text search over number, title and description. */
  text?: string | null;
}

export type RequestOrder = 'REGISTERED_AT_DESC' | 'REGISTERED_AT_ASC' | 'UPDATED_AT_DESC' | 'QUEUE';

export interface RequestSearch {
  filter: RequestFilter;
  order: RequestOrder;
  scope: ReadScope;
  /** Rows to fetch (page size + 1 to know whether a next page exists). */
  limit: number;
  /** Keyset position after which to continue, as given out in cursors. */
  after?: unknown[];
}

export interface RequestReader {
  findByIds(ids: readonly string[]): Promise<Request[]>;
  findByNumber(number: string): Promise<Request | undefined>;
  /** The page, and the total over all pages as a query run only when asked for. */
  search(search: RequestSearch): Promise<{ rows: Request[]; count: () => Promise<number> }>;
  /** The keyset position of a request in an order (what its cursor carries). */
  positionOf(request: Request, order: RequestOrder): unknown[];
  repliesOf(requestIds: readonly string[], includeInternal: boolean): Promise<Reply[]>;
  historyOf(requestIds: readonly string[]): Promise<HistoryEntry[]>;
  changesByRefs(refs: readonly string[]): Promise<ProductChange[]>;
  bookingsOf(requestIds: readonly string[]): Promise<TimeBooking[]>;
  surveysOf(requestIds: readonly string[]): Promise<SurveyAnswer[]>;
  requestIdsOfChanges(refs: readonly string[]): Promise<{ ref: string; requestId: string; customerId: string }[]>;
  /** The customers a scope covers through its relations (service manager of, CSM of): the visibility rule resolved. */
  relationCustomerIds(scope: CustomerScope): Promise<string[]>;
  /** Everything of one customer, for the exit extract. */
  allOfCustomer(customerId: string): Promise<{ requests: Request[]; replies: Reply[]; history: HistoryEntry[] }>;
}

/** Schedules the follow-up of a request waiting for the customer (reminders, auto-close). */
export interface FollowUpTimers {
  schedule(requestId: string, dueAt: Date, payload: FollowUpPayload): Promise<void>;
  cancel(requestId: string): Promise<void>;
}

export interface FollowUpPayload {
  /** Which wait this belongs to (the instant it began); a later wait makes it stale. */
  waitStartedAt: string;
  /** 1..n: the reminder to send; n+1: close with NO_REPLY. */
  step: number;
}

export interface KnowledgeWriter {
  createFromAnswer(fields: {
    title: string;
    body: string;
    productId: string | null;
    sourceRequestId: string;
    createdBy: string;
    now: Date;
  }): Promise<{ id: string }>;
  exists(id: string): Promise<boolean>;
}

/**
 * Request numbers per year, gapless: drawn in the registration's transaction, so a
 * registration that rolls back gives its number back. The year's counter row stays locked
 * until the commit: registrations of the same year take their numbers one after the other,
 * so the number is drawn as late as possible (after the reads, right before the writes).
 */
export interface RequestNumbers {
  /** The year's next number, formatted (`SC-2026-000123`). */
  next(year: number): Promise<string>;
}

/** What an import of request histories wrote (see `importRequests`), for one bulk insert. */
export interface ImportedRecords {
  requests: Request[];
  replies: Reply[];
  history: HistoryEntry[];
  bookings: TimeBooking[];
  surveys: SurveyAnswer[];
  changes: ProductChange[];
}

/** The requests one history of an import created: its own, and the follow-up of a TREAT_AS_NEW_REQUEST step. */
export interface ImportedKey {
  importKey: string;
  requestId: string;
  continuedRequestId: string | null;
}

/** Imports of request histories from another tool: which were imported, and their bulk write. */
export interface RequestImportStore {
  /**
   * An import replays up to a hundred histories in memory between its reads and its writes
   * (seconds of CPU on a busy machine): the session's statement and idle-in-transaction limits
   * are lifted for the rest of its transaction.
   */
  liftTimeLimits(): Promise<void>;
  /** Customers whose service manager or customer success manager this person is (an imported actor's rights). */
  relationCustomerIds(scope: CustomerScope): Promise<string[]>;
  /** Import key → what it created, for the keys imported before. */
  importedKeys(keys: readonly string[]): Promise<Map<string, ImportedKey>>;
  /**
   * A block of request numbers per year in one statement: `counts` numbers of each year, the
   * first of each block returned (the block is `first … first + count - 1`). Like `next`, it
   * holds the years' counter rows until the commit (gapless): an import draws its numbers
   * after its replay, right before its writes.
   */
  reserveNumbers(counts: ReadonlyMap<number, number>): Promise<Map<number, number>>;
  /** The records with multi-row statements, and the import keys they came from. */
  insertImported(records: ImportedRecords, keys: readonly ImportedKey[], at: Date): Promise<void>;
}

export interface RequestsTransaction {
  requests: RequestStore;
  imports: RequestImportStore;
  numbers: RequestNumbers;
  directory: DirectoryLookup;
  timers: FollowUpTimers;
  knowledge: KnowledgeWriter;
  publish(...events: NewEvent[]): void;
}

export interface RequestsUnitOfWork {
  run<T>(meta: EventMeta, work: (tx: RequestsTransaction) => Promise<T>): Promise<T>;
}
