import { join } from 'node:path';
import { BusinessCalendar } from '@servicecenter/platform-calendar';
import { DisruptionResolved, PriorityChangeApproved } from '@servicecenter/contracts';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/platform-service';
import { TimerStore } from '@servicecenter/platform-timers';
import type { EntityManager } from 'typeorm';
import { actorOf, requestLoaders, type RequestsContext } from './context';
import { DirectoryRepository, directoryContextFactory, directoryEntities, directoryMigrations } from './directory';
import {
  KnowledgeRepository,
  knowledgeContextFactory,
  knowledgeEntities,
  knowledgeMigrations,
  newKnowledgeArticle,
} from './knowledge';
import type { FollowUpPayload, RequestsTransaction, RequestsUnitOfWork } from './domain/ports';
import { followUp, requestUseCases, type LifecycleDeps } from './domain/use-cases';
import { applyAgreedPriority } from './domain/use-cases/agreed-priority';
import { proposeDisruptionSolution } from './domain/use-cases/disruption-solution';
import { RequestEntity, RequestNumberCounterEntity } from './persistence/entities/request.entity';
import { HistoryEntity, ProductChangeEntity, ReplyEntity } from './persistence/entities/conversation.entity';
import { RequestImportRepository, RequestRepository } from './persistence/request.repository';
import { RequestNumberCounter } from './persistence/request-numbers';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { loadRequestsSettings } from './settings';

/** The durable timer behind reminders and automatic closing of a waiting request. */
const FOLLOW_UP = 'requests.follow-up';

function transaction(manager: EntityManager, publish: RequestsTransaction['publish']): RequestsTransaction {
  const timers = new TimerStore(manager);
  const knowledge = new KnowledgeRepository(manager);
  return {
    requests: new RequestRepository(manager),
    imports: new RequestImportRepository(manager),
    numbers: new RequestNumberCounter(manager),
    directory: new DirectoryRepository(manager),
    timers: {
      schedule: async (requestId, dueAt, payload) =>
        void (await timers.schedule({ kind: FOLLOW_UP, key: requestId, dueAt, payload })),
      cancel: async (requestId) => void (await timers.cancel(FOLLOW_UP, requestId)),
    },
    knowledge: {
      exists: async (id) => (await knowledge.findByIds([id])).length > 0,
      createFromAnswer: async (fields) => {
        const article = newKnowledgeArticle({
          title: fields.title,
          body: fields.body,
          productId: fields.productId,
          tags: [],
          published: false,
          sourceRequestId: fields.sourceRequestId,
          createdBy: fields.createdBy,
          now: fields.now,
        });
        await knowledge.insert(article);
        return { id: article.id };
      },
    },
    publish,
  };
}

export const requestsDefinition: SubgraphDefinition<RequestsContext> = {
  name: 'requests',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: [
    RequestEntity,
    RequestNumberCounterEntity,
    ReplyEntity,
    HistoryEntity,
    ProductChangeEntity,
    ...directoryEntities,
    ...knowledgeEntities,
  ],
  // TypeORM runs migrations in the order of their class-name timestamps.
  migrations: [...migrations, ...directoryMigrations, ...knowledgeMigrations],
  setup(rt) {
    const settings = loadRequestsSettings(rt.config.source);
    const calendar = new BusinessCalendar({ timeZone: settings.timeZone });
    const uow: RequestsUnitOfWork = {
      run: (meta, work) => rt.uow.run(meta, (tx) => work(transaction(tx.manager, tx.publish))),
    };
    const registrations = rt.metrics.counter(
      'requests_registered_total',
      'Requests registered (by customers, the desk, or as a new question), by type and requested priority',
      ['type', 'priority'],
    );
    const deps: LifecycleDeps = {
      uow,
      now: rt.clock,
      addWorkingDays: (from, days) => calendar.addWorkingDays(from, days),
      followUp: settings.followUp,
      registered: (request) => registrations.inc({ type: request.type, priority: request.requestedPriority }),
    };
    // A mutation locks the request and then moves its follow-up timer: firing takes the same order.
    rt.timers.on<FollowUpPayload>(
      FOLLOW_UP,
      (timer, ctx) => followUp(deps, transaction(ctx.manager, ctx.publish), timer.key, timer.payload),
      {
        lockFirst: (manager, requestId) => new RequestRepository(manager).lock(requestId).then(() => undefined),
      },
    );
    // Priority changes agreed in the escalations service are applied here, where the request lives.
    const consumer = rt.consumer();
    consumer.on(PriorityChangeApproved, (data, ctx) =>
      applyAgreedPriority(deps, transaction(ctx.manager, ctx.publish), data),
    );
    consumer.on(DisruptionResolved, (data, ctx) =>
      proposeDisruptionSolution(deps, transaction(ctx.manager, ctx.publish), data),
    );
    const reader = new RequestRepository(rt.dataSource.manager);
    const useCases = requestUseCases(deps, reader);
    const directory = directoryContextFactory(rt.dataSource, rt.clock, rt.uow);
    const knowledge = knowledgeContextFactory(rt.dataSource, rt.clock, (manager) => new RequestRepository(manager));
    return {
      createContext: (base) => {
        const dir = directory();
        return {
          ...base,
          reader,
          loaders: requestLoaders(reader, base.caller),
          directory: dir,
          knowledge: knowledge(),
          actor: actorOf(base.caller, dir, reader),
          useCases,
          now: rt.clock,
          status: () => rt.status(),
        };
      },
    };
  },
};

export const createRequestsService = (deps: ServiceDeps) => createSubgraphService(requestsDefinition, deps);

/** The rows of raci.csv this service carries and the permissions they grant (for the row-walk tests and docs/raci.md). */
export { RACI_ROWS, type RequestRaciRow } from './domain/raci-rows';
export {
  CONSULTED_ONLY,
  CONTRIBUTIONS,
  PERMISSION_OPERATION,
  REQUEST_PERMISSIONS,
  type RequestPermission,
} from './domain/permissions';
