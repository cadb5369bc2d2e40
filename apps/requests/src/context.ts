import DataLoader from 'dataloader';
import { customerScope, type Caller } from '@servicecenter/platform-auth';
import { byId, childrenLoader, loaderByKey, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from '@servicecenter/platform-service';
import type { DirectoryContext } from './directory';
import type { KnowledgeContext } from './knowledge';
import type { Actor } from './domain/authorisation';
import type { HistoryEntry, ProductChange, Reply } from './domain/conversation';
import type { SurveyAnswer, TimeBooking } from './domain/bookings';
import type { RequestReader } from './domain/ports';
import type { Request } from './domain/request';
import type { RequestUseCases } from './domain/use-cases';

export interface RequestLoaders {
  requestById: DataLoader<string, Request | null>;
  repliesByRequest: DataLoader<string, Reply[]>;
  historyByRequest: DataLoader<string, HistoryEntry[]>;
  changeByRef: DataLoader<string, ProductChange | null>;
  requestsOfChange: DataLoader<string, { requestId: string; customerId: string }[]>;
  bookingsByRequest: DataLoader<string, TimeBooking[]>;
  surveyByRequest: DataLoader<string, SurveyAnswer | null>;
}

export interface RequestsContext extends RequestContext {
  reader: RequestReader;
  loaders: RequestLoaders;
  directory: DirectoryContext;
  knowledge: KnowledgeContext;
  /** The caller with their directory facts (teams, customers they manage); loaded once per operation. */
  actor(): Promise<Actor>;
  useCases: RequestUseCases;
  now(): Date;
  status(): Promise<ServiceStatus>;
}

/** One set of DataLoaders per GraphQL operation: batching within it, no cache across callers. */
export function requestLoaders(reader: RequestReader, caller: Caller): RequestLoaders {
  const internal = caller.roles.some((r) => r !== 'customer');
  return {
    requestById: byId((ids) => reader.findByIds(ids)),
    repliesByRequest: childrenLoader(
      (ids) => reader.repliesOf(ids, internal),
      (r) => r.requestId,
    ),
    historyByRequest: childrenLoader(
      (ids) => reader.historyOf(ids),
      (h) => h.requestId,
    ),
    changeByRef: loaderByKey(
      (refs) => reader.changesByRefs(refs),
      (c) => c.ref,
    ),
    requestsOfChange: childrenLoader(
      (refs) => reader.requestIdsOfChanges(refs),
      (r) => r.ref,
    ),
    bookingsByRequest: childrenLoader(
      (ids) => reader.bookingsOf(ids),
      (b) => b.requestId,
    ),
    surveyByRequest: loaderByKey(
      (ids) => reader.surveysOf(ids),
      (a) => a.requestId,
    ),
  };
}

/** The caller's directory facts, fetched lazily and once per operation. */
export function actorOf(caller: Caller, directory: DirectoryContext, reader: RequestReader): () => Promise<Actor> {
  let actor: Promise<Actor> | undefined;
  return () =>
    (actor ??= (async () => {
      const [person, relationCustomerIds] = await Promise.all([
        directory.loaders.personById.load(caller.id),
        reader.relationCustomerIds(customerScope(caller)),
      ]);
      return { caller, person, relationCustomerIds };
    })());
}
