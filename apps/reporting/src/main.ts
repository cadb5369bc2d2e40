import { loadSubgraphConfig, orExit } from '@servicecenter/config';
import { createLogger } from '@servicecenter/logging';
import { runStandalone } from '@servicecenter/service';
import { createReportingService } from './service';

const config = orExit(() => loadSubgraphConfig('reporting'));
void runStandalone(
  config,
  (transport, logger) => createReportingService({ config, transport, logger }),
  createLogger('reporting', config.logLevel),
);
