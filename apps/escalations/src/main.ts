import { loadSubgraphConfig, orExit } from '@servicecenter/config';
import { createLogger } from '@servicecenter/logging';
import { runStandalone } from '@servicecenter/service';
import { createEscalationsService } from './service';

const config = orExit(() => loadSubgraphConfig('escalations'));
void runStandalone(
  config,
  (transport, logger) => createEscalationsService({ config, transport, logger }),
  createLogger('escalations', config.logLevel),
);
