import { join } from 'node:path';
import { systemActor } from '@servicecenter/platform-auth';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import {
  createSubgraphService,
  type ServiceDeps,
  type ServiceRuntime,
  type SubgraphDefinition,
} from '@servicecenter/platform-service';
import { slaLoaders, type SlaContext } from './context';
import { registerDirectoryEventHandlers } from './events/directory-events.consumer';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { SlaScanner } from './events/sla-scanner';
import { SlaStateRepository } from './persistence/sla-state.repository';
import { RequestSlaEntity, SlaTimelineEntity } from './persistence/entities/request-sla.entity';
import { RequestSlaRepository } from './persistence/request-sla.repository';
import { ComplianceReader } from './persistence/compliance.reader';
import { AtRiskReader } from './persistence/at-risk.reader';
import { PgAgreementBook, type AgreementBook } from './persistence/agreement.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The warning and breach scanner of one service instance (tests drive theirs with `scanOnce`). */
export function slaScanner(rt: ServiceRuntime, agreements: AgreementBook): SlaScanner {
  const warnings = rt.metrics.counter('sla_warnings_total', 'SLA warnings published, by clock kind and priority', [
    'kind',
    'priority',
  ]);
  const breaches = rt.metrics.counter('sla_breaches_total', 'SLA breaches published, by clock kind and priority', [
    'kind',
    'priority',
  ]);
  return new SlaScanner({
    metrics: {
      reached: (level, kind, priority) => (level === 'breach' ? breaches : warnings).inc({ kind, priority }),
    },
    dataSource: rt.dataSource,
    uow: rt.uow,
    clock: rt.clock,
    logger: rt.logger.child({ component: 'sla-scanner' }),
    agreements,
    actor: systemActor('sla'),
    pollMs: rt.config.timerPollMs,
  });
}

export const slaDefinition: SubgraphDefinition<SlaContext> = {
  name: 'sla',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: [RequestSlaEntity, SlaTimelineEntity],
  migrations,
  setup(rt) {
    // Per-customer agreement versions (the generic one of DOMAIN.md by default), cached per version.
    const agreements = new PgAgreementBook(rt.dataSource.manager);
    // A registration's clocks are what the desk looks for next: in process they go first.
    const consumer = rt.consumer({ first: true });
    registerRequestEventHandlers(consumer, agreements);
    registerDirectoryEventHandlers(consumer);
    const reader = new RequestSlaRepository(rt.dataSource.manager);
    const states = new SlaStateRepository(rt.dataSource.manager);
    const compliance = new ComplianceReader(rt.dataSource.manager);
    const atRisk = new AtRiskReader(rt.dataSource.manager);
    const scanner = slaScanner(rt, agreements);
    scanner.start();
    return {
      stop: () => scanner.stop(),
      createContext: (base) => ({
        ...base,
        loaders: slaLoaders(reader, states),
        agreements,
        uow: rt.uow,
        compliance,
        atRisk,
        now: rt.clock,
        status: () => rt.status(),
      }),
    };
  },
};

export const createSlaService = (deps: ServiceDeps) => createSubgraphService(slaDefinition, deps);
export { RACI_ROWS as SLA_RACI_ROWS } from './domain/raci-rows';
