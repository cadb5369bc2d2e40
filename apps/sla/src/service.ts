import { join } from 'node:path';
import { systemActor } from '@servicecenter/auth';
import { BusinessCalendar } from '@servicecenter/calendar';
import { loadSchemaFile } from '@servicecenter/graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/service';
import { slaLoaders, type SlaContext } from './context';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { SlaScanner } from './events/sla-scanner';
import { SlaStateRepository } from './persistence/sla-state.repository';
import { RequestSlaEntity, SlaTimelineEntity } from './persistence/entities/request-sla.entity';
import { RequestSlaRepository } from './persistence/request-sla.repository';
import { ComplianceReader } from './persistence/compliance.reader';
import { AtRiskReader } from './persistence/at-risk.reader';
import { PgAgreementBook } from './persistence/agreement.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

export const slaDefinition: SubgraphDefinition<SlaContext> = {
  name: 'sla',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: [RequestSlaEntity, SlaTimelineEntity],
  migrations,
  setup(rt) {
    // Per-customer agreement versions (the generic one of DOMAIN.md by default), cached per version.
    const agreements = new PgAgreementBook(rt.dataSource.manager);
    // The default calendar: for readers without a request (none today); each request is evaluated on its agreement's calendar.
    const calendar = new BusinessCalendar({});
    registerRequestEventHandlers(rt.consumer(), agreements);
    const reader = new RequestSlaRepository(rt.dataSource.manager);
    const states = new SlaStateRepository(rt.dataSource.manager);
    const compliance = new ComplianceReader(rt.dataSource.manager);
    const atRisk = new AtRiskReader(rt.dataSource.manager);
    const scanner = new SlaScanner({
      dataSource: rt.dataSource,
      uow: rt.uow,
      clock: rt.clock,
      logger: rt.logger.child({ component: 'sla-scanner' }),
      agreements,
      actor: systemActor('sla'),
      pollMs: rt.config.timerPollMs,
    });
    scanner.start();
    return {
      stop: () => scanner.stop(),
      createContext: (base) => ({ ...base, loaders: slaLoaders(reader, states, agreements), calendar, agreements, uow: rt.uow, compliance, atRisk, now: rt.clock, status: () => rt.status() }),
    };
  },
};

export const createSlaService = (deps: ServiceDeps) => createSubgraphService(slaDefinition, deps);
