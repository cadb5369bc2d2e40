import type { RaciRowRights } from '@servicecenter/platform-auth';

/**
 * The rows of raci.csv this service carries. Row 13, the manual check that requests are assigned
 * within one working day, is a read of `slaAtRisk` (the ASSIGNMENT targets at risk or breached);
 * who may read it is derived in at-risk-access.ts from this row and the other SLA-watch rows
 * (SLA_WATCH_ROWS: 11, 12, 13, 39, 60, 61, 86, 90), so the manager Service Center, Accountable on
 * the in-handling notices of the change and application-service processes, reads it too. The
 * automatic check (rows 12 and 61) is declared by the requests service, whose assignment it judges.
 */
export const RACI_ROWS: readonly RaciRowRights[] = [
  {
    row: 13,
    operations: ['slaAtRisk'],
    exceptions: [
      {
        role: 'manager_service_center',
        as: 'read',
        reason:
          'Accountable for the in-handling notice within one working day on the change and application-service rows (39, 86, 90), which slaAtRisk watches with the same list',
      },
    ],
  },
];
