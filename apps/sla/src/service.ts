import { join } from 'node:path';
import { BusinessCalendar } from '@servicecenter/calendar';
import { loadSchemaFile } from '@servicecenter/graphql';
import { GENERIC_AGREEMENT } from './domain/clocks';
import { SlaStateRepository } from './persistence/sla-state.repository';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/service';
import { slaLoaders, type SlaContext } from './context';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { RequestSlaEntity, SlaTimelineEntity } from './persistence/entities/request-sla.entity';
import { RequestSlaRepository } from './persistence/request-sla.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

export const slaDefinition: SubgraphDefinition<SlaContext> = {
  name: 'sla',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: [RequestSlaEntity, SlaTimelineEntity],
  migrations,
  setup(rt) {
    // The generic agreement of DOMAIN.md; per-customer agreements come with the agreements admin.
    const agreement = GENERIC_AGREEMENT;
    const calendar = new BusinessCalendar(agreement.calendar);
    registerRequestEventHandlers(rt.consumer(), { agreement, calendar });
    const reader = new RequestSlaRepository(rt.dataSource.manager);
    const states = new SlaStateRepository(rt.dataSource.manager);
    return {
      createContext: (base) => ({ ...base, loaders: slaLoaders(reader, states), calendar, now: rt.clock, status: () => rt.status() }),
    };
  },
};

export const createSlaService = (deps: ServiceDeps) => createSubgraphService(slaDefinition, deps);
