import type { EventConsumer } from '@servicecenter/events';
import { REQUEST_EVENTS, type RequestFacts } from '@servicecenter/contracts';
import { RequestRefRepository } from '../persistence/request-ref.repository';

/**
 * The request read model: defects link only requests the Service Center registered. Every
 * request event carries the request's facts after the change, so the newest version wins and
 * a late older one changes nothing; the inbox makes a redelivery a no-op.
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  for (const contract of REQUEST_EVENTS) {
    consumer.on(contract, async (data, ctx) => {
      await new RequestRefRepository(ctx.manager).apply(data as RequestFacts);
    });
  }
}
