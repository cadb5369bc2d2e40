import { RequestHandedOver, RequestRegistered, RequestUpdated } from '@servicecenter/contracts';
import { compactRequestSet } from './request-events.consumer';

const item = (type: string, requestId: string, version: number, extra: Record<string, unknown> = {}) => ({
  contract: { type },
  data: { requestId, version, number: `2026-${requestId}`, customerId: 'c-1', productId: 'p-1', ...extra },
});

describe('a set of request events for the release-testing request model', () => {
  it('leaves per request its newest facts and where its last hand-over went, whatever the order of versions', () => {
    const { facts, handovers } = compactRequestSet([
      item(RequestRegistered.type, 'a', 1),
      item(RequestHandedOver.type, 'a', 2, { target: 'PRODUCT_DEVELOPMENT' }),
      item(RequestRegistered.type, 'b', 1),
      item(RequestUpdated.type, 'a', 4, { productId: 'p-2' }),
      item(RequestHandedOver.type, 'a', 3, { target: 'CONSULTING' }),
      item(RequestHandedOver.type, 'b', 2, { target: 'PRODUCT_DEVELOPMENT' }),
    ]);
    expect(facts.map((f) => [f.requestId, f.version, f.productId])).toEqual([
      ['a', 4, 'p-2'],
      ['b', 2, 'p-1'],
    ]);
    expect(handovers).toEqual([
      { requestId: 'a', toProductDevelopment: false },
      { requestId: 'b', toProductDevelopment: true },
    ]);
  });
});
