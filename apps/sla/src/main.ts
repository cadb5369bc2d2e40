import { loadSubgraphConfig, orExit } from '@servicecenter/config';
import { createLogger } from '@servicecenter/logging';
import { runStandalone } from '@servicecenter/service';
import { createSlaService } from './service';

const config = orExit(() => loadSubgraphConfig('sla'));
void runStandalone(
  config,
  (transport, logger) => createSlaService({ config, transport, logger }),
  createLogger('sla', config.logLevel),
);
