import { actorsOf, hasRole, raciRow, type Caller, type RaciRole } from '@servicecenter/platform-auth';

/**
 * The rows of raci.csv that watch the first-day SLA targets the at-risk list steers by: the
 * in-handling notice within 1 (application services: 3) working days and the check that requests
 * are assigned within 1 working day, per process. Row 13 is the manual check (R support
 * consultant, A team lead) that `slaAtRisk` carries.
 */
export const SLA_WATCH_ROWS = [11, 12, 13, 39, 60, 61, 86, 90] as const;

/**
 * Who may read the at-risk list: the roles that act (R or A) on a watch row, i.e. the support
 * consultant, the team lead and the manager Service Center (A on the change process's notice
 * row and on the handling rows). The customer is only Informed of the notice itself, and the
 * other internal roles have no letter on these rows: they read SLA figures through
 * `slaCompliance` and the reports. Derived from the matrix, so a change of raci.csv changes it.
 */
export const AT_RISK_READERS: readonly RaciRole[] = [
  ...new Set(SLA_WATCH_ROWS.flatMap((row) => actorsOf(raciRow(row)))),
];

export const mayReadAtRisk = (caller: Caller): boolean => AT_RISK_READERS.some((role) => hasRole(caller, role));
