import { join } from 'node:path';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, statusResolver, type ServiceDeps, type StatusContext, type SubgraphDefinition } from '@servicecenter/service';
import { migrations } from './migrations';

export const escalationsDefinition: SubgraphDefinition<StatusContext> = {
  name: 'escalations',
  typeDefs: loadSchemaFile(join(__dirname, 'schema.graphql')),
  resolvers: { Query: { escalationsStatus: statusResolver } },
  entities: [],
  migrations,
  setup: (rt) => ({ createContext: (base) => ({ ...base, status: () => rt.status() }) }),
};

export const createEscalationsService = (deps: ServiceDeps) => createSubgraphService(escalationsDefinition, deps);
