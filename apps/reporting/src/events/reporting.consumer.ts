import type { EventConsumer } from '@servicecenter/platform-events';
import { REPORTING_CONTRACTS, projectEvents } from './projections';

/**
 * The live path: every event the read models need, through the service's consumer (its inbox
 * makes a redelivery a no-op), recorded in the journal and projected in the same transaction.
 * A set handler: a backlog is applied a batch at a time with a few multi-row statements.
 */
export function registerReportingHandlers(consumer: EventConsumer): void {
  consumer.onSet(REPORTING_CONTRACTS, async (items, { manager }) => {
    await projectEvents(
      manager,
      items.map(({ contract, envelope, data }) => ({ envelope, topic: contract.topic, data })),
      { replay: false },
    );
  });
}
