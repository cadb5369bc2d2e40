import { hasRole, type Caller, type Role } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';

/** Roles that steer on, or take to customers, the reports (the RACI rows of service_management_review and the desk's managers). */
export const REPORT_READERS: Role[] = [
  'team_lead',
  'manager_service_center',
  'service_manager',
  'manager_service_management',
  'customer_success_manager',
  'csm_director',
  'customer_success_director',
];

/**
 * null: every customer; otherwise the customers the caller may see. Which ones is the graph's
 * visibility rule (@servicecenter/platform-auth `customerScope`), resolved against rp_customer.
 */
export type CustomerScope = string[] | null;

export function mayReadReports(caller: Caller): boolean {
  return hasRole(caller, ...REPORT_READERS);
}

/**
 * Narrows the asked customer to what the caller may see: a service manager (or CSM) gets
 * their own customers, and FORBIDDEN when asking for another one. A report or review about
 * one customer is a document, not a list: an empty one would read as "nothing happened", so
 * it is refused (for an unknown customer id too, so the answer tells nothing).
 */
export function narrowCustomers(own: CustomerScope, askedCustomerId: string | null | undefined): CustomerScope {
  if (own === null) return askedCustomerId ? [askedCustomerId] : null;
  if (askedCustomerId) {
    if (!own.includes(askedCustomerId)) throw forbidden('You may read the reports of your own customers only');
    return [askedCustomerId];
  }
  return own;
}
