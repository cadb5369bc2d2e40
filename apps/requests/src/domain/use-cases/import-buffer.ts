import DataLoader from 'dataloader';
import type { DirectoryLookup } from '../../directory/domain/directory';
import type { SurveyAnswer, TimeBooking } from '../bookings';
import type { HistoryEntry, ProductChange, Reply } from '../conversation';
import type { FollowUpPayload, FollowUpTimers, ImportedRecords, RequestStore } from '../ports';
import { copyRequest, type Request } from '../request';

/**
 * The request store of an import: the use cases run against it exactly as against the
 * database, but new requests and everything written about them stay in memory until `records`
 * hands them to the repository in one go (multi-row inserts). Reads of what the import has not
 * written (an existing product change) go to the real store.
 */
export class ImportBuffer implements RequestStore {
  private readonly requests = new Map<string, Request>();
  readonly replies: Reply[] = [];
  readonly history: HistoryEntry[] = [];
  readonly bookings: TimeBooking[] = [];
  readonly surveys: SurveyAnswer[] = [];
  private readonly changes = new Map<string, ProductChange>();
  /** Changes stored before the import, and their customers, as the call read them first. */
  private readonly storedChanges = new Map<string, ProductChange>();
  private readonly storedCustomersOfChange = new Map<string, string[]>();
  /** The follow-up timer each imported request ends with (the last schedule or cancel wins). */
  private readonly followUps = new Map<string, { dueAt: Date; payload: FollowUpPayload } | null>();

  constructor(private readonly store: RequestStore) {}

  async insert(request: Request): Promise<void> {
    this.requests.set(request.id, copyRequest(request));
  }

  async lock(id: string): Promise<Request | undefined> {
    const request = this.requests.get(id);
    // Imported requests only: an import never changes a request it did not create.
    return request ? copyRequest(request) : undefined;
  }

  async update(request: Request, previousVersion: number): Promise<void> {
    const stored = this.requests.get(request.id);
    if (!stored || stored.version !== previousVersion)
      throw new Error(`imported request ${request.number} changed twice at version ${previousVersion}`);
    this.requests.set(request.id, copyRequest(request));
  }

  async addReply(reply: Reply): Promise<void> {
    this.replies.push(reply);
  }

  async addHistory(entry: HistoryEntry): Promise<void> {
    this.history.push(entry);
  }

  async historyOf(requestIds: readonly string[]): Promise<HistoryEntry[]> {
    return this.history.filter((h) => requestIds.includes(h.requestId));
  }

  /**
   * A change the import created, or one stored before it, read once per call: changes are
   * never deleted, so a change found stays there (histories of one product link the same few
   * refs again and again, a statement each).
   */
  async findChange(ref: string): Promise<ProductChange | undefined> {
    const known = this.changes.get(ref) ?? this.storedChanges.get(ref);
    if (known) return known;
    const stored = await this.store.findChange(ref);
    if (stored) this.storedChanges.set(ref, stored);
    return stored;
  }

  async insertChange(change: ProductChange): Promise<void> {
    if (!this.changes.has(change.ref)) this.changes.set(change.ref, change);
  }

  async customerCountOfChange(ref: string): Promise<number> {
    return (await this.customerIdsOfChange(ref)).length;
  }

  /**
   * The stored requests' customers and the imported ones'. The stored ones are read once per
   * call and ref: the import writes its requests only at its end, so within the call they change
   * only when another transaction commits a link of the same change meanwhile (then the call
   * counts as of its first link of it).
   */
  async customerIdsOfChange(ref: string): Promise<string[]> {
    let stored = this.storedCustomersOfChange.get(ref);
    if (!stored) this.storedCustomersOfChange.set(ref, (stored = await this.store.customerIdsOfChange(ref)));
    const imported = [...this.requests.values()].filter((r) => r.changeRef === ref).map((r) => r.customerId);
    return [...new Set([...stored, ...imported])];
  }

  async addBooking(booking: TimeBooking): Promise<void> {
    this.bookings.push(booking);
  }

  async hasSurvey(requestId: string): Promise<boolean> {
    return this.surveys.some((s) => s.requestId === requestId);
  }

  async addSurvey(answer: SurveyAnswer): Promise<void> {
    this.surveys.push(answer);
  }

  /** The import's follow-up timers: kept here, scheduled once per request at the end. */
  readonly timers: FollowUpTimers = {
    schedule: async (requestId, dueAt, payload) => void this.followUps.set(requestId, { dueAt, payload }),
    cancel: async (requestId) => void this.followUps.set(requestId, null),
  };

  /** Everything the import wrote, for the repository's bulk insert. */
  records(): ImportedRecords {
    return {
      requests: [...this.requests.values()],
      replies: this.replies,
      history: this.history,
      bookings: this.bookings,
      surveys: this.surveys,
      changes: [...this.changes.values()],
    };
  }

  /** Takes the request's follow-up timer if it is due by `until` (it fires then), else leaves it. */
  takeDueFollowUp(requestId: string, until: Date): { dueAt: Date; payload: FollowUpPayload } | undefined {
    const timer = this.followUps.get(requestId);
    if (!timer || timer.dueAt > until) return undefined;
    this.followUps.set(requestId, null);
    return timer;
  }

  /** The follow-up timers still running at the end of each imported history. */
  pendingFollowUps(): { requestId: string; dueAt: Date; payload: FollowUpPayload }[] {
    return [...this.followUps].flatMap(([requestId, timer]) => (timer ? [{ requestId, ...timer }] : []));
  }
}

/**
 * The directory as an import reads it: each record once per import, however many steps ask (a
 * DataLoader per kind). Records read before are answered from a map without the loader: every
 * step of a history asks for its customer and product again, and DataLoader's `loadMany` (a
 * promise per id, a batch scheduled on the next tick) was ≈ 2 % of the requests process's CPU
 * in an import (docs/performance.md, change 35).
 */
export function cachedDirectory(directory: DirectoryLookup): DirectoryLookup {
  const cache = <T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) => {
    const known = new Map<string, T | null>();
    const loader = new DataLoader<string, T | null>(async (ids) => {
      const found = new Map((await load(ids)).map((r) => [r.id, r]));
      return ids.map((id) => {
        const record = found.get(id) ?? null;
        known.set(id, record);
        return record;
      });
    });
    return async (ids: readonly string[]): Promise<T[]> => {
      if (ids.length === 1) {
        // The common ask: one record (a step's customer, product or actor).
        const record = known.get(ids[0]);
        if (record !== undefined) return record ? [record] : [];
      } else if (ids.every((id) => known.has(id))) return ids.flatMap((id) => known.get(id) ?? []);
      return (await loader.loadMany(ids)).flatMap((r) => {
        if (r instanceof Error) throw r;
        return r ? [r] : [];
      });
    };
  };
  return {
    productsByIds: cache((ids) => directory.productsByIds(ids)),
    customersByIds: cache((ids) => directory.customersByIds(ids)),
    peopleByIds: cache((ids) => directory.peopleByIds(ids)),
    teamsByIds: cache((ids) => directory.teamsByIds(ids)),
    productGroupsByIds: cache((ids) => directory.productGroupsByIds(ids)),
  };
}

/** What an import call's histories name of the directory, as far as their input says. */
export interface DirectoryMentions {
  people: Iterable<unknown>;
  customers: Iterable<unknown>;
  products: Iterable<unknown>;
  teams: Iterable<unknown>;
}

/**
 * Reads ahead, into an import's `cachedDirectory`, the records its histories will ask for: the
 * people, customers, products and teams the input names, then the customers of those people
 * and the groups of those products. The replay asks one history and one step at a time, so
 * each record it had not seen yet in the call was a statement of its own (≈ 1.6 of the 2.4
 * statements per imported request, docs/performance.md change 35); read ahead, they are six
 * per call. An id the input names but the replay never asks for (a requester the customer's
 * own registration ignores) costs a row lookup in the same statement, nothing more; the
 * replay still decides with the same records, and one the directory does not have is
 * remembered as missing and rejected by the step that names it, as before.
 */
export async function readAhead(directory: DirectoryLookup, mentions: DirectoryMentions): Promise<void> {
  const ids = (values: Iterable<unknown>) => [
    ...new Set([...values].filter((v): v is string => typeof v === 'string' && v.length > 0)),
  ];
  // One after the other: they run on the import transaction's one connection, where
  // concurrent queries only queue (and node-postgres deprecates issuing them at once).
  const people = await directory.peopleByIds(ids(mentions.people));
  await directory.customersByIds(ids(mentions.customers));
  const products = await directory.productsByIds(ids(mentions.products));
  await directory.teamsByIds(ids(mentions.teams));
  await directory.customersByIds(ids(people.map((p) => p.customerId)));
  await directory.productGroupsByIds(ids(products.map((p) => p.productGroupId)));
}
