/** The directory area of the requests subgraph: customers, contracts, products, teams, people. */
import { CreateDirectory1764000000300 } from './migrations/1764000000300-CreateDirectory';
import { AnnounceDirectory1764000000410 } from './migrations/1764000000410-AnnounceDirectory';
import { AnnouncePeople1764000000420 } from './migrations/1764000000420-AnnouncePeople';
import { AnnouncePeopleTeams1764000000430 } from './migrations/1764000000430-AnnouncePeopleTeams';
import { ApplicationServicesConditions1764000000487 } from './migrations/1764000000487-ApplicationServicesConditions';

export type * from './domain/directory';
export { conditionFor } from './domain/directory';
export { directoryAdmin, type DirectoryAdmin } from './domain/directory-admin';
export { canReadCustomer, canReadPerson, canReadTeams, canReadCatalogue } from './domain/directory-access';
export { seedDirectory } from './domain/seed-directory';
export { directoryEntities } from './persistence/directory.entities';
export { DirectoryRepository } from './persistence/directory.repository';
export { directoryContextFactory, directoryUnitOfWork, type DirectoryContext } from './context';
export { directoryResolvers } from './resolvers';

/** In order of their timestamps; merge with the service's own migrations by timestamp. */
export const directoryMigrations = [
  CreateDirectory1764000000300,
  AnnounceDirectory1764000000410,
  AnnouncePeople1764000000420,
  AnnouncePeopleTeams1764000000430,
  ApplicationServicesConditions1764000000487,
];
