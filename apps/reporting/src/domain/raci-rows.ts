import type { RaciRowRights } from '@servicecenter/platform-auth';

/** The desk's Accountables steer on the open work of their requests (DOMAIN.md "Reports the documents ask for"). */
const DESK_STEERING =
  'DOMAIN.md "Reports the documents ask for": open requests per product group and priority, for steering priorities; the team lead is Accountable for intake (raci.csv rows 1–14), the manager Service Center for handling and closing (rows 15–31)';

/**
 * The rows of raci.csv's service_management_review this service carries: the report and its reading (the
 * status asks of row 114, the recorded alignments of 111 and 115, the action points of 117 and the
 * communication log of 118 are written in the escalations service). The desk reports are the review's figures by themselves: readable by the
 * roles with a letter on their row, and by the declared exceptions. The review itself is read by every
 * role with a letter on the review's steps (access.ts `REVIEW_ROWS`): no exception widens it.
 */
export const RACI_ROWS: readonly RaciRowRights[] = [
  {
    row: 110,
    operations: [
      'serviceManagementReview',
      'slaComplianceReport',
      'sameDayResolutionReport',
      'satisfactionReport',
      'escalationsReport',
    ],
    exceptions: [
      {
        role: 'manager_service_center',
        as: 'read',
        reason:
          "Accountable for handling and closing the desk's requests (raci.csv rows 15–31): reads the desk's SLA, same-day, satisfaction and escalation figures, not the review",
      },
    ],
  },
  { row: 112, operations: ['serviceManagementReview', 'bundleUseReport'] },
  {
    row: 113,
    operations: ['serviceManagementReview', 'openRequestsReport', 'responseTimeReport', 'consultingChangesReport'],
    exceptions: [
      { role: 'team_lead', as: 'read', reason: DESK_STEERING },
      { role: 'manager_service_center', as: 'read', reason: DESK_STEERING },
    ],
  },
  {
    row: 116,
    operations: ['serviceManagementReview'],
    informedBy:
      "serviceManagementReview and /reviews/<customer>/<quarter>.html: the customer (Informed) reads its own organisation's review",
  },
];
