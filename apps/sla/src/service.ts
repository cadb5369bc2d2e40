import { join } from 'node:path';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/service';
import { slaLoaders, type SlaContext } from './context';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { RequestSlaEntity, SlaTimelineEntity } from './persistence/entities/request-sla.entity';
import { RequestSlaRepository } from './persistence/request-sla.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

export const slaDefinition: SubgraphDefinition<SlaContext> = {
  name: 'sla',
  typeDefs: loadSchemaFile(join(__dirname, 'schema.graphql')),
  resolvers,
  entities: [RequestSlaEntity, SlaTimelineEntity],
  migrations,
  setup(rt) {
    registerRequestEventHandlers(rt.consumer());
    const reader = new RequestSlaRepository(rt.dataSource.manager);
    return { createContext: (base) => ({ ...base, loaders: slaLoaders(reader), status: () => rt.status() }) };
  },
};

export const createSlaService = (deps: ServiceDeps) => createSubgraphService(slaDefinition, deps);
