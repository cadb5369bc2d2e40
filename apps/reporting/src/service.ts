import { join } from 'node:path';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, statusResolver, type ServiceDeps, type StatusContext, type SubgraphDefinition } from '@servicecenter/service';
import { migrations } from './migrations';

export const reportingDefinition: SubgraphDefinition<StatusContext> = {
  name: 'reporting',
  typeDefs: loadSchemaFile(join(__dirname, 'schema.graphql')),
  resolvers: { Query: { reportingStatus: statusResolver } },
  entities: [],
  migrations,
  setup: (rt) => ({ createContext: (base) => ({ ...base, status: () => rt.status() }) }),
};

export const createReportingService = (deps: ServiceDeps) => createSubgraphService(reportingDefinition, deps);
