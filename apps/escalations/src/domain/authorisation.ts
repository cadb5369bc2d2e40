import {
  customerScope,
  customerScopeSql,
  hasRole,
  scopeCoversCustomer,
  type Caller,
  type CustomerRelation,
  type RelationTable,
  type Role,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { Escalation } from './escalation';

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

/** Step 5 of a customer escalation hands it to product development (DOMAIN.md "Customer escalation"). */
export const escalatedToProduct = (escalation: Pick<Escalation, 'steps'>) =>
  escalation.steps.some((s) => s.step === 'ESCALATED_TO_PRODUCT_OWNER');

/**
 * The graph's visibility rule (@servicecenter/platform-auth `customerScope`): an escalation is read by
 * whoever may see its customer, and by product development once it was escalated to the
 * product owner. `relation` is the customer's service manager and CSM (null: not heard of).
 */
export function canReadEscalation(
  caller: Caller,
  escalation: Pick<Escalation, 'customerId' | 'steps'>,
  relation: CustomerRelation | null,
): boolean {
  const scope = customerScope(caller);
  return (
    scopeCoversCustomer(scope, escalation.customerId, relation) ||
    (!scope.all && scope.handedToProductDevelopment && escalatedToProduct(escalation))
  );
}

/** The escalations an escalation list may show: the rule as SQL on `escalation e`. */
export const escalationScopeSql = (caller: Caller, firstParam: number) =>
  customerScopeSql(
    customerScope(caller),
    'e.customer_id',
    CUSTOMER_RELATION_TABLE,
    firstParam,
    `EXISTS (SELECT 1 FROM escalation_step s WHERE s.escalation_id = e.id AND s.step = 'ESCALATED_TO_PRODUCT_OWNER')`,
  );

/** This service's copy of the directory's customer relations (from customer.saved events). */
export const CUSTOMER_RELATION_TABLE: RelationTable = { table: 'customer_relation', customerColumn: 'customer_id' };

/** Requests (and the asks and urgent calls on them) of the customers the rule lets the caller see, as SQL on `column`. */
export const customerScopeOn = (caller: Caller, column: string, firstParam: number) =>
  customerScopeSql(customerScope(caller), column, CUSTOMER_RELATION_TABLE, firstParam);

/** Asks and urgent calls are the Service Center's internal work. */
export function mustBeInternal(caller: Caller): void {
  if (!isInternal(caller)) throw forbidden('Asks and urgent calls are internal to the Service Center');
}
