import { loadSubgraphConfig, orExit } from '@servicecenter/config';
import { createLogger } from '@servicecenter/logging';
import { runStandalone } from '@servicecenter/service';
import { createRequestsService } from './service';

const config = orExit(() => loadSubgraphConfig('requests'));
void runStandalone(
  config,
  (transport, logger) => createRequestsService({ config, transport, logger }),
  createLogger('requests', config.logLevel),
);
