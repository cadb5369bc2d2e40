import type { EventConsumer } from '@servicecenter/events';
import { RequestRegistered } from '@servicecenter/contracts';
import { onRequestRegistered } from '../domain/request-sla';
import { RequestSlaRepository } from '../persistence/request-sla.repository';

/** The SLA service follows requests through their events, never through their database. */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.on(RequestRegistered, (data, ctx) => onRequestRegistered(new RequestSlaRepository(ctx.manager), data));
}
