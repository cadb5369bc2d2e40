import type { Role } from '@servicecenter/platform-auth';
import { NotificationCreated } from '@servicecenter/contracts';
import { event, type NewEvent } from '@servicecenter/platform-events';
import { INFORMED, type NotificationKind } from './notifications';

export interface Notification {
  id: string;
  recipientPersonId: string | null;
  recipientRole: Role | null;
  /** Role customer: the customer organisation whose users are informed. */
  recipientCustomerId: string | null;
  /**
   * The customer it is about: staff read it only if the visibility rule lets them see that
   * customer. Null for product-wide news (disruption notices), read by every informed role.
   */
  subjectCustomerId: string | null;
  kind: NotificationKind;
  title: string;
  message: string;
  /** `escalation:<id>`, `disruption:<id>` or `request:<id>` */
  link: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationText {
  title: string;
  message: string;
}

export interface NotifyFacts {
  link: string;
  /** The one customer the step is about; null when it concerns a product (a disruption notice). */
  subjectCustomerId: string | null;
  /** The customer organisations concerned (for the role customer). */
  customerIds?: readonly string[];
  /** The service manager who asked (steps with `asker`). */
  askerId?: string | null;
  /** For internal roles and persons. */
  internal: NotificationText;
  /** For customers: only what they may know. Required when the step informs the customer. */
  customer?: NotificationText;
}

/** The notification records of one step: one per informed internal role, per customer organisation, and the asker. */
export function notificationsFor(
  kind: NotificationKind,
  facts: NotifyFacts & { now: Date; newId: () => string },
): Notification[] {
  const step = INFORMED[kind];
  const base = (text: NotificationText) => ({
    kind,
    title: text.title,
    message: text.message,
    link: facts.link,
    subjectCustomerId: facts.subjectCustomerId,
    createdAt: facts.now,
    readAt: null,
  });
  const out: Notification[] = [];
  const consulted: readonly Role[] = 'consulted' in step ? step.consulted : [];
  for (const role of [...(step.informed as readonly Role[]), ...consulted]) {
    if (role === 'customer') {
      if (!facts.customer) throw new Error(`${kind} informs the customer: give the customer's text`);
      for (const customerId of new Set(facts.customerIds ?? []))
        out.push({
          id: facts.newId(),
          recipientPersonId: null,
          recipientRole: 'customer',
          recipientCustomerId: customerId,
          ...base(facts.customer),
        });
    } else {
      out.push({
        id: facts.newId(),
        recipientPersonId: null,
        recipientRole: role,
        recipientCustomerId: null,
        ...base(facts.internal),
      });
    }
  }
  if ('asker' in step && step.asker && facts.askerId)
    out.push({
      id: facts.newId(),
      recipientPersonId: facts.askerId,
      recipientRole: null,
      recipientCustomerId: null,
      ...base(facts.internal),
    });
  return out;
}

export const notificationCreated = (n: Notification) =>
  event(NotificationCreated, n.id, {
    notificationId: n.id,
    recipientPersonId: n.recipientPersonId,
    recipientRole: n.recipientRole,
    recipientCustomerId: n.recipientCustomerId,
    kind: n.kind,
    title: n.title,
    message: n.message,
    link: n.link,
    createdAt: n.createdAt.toISOString(),
  });

export interface NotifyTransaction {
  notifications: { insertAll(ns: readonly Notification[]): Promise<void> };
  publish(...events: NewEvent[]): void;
}

/** Writes the step's notifications in the step's transaction, with one event each. */
export async function notify(
  tx: NotifyTransaction,
  deps: { now(): Date; newId(): string },
  kind: NotificationKind,
  facts: NotifyFacts,
  now: Date = deps.now(),
): Promise<Notification[]> {
  const made = notificationsFor(kind, { ...facts, now, newId: deps.newId });
  await tx.notifications.insertAll(made);
  tx.publish(...made.map(notificationCreated));
  return made;
}
