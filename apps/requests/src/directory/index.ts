/** The directory area of the requests subgraph: customers, contracts, products, teams, people. */
import { CreateDirectory1764000000300 } from './migrations/1764000000300-CreateDirectory';

export type * from './domain/directory';
export type { DirectoryReader, DirectoryStore, DirectoryUnitOfWork, NameKey, Page, PersonFilter, ProductFilter, CustomerFilter } from './domain/ports';
export { directoryAdmin, type DirectoryAdmin } from './domain/directory-admin';
export { canReadCustomer, canReadPerson, canReadTeams, canReadCatalogue } from './domain/directory-access';
export { ID_PATTERN } from './domain/directory-rules';
export { seedDirectory, SEED_ADMIN, type DirectoryDataSet } from './domain/seed-directory';
export { directoryEntities } from './persistence/directory.entities';
export { DirectoryRepository } from './persistence/directory.repository';
export {
  directoryContextFactory,
  directoryLoaders,
  directoryUnitOfWork,
  peopleLoaders,
  type DirectoryContext,
  type DirectoryLoaders,
  type DirectoryResolverContext,
  type PeopleLoaders,
} from './context';
export { directoryResolvers } from './resolvers';
export { nameOrderedConnection, type LazyConnection, type PageArgs } from './resolvers/connections';

/** In order of their timestamps; merge with the service's own migrations by timestamp. */
export const directoryMigrations = [CreateDirectory1764000000300];
