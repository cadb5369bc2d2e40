import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { NewEvent } from '@servicecenter/platform-events';
import { TimerStore } from '@servicecenter/platform-timers';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/platform-service';
import { escalationLoaders, type EscalationsContext } from './context';
import { attentionItems } from './domain/attention';
import {
  DISRUPTION_AUTO_CLOSE,
  DISRUPTION_UPDATE_DUE,
  disruptionUseCases,
  type DisruptionTransaction,
} from './domain/disruption-use-cases';
import type { EscalationsTransaction, EscalationsUnitOfWork } from './domain/ports';
import { escalationUseCases } from './domain/use-cases';
import { registerAttentionEventHandlers } from './events/attention-events.consumer';
import { registerDirectoryEventHandlers } from './events/directory-events.consumer';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { AttentionReader, CustomerRelationRepository } from './persistence/attention.repository';
import { DirectoryRefRepository } from './persistence/directory-refs.repository';
import { DisruptionRepository } from './persistence/disruption.repository';
import { escalationEntities } from './persistence/entities';
import {
  AskRepository,
  EscalationRepository,
  RequestViewRepository,
  UrgentCallRepository,
} from './persistence/escalation.repository';
import { NotificationRepository } from './persistence/notification.repository';
import { CustomerCommunicationRepository } from './persistence/communication.repository';
import { ReviewRepository } from './persistence/review.repository';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { loadEscalationsSettings } from './settings';

function transaction(manager: EntityManager, publish: EscalationsTransaction['publish']): EscalationsTransaction {
  return {
    requests: new RequestViewRepository(manager),
    escalations: new EscalationRepository(manager),
    asks: new AskRepository(manager),
    calls: new UrgentCallRepository(manager),
    communications: new CustomerCommunicationRepository(manager),
    review: new ReviewRepository(manager),
    people: new DirectoryRefRepository(manager),
    notifications: new NotificationRepository(manager),
    relations: new CustomerRelationRepository(manager),
    publish,
  };
}

/** Disruption notices and their durable timers (update due, auto-close), in the caller's transaction. */
function disruptionTransaction(
  manager: EntityManager,
  publish: (...events: NewEvent[]) => void,
): DisruptionTransaction {
  const timers = new TimerStore(manager);
  return {
    requests: new RequestViewRepository(manager),
    directory: new DirectoryRefRepository(manager),
    notices: new DisruptionRepository(manager),
    timers: {
      schedule: async (kind, key, dueAt, payload) => void (await timers.schedule({ kind, key, dueAt, payload })),
      cancel: async (kind, key) => void (await timers.cancel(kind, key)),
    },
    notifications: new NotificationRepository(manager),
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
    const settings = loadEscalationsSettings(rt.config.source);
    const calendar = new BusinessCalendar({ timeZone: settings.timeZone });
    const consumer = rt.consumer();
    registerRequestEventHandlers(consumer);
    // The attention list's read models: customer relations (directory) and SLA risks (SLA service).
    registerAttentionEventHandlers(consumer);
    // The directory's products and customers, against which notices check the ids they name.
    registerDirectoryEventHandlers(consumer);
    const reader = new AttentionReader(rt.dataSource.manager);
    const attention: EscalationsContext['attention'] = async (scope) =>
      attentionItems(await reader.candidates(scope), {
        now: rt.clock(),
        staleAt: (since) => calendar.addWorkingDays(since, settings.staleWorkingDays),
      });
    const uow: EscalationsUnitOfWork = {
      run: (meta, work) => rt.uow.run(meta, (tx) => work(transaction(tx.manager, tx.publish))),
    };
    const useCases = escalationUseCases({ uow, now: rt.clock, newId: randomUUID });
    const disruptionCases = disruptionUseCases({
      uow: { run: (meta, work) => rt.uow.run(meta, (tx) => work(disruptionTransaction(tx.manager, tx.publish))) },
      now: rt.clock,
      newId: randomUUID,
    });
    // The notice's mutations lock the notice and then move its timers: firing takes the same order.
    const lockNotice = {
      lockFirst: (manager: EntityManager, noticeId: string) =>
        new DisruptionRepository(manager).findById(noticeId, true).then(() => undefined),
    };
    rt.timers.on<{ dueAt?: string }>(
      DISRUPTION_UPDATE_DUE,
      (timer, ctx) =>
        disruptionCases.updateDue(disruptionTransaction(ctx.manager, ctx.publish), timer.key, timer.payload),
      lockNotice,
    );
    rt.timers.on(
      DISRUPTION_AUTO_CLOSE,
      (timer, ctx) => disruptionCases.autoClose(disruptionTransaction(ctx.manager, ctx.publish), timer.key),
      lockNotice,
    );
    const disruptions = new DisruptionRepository(rt.dataSource.manager);
    const escalations = new EscalationRepository(rt.dataSource.manager);
    const asks = new AskRepository(rt.dataSource.manager);
    const calls = new UrgentCallRepository(rt.dataSource.manager);
    const notifications = new NotificationRepository(rt.dataSource.manager);
    const relations = new CustomerRelationRepository(rt.dataSource.manager);
    const communications = new CustomerCommunicationRepository(rt.dataSource.manager);
    const review = new ReviewRepository(rt.dataSource.manager);
    return {
      createContext: (base) => ({
        ...base,
        loaders: escalationLoaders(escalations, relations),
        escalations,
        asks,
        calls,
        communications,
        review,
        notifications,
        now: rt.clock,
        useCases,
        disruptions,
        disruptionUseCases: disruptionCases,
        attention,
        status: () => rt.status(),
      }),
    };
  },
};

export const createEscalationsService = (deps: ServiceDeps) => createSubgraphService(escalationsDefinition, deps);

/** The RACI rows this service carries and the rights derived from them (for the row-walk tests and docs/raci.md). */
export { RACI_ROWS as ESCALATIONS_RACI_ROWS } from './domain/raci-rows';
export { RIGHTS as escalationsRights } from './domain/authorisation';
