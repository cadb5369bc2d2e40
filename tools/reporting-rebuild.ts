import { loadSubgraphConfig, orExit } from '@servicecenter/platform-config';
import { createLogger } from '@servicecenter/platform-logging';
import { rebuildReportingReadModels } from '../apps/reporting/src/service';

/**
 * `npm run reporting:rebuild`: replays every event into shadow copies of the reporting read
 * models and swaps them in at the end (docs/reporting.md, "Rebuilding the read models").
 * With KAFKA_BROKERS: from the topics' beginning under a fresh consumer group, up to the
 * high-water marks taken at the start. Without: from the reporting service's event journal.
 * Database: REPORTING_DATABASE_URL, else DATABASE_URL (servicecenter_reporting is derived),
 * else the embedded PostgreSQL of a running `npm start` (127.0.0.1:54329).
 * The replay runs in pages (REPORTING_REBUILD_PAGE_EVENTS events per transaction, default
 * 5,000): reports answer from the old tables and the live consumer goes on until the final
 * catch-up and swap, one short transaction. A stopped rebuild leaves the live tables as they
 * were; run it again.
 */
async function main() {
  const env = { ...process.env };
  if (!env.REPORTING_DATABASE_URL && !env.DATABASE_URL)
    env.DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/postgres';
  const config = orExit(() => loadSubgraphConfig('reporting', env));
  const logger = createLogger('reporting-rebuild', config.logLevel);
  const pageEvents = env.REPORTING_REBUILD_PAGE_EVENTS ? Number(env.REPORTING_REBUILD_PAGE_EVENTS) : undefined;
  if (pageEvents !== undefined && !(Number.isInteger(pageEvents) && pageEvents > 0)) {
    console.error(
      `REPORTING_REBUILD_PAGE_EVENTS must be a positive whole number, not ${env.REPORTING_REBUILD_PAGE_EVENTS}`,
    );
    process.exit(1);
  }
  const started = Date.now();
  const result = await rebuildReportingReadModels(
    { config, logger },
    {
      pageEvents,
      onPage: ({ pages, eventsReplayed }) => {
        if (pages % 20 === 0) console.log(`  ${eventsReplayed} events replayed in ${pages} pages`);
      },
    },
  );
  console.log(
    `Rebuilt the reporting read models from the ${result.source === 'kafka' ? 'topics (Kafka)' : 'event journal'}: ` +
      `${result.eventsReplayed} events replayed, ${result.eventsSkipped} skipped, in ${result.pages} transactions, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
