import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import { createSubgraphService, type ServiceDeps, type SubgraphDefinition } from '@servicecenter/platform-service';
import {
  releaseTestingLoaders,
  requestVisibilityLoader,
  type ReleaseTestingContext,
  type Repositories,
} from './context';
import type { ReleaseTestingDeps, ReleaseTestingTransaction } from './domain/ports';
import { releaseUseCases } from './domain/release-use-cases';
import { runUseCases } from './domain/run-use-cases';
import { registerDirectoryEventHandlers } from './events/directory-events.consumer';
import { registerRequestEventHandlers } from './events/request-events.consumer';
import { migrations } from './migrations';
import { DecisionRepository, ReleaseRepository } from './persistence/release.repository';
import { PersonRefRepository } from './persistence/person-ref.repository';
import { ProductRefRepository } from './persistence/product-ref.repository';
import { RequestRefRepository } from './persistence/request-ref.repository';
import { DefectRepository, PlanRepository, RunRepository } from './persistence/test.repository';
import { resolvers } from './resolvers';
import { loadReleaseTestingSettings } from './settings';

const repositories = (manager: EntityManager): Repositories => ({
  releases: new ReleaseRepository(manager),
  decisions: new DecisionRepository(manager),
  plans: new PlanRepository(manager),
  runs: new RunRepository(manager),
  defects: new DefectRepository(manager),
});

export const releaseTestingDefinition: SubgraphDefinition<ReleaseTestingContext> = {
  name: 'release-testing',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  // The repositories speak SQL; the tables come from the migrations.
  entities: [],
  migrations,
  setup(rt) {
    const settings = loadReleaseTestingSettings(rt.config.source);
    const consumer = rt.consumer();
    registerRequestEventHandlers(consumer);
    registerDirectoryEventHandlers(consumer);
    const deps: ReleaseTestingDeps = {
      uow: {
        run: (meta, work) =>
          rt.uow.run(meta, (tx) =>
            work({
              ...repositories(tx.manager),
              requests: new RequestRefRepository(tx.manager),
              products: new ProductRefRepository(tx.manager),
              people: new PersonRefRepository(tx.manager),
              publish: tx.publish,
            } satisfies ReleaseTestingTransaction),
          ),
      },
      now: rt.clock,
      newId: randomUUID,
      minCoveragePercent: settings.minCoveragePercent,
    };
    const releases = releaseUseCases(deps);
    const runs = runUseCases(deps);
    const repos = repositories(rt.dataSource.manager);
    const requestRefs = new RequestRefRepository(rt.dataSource.manager);
    return {
      createContext: (base) => ({
        ...base,
        repos,
        loaders: releaseTestingLoaders(repos),
        releaseUseCases: releases,
        runUseCases: runs,
        minCoveragePercent: settings.minCoveragePercent,
        requestVisible: requestVisibilityLoader(requestRefs, base.caller),
        status: () => rt.status(),
      }),
    };
  },
};

export const createReleaseTestingService = (deps: ServiceDeps) => createSubgraphService(releaseTestingDefinition, deps);
