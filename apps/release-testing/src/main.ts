import { loadSubgraphConfig, orExit } from '@servicecenter/config';
import { createLogger } from '@servicecenter/logging';
import { runStandalone } from '@servicecenter/service';
import { createReleaseTestingService } from './service';

const config = orExit(() => loadSubgraphConfig('release-testing'));
void runStandalone(
  config,
  (transport, logger) => createReleaseTestingService({ config, transport, logger }),
  createLogger('release-testing', config.logLevel),
);
