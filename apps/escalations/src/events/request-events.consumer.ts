import { randomUUID } from 'node:crypto';
import { inWaves, type EventConsumer } from '@servicecenter/platform-events';
import {
  REQUEST_EVENTS,
  RequestHandedOver,
  RequestPrioritised,
  RequestProductDevelopmentAnswered,
  RequestProductDevelopmentAsked,
  RequestReplied,
  type RequestFacts,
} from '@servicecenter/contracts';
import { notificationCreated, notificationsFor, type Notification } from '../domain/notify';
import { NotificationRepository } from '../persistence/notification.repository';
import { SlaRiskRepository } from '../persistence/attention.repository';
import { AskRepository, RequestViewRepository } from '../persistence/escalation.repository';

type Facts = RequestFacts & Record<string, unknown>;

/**
 * The request read model ("no request, no escalation"): every request event carries the
 * request's facts after the change, so the newest version wins and older ones arriving late
 * change nothing. The consumer's inbox makes a redelivered event a no-op. A backlog is applied
 * a set at a time: a few statements per wave (the n-th event of each request), not per event.
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.onSet(REQUEST_EVENTS, async (items, { manager, publish }) => {
    const made: Notification[] = [];
    for (const item of items) {
      const notifications = productDevelopmentNotifications(item.contract.type, item.data as Facts);
      made.push(...notifications);
      if (notifications.length > 0) publish(item.envelope, ...notifications.map(notificationCreated));
    }
    await new NotificationRepository(manager).insertAll(made);
    const view = new RequestViewRepository(manager);
    for (const wave of inWaves(items, (item) => item.envelope.subject)) {
      const events = wave.map((item) => ({ type: item.contract.type, facts: item.data as Facts }));
      await view.applyFacts(events.map((e) => e.facts));
      // Only a closing event can close the read model's request (SLA events clear late risks themselves).
      await new SlaRiskRepository(manager).clearIfClosed(
        ...events.filter((e) => e.facts.status === 'CLOSED').map((e) => e.facts.requestId),
      );
      await view.markPublicUpdates(
        events
          .filter(
            (e) =>
              e.type === RequestReplied.type &&
              e.facts['visibility'] === 'PUBLIC' &&
              e.facts['side'] === 'SERVICE_CENTER',
          )
          .map((e) => ({ requestId: e.facts.requestId, at: e.facts.occurredAt })),
      );
      await new AskRepository(manager).markTookEffect(
        events
          .filter((e) => e.type === RequestPrioritised.type && e.facts.priority)
          .map((e) => ({ requestId: e.facts.requestId, priority: e.facts.priority as string, at: e.facts.occurredAt })),
      );
    }
  });
}

/**
 * The requests service's steps whose RACI Informed or Consulted are product development
 * (raci.csv rows 24, 43 and 71): a notification each, in the consumer's transaction (its
 * inbox applies a redelivered event once). Product development reads every request given
 * to it, whatever the customer, so the notifications name no subject customer.
 */
function productDevelopmentNotifications(type: string, facts: Facts): Notification[] {
  const base = {
    link: `request:${facts.requestId}`,
    subjectCustomerId: null,
    now: new Date(facts.occurredAt),
    newId: randomUUID,
  };
  if (type === RequestHandedOver.type && facts['target'] === 'PRODUCT_DEVELOPMENT')
    return notificationsFor('HANDED_OVER_TO_PRODUCT_DEVELOPMENT', {
      ...base,
      customerIds: [facts.customerId],
      internal: {
        title: `${facts.number} handed over to product development`,
        message: `Request ${facts.number} (${facts.type.toLowerCase().replace('_', ' ')}) was handed over to product development: link a change to it (linkChange) and write to the desk in the request.`,
      },
      customer: {
        title: `${facts.number} is with product development`,
        message: `Your request ${facts.number} was handed over to product development. We will let you know when a change is planned.`,
      },
    });
  if (type === RequestProductDevelopmentAsked.type)
    return notificationsFor('PRODUCT_DEVELOPMENT_ASKED', {
      ...base,
      internal: {
        title: `Question from the Service Center on ${facts.number}`,
        message: String(facts['question'] ?? ''),
      },
    });
  if (type === RequestProductDevelopmentAnswered.type)
    return notificationsFor('PRODUCT_DEVELOPMENT_ANSWERED', {
      ...base,
      askerId: String(facts['askedBy']),
      internal: {
        title: `Product development answered on ${facts.number}`,
        message: `The PD change coordinator answered your question on ${facts.number}: read it in the request's replies.`,
      },
    });
  return [];
}
