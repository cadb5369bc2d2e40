import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/service';
import { escalationLoaders, type EscalationsContext } from './context';
import type { EscalationsTransaction, EscalationsUnitOfWork } from './domain/ports';
import { escalationUseCases } from './domain/use-cases';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { escalationEntities } from './persistence/entities';
import { AskRepository, EscalationRepository, RequestViewRepository, UrgentCallRepository } from './persistence/escalation.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

function transaction(manager: EntityManager, publish: EscalationsTransaction['publish']): EscalationsTransaction {
  return {
    requests: new RequestViewRepository(manager),
    escalations: new EscalationRepository(manager),
    asks: new AskRepository(manager),
    calls: new UrgentCallRepository(manager),
    publish,
  };
}

export const escalationsDefinition: SubgraphDefinition<EscalationsContext> = {
  name: 'escalations',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: escalationEntities,
  migrations,
  setup(rt) {
    // The request read model, fed by the requests service's events (never its database).
    registerRequestEventHandlers(rt.consumer());
    const uow: EscalationsUnitOfWork = { run: (meta, work) => rt.uow.run(meta, (tx) => work(transaction(tx.manager, tx.publish))) };
    const useCases = escalationUseCases({ uow, now: rt.clock, newId: randomUUID });
    const escalations = new EscalationRepository(rt.dataSource.manager);
    const asks = new AskRepository(rt.dataSource.manager);
    const calls = new UrgentCallRepository(rt.dataSource.manager);
    return {
      createContext: (base) => ({ ...base, loaders: escalationLoaders(escalations), escalations, asks, calls, useCases, status: () => rt.status() }),
    };
  },
};

export const createEscalationsService = (deps: ServiceDeps) => createSubgraphService(escalationsDefinition, deps);
