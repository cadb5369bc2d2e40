import { hasRole, type Caller, type Role } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { TestRun } from './model';

/**
 * Who may do what (DOMAIN.md "Release testing"): the UAT coordinator coordinates and decides;
 * desk staff assigned to a run test; everyone internal (the Service Center and product
 * development: product owner, product manager, development manager, ...) reads. Customers see
 * only the published release information of GO releases.
 */
export const COORDINATOR: Role = 'uat_coordinator';
/** Desk roles that can be assigned as testers: they know how customers use the product. */
export const TESTER_ROLES: Role[] = ['support_consultant', 'team_lead', 'manager_service_center'];

export const isInternal = (caller: Caller) => caller.roles.some((r) => r !== 'customer');

export function mustCoordinate(caller: Caller, what: string): void {
  if (!hasRole(caller, COORDINATOR)) throw forbidden(`Only the UAT coordinator ${what}`);
}

/** Testers assigned to the run record results and report defects on it; the coordinator may too. */
export function mustTestOn(caller: Caller, run: Pick<TestRun, 'testerIds' | 'number'>): void {
  if (hasRole(caller, COORDINATOR)) return;
  if (!hasRole(caller, ...TESTER_ROLES))
    throw forbidden('Only testers of the Service Center desk and the UAT coordinator record test results and defects');
  if (!run.testerIds.includes(caller.id)) throw forbidden(`You are not assigned as a tester to test run ${run.number}`);
}
