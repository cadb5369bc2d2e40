import type { EventMeta, NewEvent } from '@servicecenter/events';
import type { Request } from './request';

/** Request persistence as the use cases see it; implemented in persistence/. */
export interface RequestStore {
  /** Next number of the year's counter; serialised per year so numbers have no gaps. */
  nextNumber(year: number): Promise<number>;
  insert(request: Request): Promise<void>;
}

export interface RequestReader {
  findByIds(ids: readonly string[]): Promise<Request[]>;
  findByNumber(number: string): Promise<Request | undefined>;
}

export interface RequestsTransaction {
  requests: RequestStore;
  publish(...events: NewEvent[]): void;
}

export interface RequestsUnitOfWork {
  run<T>(meta: EventMeta, work: (tx: RequestsTransaction) => Promise<T>): Promise<T>;
}
