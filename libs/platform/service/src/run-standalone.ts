import type { SubgraphConfig } from '@servicecenter/platform-config';
import { ConfigError, envPrefix } from '@servicecenter/platform-config';
import type { EventTransport } from '@servicecenter/platform-events';
import type { Logger } from '@servicecenter/platform-logging';
import { shutdownTracing } from '@servicecenter/platform-telemetry';
import type { Service } from './service';
import { createTransport } from './transport-factory';

/**
 * main.ts of every subgraph: one service per process (production, docker, the
 * infrastructure tests). Needs a database URL; SIGINT/SIGTERM drain and stop it.
 */
export async function runStandalone(
  config: SubgraphConfig,
  create: (transport: EventTransport, logger: Logger) => Service,
  logger: Logger,
): Promise<void> {
  if (!config.databaseUrl && !config.serverUrl) {
    const error = new ConfigError([
      {
        variable: `${envPrefix(config.service)}_DATABASE_URL`,
        problem:
          'required (or DATABASE_URL) when a service runs on its own; `npm start` runs everything on an embedded PostgreSQL',
      },
    ]);
    console.error(error.message);
    process.exit(1);
  }
  const transport = createTransport({
    kafkaBrokers: config.kafkaBrokers,
    clientId: `servicecenter-${config.service}`,
    logger,
  });
  const service = create(transport, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await service.stop();
      await transport.stop();
      await shutdownTracing();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await transport.start();
    const { url } = await service.start();
    logger.info({ url, transport: transport.kind }, `${service.name} ready`);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
