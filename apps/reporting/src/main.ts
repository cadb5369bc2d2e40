// First: tracing (when the OTEL_* variables ask for it) must patch http, express, graphql and pg before they load.
import '@servicecenter/platform-telemetry/register';
import { loadSubgraphConfig, orExit } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { runStandalone } from '@servicecenter/platform-service';
import { createReportingService } from './service';

const config = orExit(() => loadSubgraphConfig('reporting'));
void runStandalone(
  config,
  (transport, logger) => createReportingService({ config, transport, logger }),
  createLogger('reporting', config.logLevel),
);
