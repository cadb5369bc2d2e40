import { join } from 'node:path';
import { createJwtVerifier } from '@servicecenter/platform-auth';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import { InProcessTransport } from '@servicecenter/platform-events';
import {
  ServiceRuntime,
  createSubgraphService,
  type ServiceDeps,
  type SubgraphDefinition,
} from '@servicecenter/platform-service';
import type { ReportingContext } from './context';
import { ReportQueries } from './domain/report-queries';
import { rebuildFromJournal, rebuildFromKafka, type RebuildOptions, type RebuildResult } from './events/rebuild';
import { registerReportingHandlers } from './events/reporting.consumer';
import { syncRollupZone } from './persistence/rollups';
import { migrations } from './migrations';
import { ReportReader } from './persistence/report.reader';
import { resolvers } from './resolvers';
import { reviewRoutes } from './review/review-routes';
import { loadReportingSettings } from './settings';

export const reportingDefinition: SubgraphDefinition<ReportingContext> = {
  name: 'reporting',
  typeDefs: loadSchemaFile(join(__dirname, 'schema')),
  resolvers,
  entities: [],
  migrations,
  async setup(rt) {
    const settings = loadReportingSettings(rt.config.source);
    // The day counters are kept in the report time zone; recounted if it changed since.
    if (await syncRollupZone(rt.dataSource.manager, settings.timeZone))
      rt.logger.info({ zone: settings.timeZone }, 'recounted the report rollups in the report time zone');
    // Read models built only from the other services' events (never their databases).
    registerReportingHandlers(rt.consumer());
    if (!settings.jwt)
      rt.logger.warn(
        'the review page is off: set JWT_SECRET or JWT_JWKS_URL on the reporting service (production refuses the development secret)',
      );
    const reports = new ReportQueries(
      new ReportReader(rt.dataSource.manager, settings.timeZone),
      settings.timeZone,
      rt.clock,
    );
    return {
      createContext: (base) => ({ ...base, reports, status: () => rt.status() }),
      extendApp: reviewRoutes({
        verify: settings.jwt ? createJwtVerifier(settings.jwt) : undefined,
        reports: () => reports,
        zone: settings.timeZone,
        logger: rt.logger,
      }),
    };
  },
};

export const createReportingService = (deps: ServiceDeps) => createSubgraphService(reportingDefinition, deps);

/**
 * `npm run reporting:rebuild`: replays every event into shadow copies of the read models, in
 * pages, and swaps them in at the end (events/rebuild.ts), from the topics' beginning when
 * KAFKA_BROKERS is set, otherwise from the journal (embedded mode has no broker log; the
 * journal is the reporting service's durable copy of the topics).
 */
export async function rebuildReportingReadModels(
  deps: Pick<ServiceDeps, 'config' | 'logger'>,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const runtime = await ServiceRuntime.open({
    config: deps.config,
    entities: [],
    migrations,
    transport: new InProcessTransport(),
    logger: deps.logger,
  });
  try {
    const brokers = deps.config.kafkaBrokers ?? [];
    return brokers.length > 0
      ? await rebuildFromKafka(runtime.dataSource, brokers, options)
      : await rebuildFromJournal(runtime.dataSource, options);
  } finally {
    await runtime.stop();
  }
}

/** The RACI rows this service carries (for the row-walk tests and docs/raci.md). */
export { RACI_ROWS as REPORTING_RACI_ROWS } from './domain/raci-rows';
