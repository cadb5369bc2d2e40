import { loadSubgraphConfig, orExit } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { rebuildReportingReadModels } from '../apps/reporting/src/service';

/**
 * `npm run reporting:rebuild`: truncates the reporting read models and replays every event.
 * With KAFKA_BROKERS: from the topics' beginning under a fresh consumer group, up to the
 * high-water marks taken at the start. Without: from the reporting service's event journal.
 * Database: REPORTING_DATABASE_URL, else DATABASE_URL (servicecenter_reporting is derived),
 * else the embedded PostgreSQL of a running `npm start` (127.0.0.1:54329).
 * The replay runs in one transaction: reports answer from the old tables until it commits,
 * and the live consumer waits on the journal lock meanwhile.
 */
async function main() {
  const env = { ...process.env };
  if (!env.REPORTING_DATABASE_URL && !env.DATABASE_URL)
    env.DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/postgres';
  const config = orExit(() => loadSubgraphConfig('reporting', env));
  const logger = createLogger('reporting-rebuild', config.logLevel);
  const started = Date.now();
  const result = await rebuildReportingReadModels({ config, logger });
  console.log(
    `Rebuilt the reporting read models from the ${result.source === 'kafka' ? 'topics (Kafka)' : 'event journal'}: ` +
      `${result.eventsReplayed} events replayed, ${result.eventsSkipped} skipped, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
