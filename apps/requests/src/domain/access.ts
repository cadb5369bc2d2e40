import { hasRole, type Caller } from '@servicecenter/auth';
import { badInput, forbidden } from '@servicecenter/errors';
import type { Request } from './request';

/** Roles of the Service Center itself (not the customer, not product development). */
const DESK_ROLES = ['support_consultant', 'team_lead', 'manager_service_center'] as const;

/**
 * Whose organisation a new request belongs to: a customer registers for their own
 * organisation; the desk registers on a customer's behalf (RACI: customer R, consultant I,
 * and the desk takes phone registrations).
 */
export function customerForRegistration(caller: Caller, requestedCustomerId: string | null | undefined): string {
  if (hasRole(caller, 'customer')) {
    if (!caller.customerId) throw forbidden('Your account is not linked to a customer organisation');
    if (requestedCustomerId && requestedCustomerId !== caller.customerId) {
      throw forbidden('Customers register requests for their own organisation only');
    }
    return caller.customerId;
  }
  if (hasRole(caller, ...DESK_ROLES)) {
    if (!requestedCustomerId) throw badInput('input.customerId', 'input.customerId is required when the desk registers on behalf of a customer');
    return requestedCustomerId;
  }
  throw forbidden('Only customers and the Service Center desk register requests');
}

/** Customers see their own organisation's requests; internal roles see requests. */
export function canRead(caller: Caller, request: Pick<Request, 'customerId'>): boolean {
  if (hasRole(caller, 'customer')) return caller.customerId === request.customerId;
  return caller.roles.length > 0;
}
