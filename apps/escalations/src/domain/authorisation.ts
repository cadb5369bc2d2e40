import { hasRole, type Caller, type Role } from '@servicecenter/auth';
import { forbidden } from '@servicecenter/errors';

/**
 * Who may do what (RACI customer_escalation, feedback_on_requests, urgent_disruption_call):
 * service managers are Responsible for escalations, asks and urgent calls; the manager
 * Service Center is Accountable and may do the same.
 */
export const SERVICE_MANAGERS: Role[] = ['service_manager', 'manager_service_center'];

/**
 * The product's team manager decides priority asks and answers status asks. This service
 * does not know team membership (the directory lives in the requests service): any
 * team_lead may decide, and the manager Service Center (Accountable) too.
 */
export const TEAM_MANAGERS: Role[] = ['team_lead', 'manager_service_center'];

export const isInternal = (caller: Caller) => caller.roles.some((r) => r !== 'customer');

export function mustManageEscalations(caller: Caller): void {
  if (!hasRole(caller, ...SERVICE_MANAGERS))
    throw forbidden('Only service managers (and the manager Service Center) handle escalations, asks and urgent calls');
}

export function mustBeTeamManager(caller: Caller): void {
  if (!hasRole(caller, ...TEAM_MANAGERS))
    throw forbidden("Only the product's team manager (team lead, or the manager Service Center) decides asks");
}

/** Internal roles read every escalation; a customer only those of their own organisation. */
export const canReadEscalation = (caller: Caller, escalation: { customerId: string }) =>
  isInternal(caller) ||
  (hasRole(caller, 'customer') && caller.customerId !== undefined && caller.customerId === escalation.customerId);

/** Asks and urgent calls are the Service Center's internal work. */
export function mustBeInternal(caller: Caller): void {
  if (!isInternal(caller)) throw forbidden('Asks and urgent calls are internal to the Service Center');
}
