import {
  customerScope,
  hasRole,
  rolesWith,
  rowRights,
  type Caller,
  type CustomerScope as VisibilityScope,
  type Role,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import { RACI_ROWS } from './raci-rows';

const RIGHTS = rowRights(RACI_ROWS);

/** The GraphQL fields of this service that the RACI rows carry (raci-rows.ts). */
export type ReportOperation =
  | 'serviceManagementReview'
  | 'openRequestsReport'
  | 'responseTimeReport'
  | 'consultingChangesReport'
  | 'slaComplianceReport'
  | 'sameDayResolutionReport'
  | 'satisfactionReport'
  | 'bundleUseReport'
  | 'escalationsReport';

/**
 * The steps of service_management_review that are about the report and its discussion (raci.csv rows
 * 110–117; 118 is the record in the CRM). Whoever has a letter on one of them reads the review: the
 * service manager (R), the manager Service Management (A), team leads (C on 114, 117), the product owner
 * (C on 115) and the customer (I on 116, 117; its own organisation's review only).
 */
export const REVIEW_ROWS = [110, 111, 112, 113, 114, 115, 116, 117] as const;
const LETTERS = ['R', 'A', 'C', 'I'] as const;
export const REVIEW_READERS: Role[] = [...new Set(REVIEW_ROWS.flatMap((row) => rolesWith(row, [...LETTERS])))];

/** Who may read the operation: for the review its steps' letters, for a report its row's letters and exceptions. */
export function readersOf(operation: ReportOperation): Role[] {
  return operation === 'serviceManagementReview' ? REVIEW_READERS : RIGHTS.readers(RIGHTS.rowsOf(operation));
}

export function mustReadReport(caller: Caller, operation: ReportOperation): void {
  if (!hasRole(caller, ...readersOf(operation)))
    throw forbidden(
      operation === 'serviceManagementReview'
        ? `The Service Management Review is read by the roles of its steps: ${REVIEW_READERS.join(', ')} (raci.csv rows 110–117)`
        : `This report is for ${readersOf(operation).join(', ')} (raci.csv ${RIGHTS.describe(RIGHTS.rowsOf(operation))})`,
    );
}

/**
 * The customers whose review the caller reads: the visibility rule, except for the product owner, who is
 * Consulted on the review's product development plans of every customer (raci.csv row 115) while seeing
 * no customer's requests as such.
 */
export function reviewScope(caller: Caller): VisibilityScope {
  const scope = customerScope(caller);
  return !scope.all && hasRole(caller, 'pd_product_owner') ? { all: true } : scope;
}

/**
 * null: every customer; otherwise the customers the caller may see. Which ones is the graph's
 * visibility rule (@servicecenter/platform-auth `customerScope`), resolved against rp_customer.
 */
export type CustomerScope = string[] | null;

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
