// First: tracing (when the OTEL_* variables ask for it) must patch http, express, graphql and pg before they load.
import '@servicecenter/platform-telemetry/register';
import { ConfigError } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { shutdownTracing } from '@servicecenter/platform-telemetry';
import { startStack } from './stack';

/** `npm start`: the whole graph on this machine, nothing to install but Node. */
async function main() {
  const logger = createLogger('stack');
  const started = Date.now();
  const stack = await startStack({ logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the Service Center graph');
    await stack.stop();
    await shutdownTracing();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  logger.info({ startupMs: Date.now() - started, transport: stack.transport.kind }, 'Service Center graph ready');
  console.log(
    `\n  Service Center graph ready at ${stack.gatewayUrl}\n  Development token: npm run token -- --role support_consultant\n`,
  );
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
