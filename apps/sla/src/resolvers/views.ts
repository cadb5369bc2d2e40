import { hasRole, type Caller } from '@servicecenter/platform-auth';
import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import { evaluate, type SlaClock } from '../domain/clocks';

/** Every role but `customer` works for the Service Center. */
export const isServiceCenter = (caller: Caller): boolean => caller.roles.some((role) => role !== 'customer');

/** The Service Center reads every customer's SLA data; a customer user only their own organisation's. */
export const mayReadCustomer = (caller: Caller, customerId: string | null | undefined): boolean =>
  isServiceCenter(caller) ||
  (hasRole(caller, 'customer') && Boolean(caller.customerId) && caller.customerId === customerId);

/** The GraphQL SlaTarget of one clock, evaluated at `now` on its agreement's calendar. */
export const targetView = (clock: SlaClock, now: Date, calendar: BusinessCalendar) => ({
  kind: clock.kind,
  unit: clock.budget?.unit ?? null,
  budgetMs: clock.budget?.ms ?? null,
  startedAt: clock.startedAt,
  stoppedAt: clock.stop?.at ?? null,
  ...evaluate(clock, now, calendar),
});
