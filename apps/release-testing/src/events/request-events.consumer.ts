import { inWaves, type EventConsumer } from '@servicecenter/platform-events';
import { CustomerSaved, REQUEST_EVENTS, RequestHandedOver, type RequestFacts } from '@servicecenter/contracts';
import { CustomerRelationRepository } from '../persistence/customer-relation.repository';
import { RequestRefRepository } from '../persistence/request-ref.repository';

/**
 * The request read model: defects link only requests the Service Center registered. Every
 * request event carries the request's facts after the change, so the newest version wins and
 * a late older one changes nothing; the inbox makes a redelivery a no-op. A backlog is
 * applied a set at a time: one upsert per wave (the n-th event of each request). Hand-overs
 * and the customers' relations are the visibility rule's facts (who may see a linked request).
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.onSet(REQUEST_EVENTS, async (items, { manager }) => {
    const requests = new RequestRefRepository(manager);
    for (const wave of inWaves(items, (item) => item.envelope.subject)) {
      await requests.applyAll(wave.map((item) => item.data as RequestFacts));
      await requests.handedOver(
        wave
          .filter((item) => item.contract.type === RequestHandedOver.type)
          .map((item) => {
            const data = item.data as RequestFacts & { target: string };
            return { requestId: data.requestId, toProductDevelopment: data.target === 'PRODUCT_DEVELOPMENT' };
          }),
      );
    }
  });
  consumer.on(CustomerSaved, async (data, ctx) => {
    await new CustomerRelationRepository(ctx.manager).save(data);
  });
}
