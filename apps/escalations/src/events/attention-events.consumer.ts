import { inWaves, type EventConsumer, type EventItem } from '@servicecenter/platform-events';
import { CustomerSaved, SlaBreached, SlaWarningReached, type PayloadOf } from '@servicecenter/contracts';
import type { EntityManager } from 'typeorm';
import { CustomerRelationRepository, SlaRiskRepository, type SlaReached } from '../persistence/attention.repository';

/**
 * The read models behind the attention list: customer → service manager from the directory's
 * customer.saved events, and per request and SLA target the highest warning and the breach
 * from the SLA service. The consumer's inbox makes a redelivered event a no-op.
 */
export function registerAttentionEventHandlers(consumer: EventConsumer): void {
  consumer.on(CustomerSaved, async (data, ctx) => {
    await new CustomerRelationRepository(ctx.manager).save(data);
  });
  consumer.onSet([SlaWarningReached, SlaBreached], (items, { manager }) => applySlaRisks(manager, items));
}

/**
 * SLA warnings and breaches, a set at a time (the SLA scan publishes hundreds at once): one
 * upsert per wave (the n-th event of each request target, in order), then the risks of the
 * requests the read model shows closed are cleared (a late warning of a closed request), the
 * same state as applying them one by one.
 */
export async function applySlaRisks(manager: EntityManager, items: readonly EventItem[]): Promise<void> {
  const reached = items.map((item): SlaReached => {
    if (item.contract.type === SlaBreached.type) {
      const data = item.data as PayloadOf<typeof SlaBreached>;
      return { ...target(data), threshold: 1, breached: true, at: data.breachedAt };
    }
    const data = item.data as PayloadOf<typeof SlaWarningReached>;
    return { ...target(data), threshold: data.threshold, breached: false, at: data.reachedAt };
  });
  const risks = new SlaRiskRepository(manager);
  for (const wave of inWaves(reached, (r) => `${r.requestId}/${r.kind}`)) await risks.reached(wave);
  await risks.clearIfClosed(...new Set(reached.map((r) => r.requestId)));
}

const target = (data: { requestId: string; kind: SlaReached['kind']; dueAt: string }) => ({
  requestId: data.requestId,
  kind: data.kind,
  dueAt: data.dueAt,
});
