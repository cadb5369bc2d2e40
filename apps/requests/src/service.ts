import { join } from 'node:path';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/service';
import { registerRequest } from './domain/register-request';
import type { RequestsUnitOfWork } from './domain/ports';
import { requestLoaders, type RequestsContext } from './context';
import { RequestEntity, RequestNumberCounterEntity } from './persistence/entities/request.entity';
import { RequestRepository } from './persistence/request.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

export const requestsDefinition: SubgraphDefinition<RequestsContext> = {
  name: 'requests',
  typeDefs: loadSchemaFile(join(__dirname, 'schema.graphql')),
  resolvers,
  entities: [RequestEntity, RequestNumberCounterEntity],
  migrations,
  setup(rt) {
    const uow: RequestsUnitOfWork = {
      run: (meta, work) => rt.uow.run(meta, (tx) => work({ requests: new RequestRepository(tx.manager), publish: tx.publish })),
    };
    const reader = new RequestRepository(rt.dataSource.manager);
    return {
      createContext: (base) => ({
        ...base,
        reader,
        loaders: requestLoaders(reader),
        useCases: {
          registerRequest: (caller, input, correlationId) => registerRequest({ uow, now: rt.clock }, caller, input, correlationId),
        },
        status: () => rt.status(),
      }),
    };
  },
};

export const createRequestsService = (deps: ServiceDeps) => createSubgraphService(requestsDefinition, deps);
