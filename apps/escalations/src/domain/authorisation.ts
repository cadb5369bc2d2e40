import {
  customerScope,
  customerScopeSql,
  rowRights,
  scopeCoversCustomer,
  type Caller,
  type CustomerRelation,
  type RelationTable,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { Escalation, EscalationStep } from './escalation';
import { RACI_ROWS } from './raci-rows';

/**
 * Who may do what: the RACI matrix (raci.csv) and this service's row declarations (raci-rows.ts),
 * keyed by row: R and A act, the declared exceptions too, everyone else is refused.
 */
export const RIGHTS = (() => {
  const rights = rowRights(RACI_ROWS);
  return {
    ...rights,
    /** The operation's rows (or the given ones, a step of it) let the caller act; otherwise FORBIDDEN naming the RACI. */
    mustAct(caller: Caller, operation: string, rows: readonly number[] = rights.rowsOf(operation)): void {
      if (!rows.length) throw new Error(`${operation} carries no RACI row`);
      if (!rights.mayAct(caller, rows))
        throw forbidden(`Only ${rights.actors(rows).join(', ')} may do this (raci.csv ${rights.describe(rows)})`);
    },
  };
})();

/** The RACI row of each escalation step (steps 4 and 5 of DOMAIN.md have no row: they follow row 107). */
export const STEP_ROWS: Record<EscalationStep, number> = {
  FACT_FINDING: 107,
  ALIGNED_WITH_TEAM_LEAD: 108,
  CUSTOMER_INFORMED: 109,
  ESCALATED_TO_MANAGER_SERVICE_CENTER: 107,
  ESCALATED_TO_PRODUCT_OWNER: 107,
};

export const isInternal = (caller: Caller) => caller.roles.some((r) => r !== 'customer');

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
