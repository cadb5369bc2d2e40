import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Clock, UnitOfWork } from '@servicecenter/platform-events';
import { byId, type RequestContext } from '@servicecenter/platform-graphql';
import type { Customer, DirectoryLookup, Person, Product, ProductGroup, Team } from './domain/directory';
import { directoryAdmin, type DirectoryAdmin } from './domain/directory-admin';
import type { DirectoryReader, DirectoryUnitOfWork, Page, PeopleParent } from './domain/ports';
import { customerSavedEvent, personSavedEvent, productSavedEvent } from './directory-events';
import { DirectoryRepository } from './persistence/directory.repository';

export interface DirectoryLoaders {
  customerById: DataLoader<string, Customer | null>;
  productById: DataLoader<string, Product | null>;
  productGroupById: DataLoader<string, ProductGroup | null>;
  teamById: DataLoader<string, Team | null>;
  personById: DataLoader<string, Person | null>;
}

/** One page of a parent's people: Customer.users or Team.members. */
export interface PeoplePageKey {
  parent: PeopleParent;
  parentId: string;
  page: Page;
}

export interface PeopleLoaders {
  peopleOf: DataLoader<PeoplePageKey, Person[], string>;
  peopleCountOf: DataLoader<Omit<PeoplePageKey, 'page'>, number, string>;
}

/** What directory resolvers (and the request lifecycle) find under `ctx.directory`. */
export interface DirectoryContext {
  reader: DirectoryReader;
  loaders: DirectoryLoaders & PeopleLoaders;
  admin: DirectoryAdmin;
}

export type DirectoryResolverContext = RequestContext & { directory: DirectoryContext };

/** Fresh per GraphQL request: batching within it, never a cache shared between callers. */
export function directoryLoaders(lookup: DirectoryLookup): DirectoryLoaders {
  return {
    customerById: byId((ids) => lookup.customersByIds(ids)),
    productById: byId((ids) => lookup.productsByIds(ids)),
    productGroupById: byId((ids) => lookup.productGroupsByIds(ids)),
    teamById: byId((ids) => lookup.teamsByIds(ids)),
    personById: byId((ids) => lookup.peopleByIds(ids)),
  };
}

const pageKey = (k: PeoplePageKey) =>
  JSON.stringify([k.parent, k.parentId, k.page.limit, k.page.after?.name, k.page.after?.id]);
const countKey = (k: Omit<PeoplePageKey, 'page'>) => JSON.stringify([k.parent, k.parentId]);

/** Groups a batch by what is asked of every parent (normally one group: one field, one set of arguments). */
function groupBy<K>(keys: readonly K[], by: (key: K) => string): K[][] {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const id = by(key);
    const group = groups.get(id);
    if (group) group.push(key);
    else groups.set(id, [key]);
  }
  return [...groups.values()];
}

export function peopleLoaders(reader: DirectoryReader): PeopleLoaders {
  return {
    peopleOf: new DataLoader(
      async (keys) => {
        const pages = new Map<string, Person[]>();
        const groups = groupBy(keys, (k) => JSON.stringify([k.parent, k.page]));
        for (const group of groups) {
          const { parent, page } = group[0];
          const byParent = await reader.peopleOf(parent, [...new Set(group.map((k) => k.parentId))], page);
          for (const key of group) pages.set(pageKey(key), byParent.get(key.parentId) ?? []);
        }
        return keys.map((key) => pages.get(pageKey(key)) ?? []);
      },
      { cacheKeyFn: pageKey },
    ),
    peopleCountOf: new DataLoader(
      async (keys) => {
        const counts = new Map<string, number>();
        for (const group of groupBy(keys, (k) => k.parent)) {
          const byParent = await reader.countPeopleOf(
            group[0].parent,
            group.map((k) => k.parentId),
          );
          for (const key of group) counts.set(countKey(key), byParent.get(key.parentId) ?? 0);
        }
        return keys.map((key) => counts.get(countKey(key)) ?? 0);
      },
      { cacheKeyFn: countKey },
    ),
  };
}

/**
 * Admin writes in one database transaction each. With the runtime's unit of work (`outbox`),
 * the events they announce go to the outbox in that same transaction; without it (specs of
 * the directory alone) they are dropped.
 */
export function directoryUnitOfWork(
  dataSource: DataSource,
  outbox?: { uow: UnitOfWork; clock: Clock },
): DirectoryUnitOfWork {
  if (!outbox)
    return {
      run: (work) =>
        dataSource.transaction((manager) =>
          work(new DirectoryRepository(manager), {
            customerSaved: () => undefined,
            productSaved: () => undefined,
            personSaved: () => undefined,
          }),
        ),
    };
  return {
    run: (work, meta) =>
      outbox.uow.run({ actor: meta?.actor }, (tx) =>
        work(new DirectoryRepository(tx.manager), {
          customerSaved: (customer) => tx.publish(customerSavedEvent(customer, outbox.clock())),
          productSaved: (product) => tx.publish(productSavedEvent(product, outbox.clock())),
          personSaved: (person) => tx.publish(personSavedEvent(person, outbox.clock())),
        }),
      ),
  };
}

/**
 * Builds `ctx.directory` for each GraphQL request. Given the runtime's unit of work, admin
 * writes publish their events (customer, product and person saved) through its outbox; the clock stamps them.
 */
export function directoryContextFactory(
  dataSource: DataSource,
  clock: Clock = () => new Date(),
  uow?: UnitOfWork,
): () => DirectoryContext {
  const reader = new DirectoryRepository(dataSource.manager);
  const admin = directoryAdmin({ uow: directoryUnitOfWork(dataSource, uow ? { uow, clock } : undefined) });
  return () => ({ reader, loaders: { ...directoryLoaders(reader), ...peopleLoaders(reader) }, admin });
}
