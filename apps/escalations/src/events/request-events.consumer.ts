import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventConsumer, EventItem, SetHandlerContext } from '@servicecenter/platform-events';
import {
  REQUEST_EVENTS,
  SlaBreached,
  SlaWarningReached,
  type EventContract,
  type PayloadOf,
  RequestHandedOver,
  RequestPrioritised,
  RequestProductDevelopmentAnswered,
  RequestProductDevelopmentAsked,
  RequestReplied,
  type RequestFacts,
} from '@servicecenter/contracts';
import { notificationCreated, notificationsFor, type Notification } from '../domain/notify';
import { NotificationRepository } from '../persistence/notification.repository';
import { SlaRiskRepository, type SlaReached } from '../persistence/attention.repository';
import { AskRepository, RequestViewRepository } from '../persistence/escalation.repository';
import { planRisks, requestsNeedingStoredFacts, type SetEvent } from './request-set';

type Facts = RequestFacts & Record<string, unknown>;

/** The SLA service's events that move the SLA risk read model (the attention list). */
export const SLA_RISK_EVENTS: readonly EventContract[] = [SlaWarningReached, SlaBreached];

/**
 * The request read model ("no request, no escalation") and the SLA risks beside it: every
 * request event carries the request's facts after the change, so the newest version wins and
 * older ones arriving late change nothing; SLA warnings and breaches raise their request
 * target's risk, and a closed request has none. The consumer's inbox makes a redelivered event a
 * no-op. Both kinds are one set handler, so a backlog that interleaves them (an import) is
 * applied a set at a time with a few statements, not a few per event or per wave.
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.onSet([...REQUEST_EVENTS, ...SLA_RISK_EVENTS], (items, { manager, publish }) =>
    applyRequestSet(manager, items, publish),
  );
}

/**
 * Applies request events and SLA warnings/breaches (in delivery order) as applying them one by
 * one would: product development's notifications, the request facts (one upsert), the risks'
 * clearing and upserts as request-set.ts works them out (reading the stored facts of the
 * requests whose clearing depends on them), the priority asks that took effect (one update).
 */
export async function applyRequestSet(
  manager: EntityManager,
  items: readonly EventItem[],
  publish: SetHandlerContext['publish'] = () => undefined,
): Promise<void> {
  const made: Notification[] = [];
  const events: SetEvent[] = [];
  const facts: { facts: Facts; publicUpdateAt: string | null }[] = [];
  const prioritised: { requestId: string; priority: string; at: string }[] = [];
  for (const item of items) {
    const type = item.contract.type;
    if (type === SlaBreached.type || type === SlaWarningReached.type) {
      const risk = reachedOf(item);
      events.push({ requestId: risk.requestId, risk });
      continue;
    }
    const f = item.data as Facts;
    const notifications = productDevelopmentNotifications(type, f);
    made.push(...notifications);
    if (notifications.length > 0) publish(item.envelope, ...notifications.map(notificationCreated));
    events.push({ requestId: f.requestId, facts: { version: f.version, status: f.status } });
    const publicUpdate = type === RequestReplied.type && f['visibility'] === 'PUBLIC' && f['side'] === 'SERVICE_CENTER';
    facts.push({ facts: f, publicUpdateAt: publicUpdate ? f.occurredAt : null });
    if (type === RequestPrioritised.type && f.priority)
      prioritised.push({ requestId: f.requestId, priority: f.priority, at: f.occurredAt });
  }
  const view = new RequestViewRepository(manager);
  const risks = new SlaRiskRepository(manager);
  // Read before the facts change: the clearing depends on the facts each event saw.
  const stored = await view.lockFacts(requestsNeedingStoredFacts(events));
  const plan = planRisks(events, stored);
  await new NotificationRepository(manager).insertAll(made);
  await view.applyFacts(facts);
  await new AskRepository(manager).markTookEffect(prioritised);
  await risks.clear(plan.reset);
  for (const wave of plan.waves) await risks.reached(wave);
}

function reachedOf(item: EventItem): SlaReached {
  if (item.contract.type === SlaBreached.type) {
    const data = item.data as PayloadOf<typeof SlaBreached>;
    return { ...target(data), threshold: 1, breached: true, at: data.breachedAt };
  }
  const data = item.data as PayloadOf<typeof SlaWarningReached>;
  return { ...target(data), threshold: data.threshold, breached: false, at: data.reachedAt };
}

const target = (data: { requestId: string; kind: SlaReached['kind']; dueAt: string }) => ({
  requestId: data.requestId,
  kind: data.kind,
  dueAt: data.dueAt,
});

/**
 * The requests service's steps whose RACI Informed or Consulted are product development
 * (raci.csv rows 24, 43 and 71): a notification each, in the consumer's transaction (its
 * inbox applies a redelivered event once). Product development reads every request given
 * to it, whatever the customer, so the notifications name no subject customer.
 */
function productDevelopmentNotifications(type: string, facts: Facts): Notification[] {
  // Most events are none of these: nothing is built for them.
  const handedOver = type === RequestHandedOver.type && facts['target'] === 'PRODUCT_DEVELOPMENT';
  if (!handedOver && type !== RequestProductDevelopmentAsked.type && type !== RequestProductDevelopmentAnswered.type)
    return [];
  const base = {
    link: `request:${facts.requestId}`,
    subjectCustomerId: null,
    now: new Date(facts.occurredAt),
    newId: randomUUID,
  };
  if (handedOver)
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
