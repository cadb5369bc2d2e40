import type { CustomerRelation } from '@servicecenter/platform-auth';
import type { NewEvent } from '@servicecenter/platform-events';
import type { Ask } from './ask';
import type { CustomerCommunication } from './customer-communication';
import type { Escalation, RequestView } from './escalation';
import type { NotifyTransaction } from './notify';
import type { ReviewActionPoint, ReviewAlignment } from './review';
import type { UrgentCall } from './urgent-call';

/** What the use cases need from storage; PostgreSQL repositories implement it. */
export interface EscalationsTransaction {
  requests: {
    findByIds(ids: readonly string[]): Promise<RequestView[]>;
    findByNumbers(numbers: readonly string[]): Promise<RequestView[]>;
  };
  escalations: {
    nextSequence(year: number): Promise<number>;
    insert(e: Escalation): Promise<void>;
    update(before: Escalation, after: Escalation): Promise<void>;
    findById(id: string, lock?: boolean): Promise<Escalation | null>;
  };
  asks: {
    insert(a: Ask): Promise<void>;
    update(a: Ask): Promise<void>;
    findById(id: string, lock?: boolean): Promise<Ask | null>;
  };
  calls: {
    insert(c: UrgentCall): Promise<void>;
    /** True when an urgent call was logged on the request. */
    anyOnRequest(requestId: string): Promise<boolean>;
  };
  communications: { insert(c: CustomerCommunication): Promise<void> };
  /** The teams each person works in (person-saved events of the directory). */
  people: { teamsOf(personId: string): Promise<string[]> };
  review: {
    insertAlignment(a: ReviewAlignment): Promise<void>;
    insertActionPoint(p: ReviewActionPoint): Promise<void>;
    updateActionPoint(before: ReviewActionPoint, after: ReviewActionPoint): Promise<void>;
    findActionPoint(id: string, lock?: boolean): Promise<ReviewActionPoint | null>;
  };
  /** Who looks after each customer (customer.saved events): the visibility rule's facts. */
  relations: { relationsOf(customerIds: readonly string[]): Promise<CustomerRelation[]> };
  notifications: NotifyTransaction['notifications'];
  publish(...events: NewEvent[]): void;
}

export interface EscalationsUnitOfWork {
  run<T>(
    meta: { actor?: string; correlationId?: string },
    work: (tx: EscalationsTransaction) => Promise<T>,
  ): Promise<T>;
}

export interface EscalationsDeps {
  uow: EscalationsUnitOfWork;
  now(): Date;
  newId(): string;
}
