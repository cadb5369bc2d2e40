import type { EventConsumer } from '@servicecenter/platform-events';
import { CustomerSaved, REQUEST_EVENTS, RequestHandedOver, type RequestFacts } from '@servicecenter/contracts';
import { CustomerRelationRepository } from '../persistence/customer-relation.repository';
import { RequestRefRepository } from '../persistence/request-ref.repository';

/**
 * The request read model: defects link only requests the Service Center registered. Every
 * request event carries the request's facts after the change, so the newest version wins and
 * a late older one changes nothing; the inbox makes a redelivery a no-op. A set (a backlog, an
 * import) is compacted per request first: its newest facts in one upsert and its last hand-over
 * in one update, two statements whatever the set holds. Hand-overs and the customers'
 * relations are the visibility rule's facts (who may see a linked request).
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.onSet(REQUEST_EVENTS, async (items, { manager }) => {
    const { facts, handovers } = compactRequestSet(items);
    const requests = new RequestRefRepository(manager);
    await requests.applyAll(facts);
    await requests.handedOver(handovers);
  });
  consumer.on(CustomerSaved, async (data, ctx) => {
    await new CustomerRelationRepository(ctx.manager).save(data);
  });
}

/**
 * A set of request events as what it leaves behind: per request the facts of its newest
 * version, and whether its last hand-over in the set went to product development. Applying
 * these once gives the same read model as applying the events one by one.
 */
export function compactRequestSet(items: readonly { contract: { type: string }; data: unknown }[]): {
  facts: RequestFacts[];
  handovers: { requestId: string; toProductDevelopment: boolean }[];
} {
  const newest = new Map<string, RequestFacts>();
  const handedOver = new Map<string, boolean>();
  for (const item of items) {
    const facts = item.data as RequestFacts;
    const seen = newest.get(facts.requestId);
    if (!seen || seen.version < facts.version) newest.set(facts.requestId, facts);
    if (item.contract.type === RequestHandedOver.type)
      handedOver.set(facts.requestId, (item.data as { target: string }).target === 'PRODUCT_DEVELOPMENT');
  }
  return {
    facts: [...newest.values()],
    handovers: [...handedOver].map(([requestId, toProductDevelopment]) => ({ requestId, toProductDevelopment })),
  };
}
