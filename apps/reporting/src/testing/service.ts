import { loadSubgraphConfig } from '@servicecenter/platform-config';
import type { Clock, EventTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService, type SubgraphService } from '@servicecenter/platform-service';
import { reportingDefinition } from '../service';

/** The reporting service on a test database, started (random port, silent, the given clock). */
export async function startReportingService(
  databaseUrl: string,
  transport: EventTransport,
  clock: Clock,
): Promise<SubgraphService> {
  const config = {
    ...loadSubgraphConfig('reporting', { NODE_ENV: 'test', REPORTING_DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }),
    port: 0,
  };
  const service = createSubgraphService(reportingDefinition, { config, transport, logger: silentLogger, clock });
  await service.start();
  return service;
}
