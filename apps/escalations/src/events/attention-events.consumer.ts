import type { EventConsumer } from '@servicecenter/platform-events';
import { CustomerSaved, SlaBreached, SlaWarningReached } from '@servicecenter/contracts';
import { CustomerRelationRepository, SlaRiskRepository } from '../persistence/attention.repository';

/**
 * The read models behind the attention list: customer → service manager from the directory's
 * customer.saved events, and per request and SLA target the highest warning and the breach
 * from the SLA service. The consumer's inbox makes a redelivered event a no-op.
 */
export function registerAttentionEventHandlers(consumer: EventConsumer): void {
  consumer.on(CustomerSaved, async (data, ctx) => {
    await new CustomerRelationRepository(ctx.manager).save(data);
  });
  consumer.on(SlaWarningReached, async (data, ctx) => {
    const risks = new SlaRiskRepository(ctx.manager);
    await risks.warned(data.requestId, data.kind, data.threshold, data.dueAt, data.reachedAt);
    await risks.clearIfClosed(data.requestId); // a late warning of a closed request
  });
  consumer.on(SlaBreached, async (data, ctx) => {
    const risks = new SlaRiskRepository(ctx.manager);
    await risks.breached(data.requestId, data.kind, data.dueAt, data.breachedAt);
    await risks.clearIfClosed(data.requestId);
  });
}
