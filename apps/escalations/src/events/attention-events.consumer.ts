import type { EventConsumer, EventItem } from '@servicecenter/platform-events';
import { CustomerSaved } from '@servicecenter/contracts';
import type { EntityManager } from 'typeorm';
import { CustomerRelationRepository } from '../persistence/attention.repository';
import { applyRequestSet } from './request-events.consumer';

/**
 * The read models behind the attention list: customer → service manager from the directory's
 * customer.saved events here; per request and SLA target the highest warning and the breach
 * from the SLA service's events, which the request events' set handler applies with the
 * request facts (request-events.consumer.ts). The consumer's inbox makes a redelivered event a
 * no-op.
 */
export function registerAttentionEventHandlers(consumer: EventConsumer): void {
  consumer.on(CustomerSaved, async (data, ctx) => {
    await new CustomerRelationRepository(ctx.manager).save(data);
  });
}

/**
 * SLA warnings and breaches, a set at a time (the SLA scan publishes hundreds at once): at most
 * two upserts for the whole set, and the risks of the requests the read model shows closed are
 * cleared (a late warning of a closed request), the same state as applying them one by one.
 */
export function applySlaRisks(manager: EntityManager, items: readonly EventItem[]): Promise<void> {
  return applyRequestSet(manager, items);
}
