import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { InProcessTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import type { SubgraphService } from '@servicecenter/platform-service';
import { DAY } from '@servicecenter/testing';
import { createSlaService } from '../service';

/**
 * The SLA service on a test database (migrations run), on a free port, with its own scanner
 * and timers polling once a day: after the poll at start they idle and the spec drives them.
 */
export async function startSlaService(databaseUrl: string, clock?: () => Date): Promise<SubgraphService> {
  const config = {
    ...loadSubgraphConfig('sla', {
      NODE_ENV: 'test',
      SLA_DATABASE_URL: databaseUrl,
      TIMER_POLL_MS: String(DAY),
      LOG_LEVEL: 'silent',
    }),
    port: 0,
  };
  const service = createSlaService({ config, transport: new InProcessTransport(), logger: silentLogger, clock });
  await service.start();
  return service;
}
