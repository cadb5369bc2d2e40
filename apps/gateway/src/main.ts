// First: tracing (when the OTEL_* variables ask for it) must patch http, express, graphql and pg before they load.
import '@servicecenter/platform-telemetry/register';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orExit } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { shutdownTracing } from '@servicecenter/platform-telemetry';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';

/** Production gateway: serves the committed, composed supergraph (npm run compose). */
async function main() {
  const config = orExit(() => loadGatewayConfig());
  const logger = createLogger('gateway', config.logLevel);
  const file = config.supergraphFile ?? join(__dirname, '../../../infra/supergraph/supergraph.graphql');
  const gateway = await startGateway({ config, supergraphSdl: readFileSync(file, 'utf8'), logger });
  logger.info({ url: gateway.url }, 'gateway ready');
  const stop = () =>
    void gateway
      .stop()
      .then(() => shutdownTracing())
      .finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
