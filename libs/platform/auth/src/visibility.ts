import { hasRole, type Caller } from './caller';
import type { Role } from './roles';

/**
 * THE visibility rule of the graph: which customers' data a caller sees. Every subgraph
 * asks this module (docs/visibility.md); none keeps a rule of its own.
 *
 * - The desk (support consultants, team leads, the manager Service Center), the manager
 *   Service Management, the CSM directors, the UAT coordinator and admins see every customer:
 *   they are Responsible or Accountable in the RACI rows of every customer's requests, or
 *   run the directory and the release tests.
 * - A service manager sees the customers whose service manager they are, a customer success
 *   manager those whose CSM they are (the relation is kept on the customer in the directory
 *   and travels as `servicecenter.customer.saved.v1`).
 * - A customer user sees their own organisation.
 * - Product development sees no customer as such, only the work handed to it (requests
 *   handed over to product development, escalations escalated to the product owner):
 *   `handedToProductDevelopment`, which each service applies to its own records.
 *
 * Roles add up: a person with two roles sees the union.
 */
export const SEES_EVERY_CUSTOMER: readonly Role[] = [
  'support_consultant',
  'team_lead',
  'manager_service_center',
  'manager_service_management',
  'csm_director',
  'customer_success_director',
  'uat_coordinator',
  'admin',
];

export const PRODUCT_DEVELOPMENT: readonly Role[] = [
  'pd_change_coordinator',
  'pd_product_owner',
  'product_manager',
  'productline_manager',
  'development_manager',
  'labs_director',
];

/** Who looks after a customer: the directory's facts the rule needs. */
export interface CustomerRelation {
  customerId: string;
  serviceManagerId: string | null;
  customerSuccessManagerId: string | null;
}

/** The caller's customers as data: every customer, or a set a query can filter on. */
export type CustomerScope =
  | { all: true }
  | {
      all: false;
      /** The caller's own organisation (customer users). */
      customerIds: readonly string[];
      /** Customers whose service manager is this person. */
      serviceManagerOf: string | null;
      /** Customers whose customer success manager is this person. */
      customerSuccessManagerOf: string | null;
      /** Product development: the records handed over to it, whatever the customer. */
      handedToProductDevelopment: boolean;
    };

export function customerScope(caller: Caller): CustomerScope {
  if (hasRole(caller, ...SEES_EVERY_CUSTOMER)) return { all: true };
  return {
    all: false,
    customerIds: hasRole(caller, 'customer') && caller.customerId ? [caller.customerId] : [],
    serviceManagerOf: hasRole(caller, 'service_manager') ? caller.id : null,
    customerSuccessManagerOf: hasRole(caller, 'customer_success_manager') ? caller.id : null,
    handedToProductDevelopment: hasRole(caller, ...PRODUCT_DEVELOPMENT),
  };
}

/**
 * Whether the scope covers this customer. `relation` is null when the service has not heard
 * of the customer yet: then only the own organisation and "every customer" cover it.
 */
export function scopeCoversCustomer(
  scope: CustomerScope,
  customerId: string,
  relation: Pick<CustomerRelation, 'serviceManagerId' | 'customerSuccessManagerId'> | null,
): boolean {
  if (scope.all) return true;
  if (scope.customerIds.includes(customerId)) return true;
  if (!relation) return false;
  return (
    (scope.serviceManagerOf !== null && relation.serviceManagerId === scope.serviceManagerOf) ||
    (scope.customerSuccessManagerOf !== null && relation.customerSuccessManagerId === scope.customerSuccessManagerOf)
  );
}

export const canSeeCustomer = (caller: Caller, customerId: string, relation: CustomerRelation | null) =>
  scopeCoversCustomer(customerScope(caller), customerId, relation);

/** The customer ids of `relations` the scope covers (for a scope resolved against a directory). */
export const customersCovered = (scope: CustomerScope, relations: readonly CustomerRelation[]): string[] =>
  relations.filter((r) => scopeCoversCustomer(scope, r.customerId, r)).map((r) => r.customerId);

/** Where a service keeps its copy of the customer relation (a table fed by customer.saved events). */
export interface RelationTable {
  table: string;
  customerColumn: string;
  serviceManagerColumn?: string;
  customerSuccessManagerColumn?: string;
}

/**
 * The scope as a PostgreSQL condition on `customerColumn` (a column of the caller's query),
 * with positional parameters from `$firstParam`. `handedOver`, when given, is the service's
 * condition for records handed to product development. A scope that covers nothing is `false`.
 */
export function customerScopeSql(
  scope: CustomerScope,
  customerColumn: string,
  relation: RelationTable,
  firstParam: number,
  handedOver?: string,
): { sql: string; params: unknown[] } {
  if (scope.all) return { sql: 'true', params: [] };
  const params: unknown[] = [];
  const next = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const parts: string[] = [];
  if (scope.customerIds.length > 0) parts.push(`${customerColumn} = ANY(${next([...scope.customerIds])}::text[])`);
  const related: string[] = [];
  if (scope.serviceManagerOf !== null)
    related.push(`${relation.serviceManagerColumn ?? 'service_manager_id'} = ${next(scope.serviceManagerOf)}`);
  if (scope.customerSuccessManagerOf !== null)
    related.push(
      `${relation.customerSuccessManagerColumn ?? 'customer_success_manager_id'} = ${next(scope.customerSuccessManagerOf)}`,
    );
  if (related.length > 0)
    parts.push(
      `${customerColumn} IN (SELECT ${relation.customerColumn} FROM ${relation.table} WHERE ${related.join(' OR ')})`,
    );
  if (scope.handedToProductDevelopment && handedOver) parts.push(`(${handedOver})`);
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'false', params };
}
