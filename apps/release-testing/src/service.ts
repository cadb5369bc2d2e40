import { join } from 'node:path';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, statusResolver, type ServiceDeps, type StatusContext, type SubgraphDefinition } from '@servicecenter/service';
import { migrations } from './migrations';

export const releaseTestingDefinition: SubgraphDefinition<StatusContext> = {
  name: 'release-testing',
  typeDefs: loadSchemaFile(join(__dirname, 'schema.graphql')),
  resolvers: { Query: { releaseTestingStatus: statusResolver } },
  entities: [],
  migrations,
  setup: (rt) => ({ createContext: (base) => ({ ...base, status: () => rt.status() }) }),
};

export const createReleaseTestingService = (deps: ServiceDeps) => createSubgraphService(releaseTestingDefinition, deps);
