import type { EventConsumer } from '@servicecenter/events';
import { REPORTING_CONTRACTS, projectEvent } from './projections';

/**
 * The live path: every event the read models need, through the service's consumer (its inbox
 * makes a redelivery a no-op), recorded in the journal and projected in the same transaction.
 */
export function registerReportingHandlers(consumer: EventConsumer): void {
  for (const contract of REPORTING_CONTRACTS) {
    consumer.on(contract, async (data, ctx) => {
      await projectEvent(ctx.manager, ctx.envelope, contract.topic, data, { replay: false });
    });
  }
}
