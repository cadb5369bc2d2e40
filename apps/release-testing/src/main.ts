// First: tracing (when the OTEL_* variables ask for it) must patch http, express, graphql and pg before they load.
import '@servicecenter/platform-telemetry/register';
import { loadSubgraphConfig, orExit } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { runStandalone } from '@servicecenter/platform-service';
import { createReleaseTestingService } from './service';

const config = orExit(() => loadSubgraphConfig('release-testing'));
void runStandalone(
  config,
  (transport, logger) => createReleaseTestingService({ config, transport, logger }),
  createLogger('release-testing', config.logLevel),
);
