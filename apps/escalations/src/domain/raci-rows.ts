import type { RaciRowRights } from '@servicecenter/platform-auth';

/** DOMAIN.md's prose (roles table and "Service management") where it names an actor the matrix leaves out. */
const SERVICE_MANAGER_OWNS_THE_CASE =
  'DOMAIN.md "Service management": the service manager owns the customer relation on service and takes the steps of the case (align with the team lead, tell the customer); the matrix leaves the cell empty';

/**
 * The rows of raci.csv this service carries (feedback_on_requests, urgent_disruption_call,
 * customer_escalation, the write side of service_management_review: status asks, alignments, action
 * points and the communication log; disruption_communication). The review's figures are reporting's.
 * Authorisation (authorisation.ts `mustAct`) derives who may call each operation from these rows and
 * RACI_MATRIX: the roles with R or A in a row that lists the operation, plus the exceptions named here.
 * The Informed roles hear of a step by the notification kind in `informedBy` (notifications.ts).
 */
export const RACI_ROWS: readonly RaciRowRights[] = [
  {
    row: 94,
    operations: ['attentionList'],
    exceptions: [
      {
        role: 'manager_service_management',
        as: 'read',
        reason:
          'Accountable for assessing the open requests of the Service Management Review (row 113): reads the attention list of every customer',
      },
    ],
  },
  {
    row: 95,
    operations: ['attentionList'],
    exceptions: [
      {
        role: 'manager_service_management',
        as: 'read',
        reason: 'Accountable for assessing the open requests of the Service Management Review (row 113)',
      },
    ],
  },
  { row: 96, operations: ['communicateWithCustomer'], informedBy: 'CUSTOMER_COMMUNICATION_FEEDBACK' },
  {
    row: 97,
    operations: ['askPriorityChange', 'askStatusUpdate'],
    informedBy: 'the ask is addressed to the team lead (Consulted), who decides or answers it',
  },
  { row: 98, operations: ['decidePriorityChange', 'answerStatusUpdate'] },
  { row: 99, operations: ['communicateWithCustomer'], informedBy: 'CUSTOMER_COMMUNICATION_FEEDBACK' },
  {
    row: 100,
    operations: [],
    notCarried:
      'The customer phones the service manager: a telephone call. The service manager records it with logUrgentCall (rows 101, 102).',
    informedBy: 'URGENT_CALL_LOGGED',
  },
  { row: 101, operations: ['logUrgentCall'] },
  { row: 102, operations: ['logUrgentCall'] },
  {
    row: 103,
    operations: ['askPriorityChange', 'askStatusUpdate'],
    informedBy: 'URGENT_CALL_ASK',
    exceptions: [{ role: 'service_manager', as: 'act', reason: SERVICE_MANAGER_OWNS_THE_CASE }],
  },
  { row: 104, operations: ['communicateWithCustomer'], informedBy: 'CUSTOMER_COMMUNICATION_URGENT_CALL' },
  { row: 105, operations: ['openEscalation'], informedBy: 'ESCALATION_OPENED' },
  { row: 106, operations: ['openEscalation'] },
  {
    row: 107,
    operations: ['recordEscalationStep', 'closeEscalation'],
    automatic:
      'recordEscalationStep FACT_FINDING; the later steps ESCALATED_TO_MANAGER_SERVICE_CENTER and ESCALATED_TO_PRODUCT_OWNER and closeEscalation (DOMAIN.md steps 4 and 5, no row of their own) follow this row',
  },
  {
    row: 108,
    operations: ['recordEscalationStep'],
    informedBy: 'ESCALATION_ALIGNED_WITH_TEAM_LEAD',
    exceptions: [{ role: 'service_manager', as: 'act', reason: SERVICE_MANAGER_OWNS_THE_CASE }],
  },
  {
    row: 109,
    operations: ['recordEscalationStep', 'communicateWithCustomer'],
    informedBy: 'ESCALATION_CUSTOMER_INFORMED',
    exceptions: [{ role: 'service_manager', as: 'act', reason: SERVICE_MANAGER_OWNS_THE_CASE }],
  },
  {
    row: 111,
    operations: ['recordReviewAlignment', 'reviewAlignments'],
    informedBy: 'reviewAlignments: the alignment recorded on the review (the matrix informs no one)',
  },
  {
    row: 114,
    operations: ['askStatusUpdate'],
    informedBy: 'the ask is addressed to the team leads (Consulted), who answer it',
  },
  {
    row: 115,
    operations: ['recordReviewAlignment', 'reviewAlignments'],
    informedBy:
      'reviewAlignments and the serviceManagementReview of reporting: the product owner (Consulted) reads the review and the alignment',
  },
  {
    row: 117,
    operations: ['addReviewActionPoint', 'followUpReviewActionPoint', 'reviewActionPoints'],
    informedBy: 'REVIEW_ACTION_POINT',
    exceptions: [
      {
        role: 'team_lead',
        as: 'act',
        reason:
          "Consulted on the follow-up: the team lead records the follow-up of the action points on the product's requests",
      },
    ],
  },
  // The communication log is read with customerCommunications(customerId) by staff who may see the customer.
  { row: 118, operations: ['recordReviewConversation'], informedBy: 'REVIEW_CONVERSATION_RECORDED' },
  {
    row: 119,
    operations: ['openDisruptionNotice', 'publishDisruptionNotice'],
    exceptions: [
      {
        role: 'team_lead',
        as: 'act',
        reason:
          'DOMAIN.md "Disruption communication": the team manager decides to publish the notice; the matrix gives the decision to the service manager (R) and the manager Service Management (A)',
      },
      {
        role: 'manager_service_center',
        as: 'act',
        reason: 'Accountable for the team manager\'s steps of DOMAIN.md "Disruption communication" (rows 120–131)',
      },
    ],
  },
  { row: 120, operations: ['publishDisruptionNotice'], informedBy: 'DISRUPTION_PUBLISHED' },
  { row: 121, operations: ['instructDisruptionAnalysis'], informedBy: 'DISRUPTION_ANALYSIS_INSTRUCTED' },
  { row: 122, operations: ['startDisruptionAnalysis'], informedBy: 'DISRUPTION_ANALYSIS_STARTED' },
  { row: 123, operations: ['publishDisruptionNotice'], informedBy: 'DISRUPTION_PUBLISHED' },
  {
    row: 124,
    operations: ['postDisruptionUpdate'],
    informedBy: 'DISRUPTION_UPDATED',
    exceptions: [
      {
        role: 'pd_product_owner',
        as: 'act',
        reason: "Consulted: product development's progress on the analysis goes onto the notice as an update",
      },
    ],
  },
  {
    row: 125,
    operations: ['postDisruptionUpdate'],
    informedBy: 'DISRUPTION_UPDATED',
    exceptions: [
      {
        role: 'pd_product_owner',
        as: 'act',
        reason: 'Consulted on the update frequency: its update sets when the next one comes',
      },
    ],
  },
  { row: 126, operations: ['resolveDisruptionNotice'], informedBy: 'DISRUPTION_RESOLVED' },
  {
    row: 127,
    operations: [],
    automatic:
      "resolveDisruptionNotice puts product development's cause and solution on the notice and informs the customers (DISRUPTION_RESOLVED); the team lead's own words go on the notice with postDisruptionUpdate before that",
    informedBy: 'DISRUPTION_RESOLVED',
  },
  {
    row: 128,
    operations: [],
    automatic: 'the timer escalations.disruption-auto-close closes the notice 4 hours after resolution',
    informedBy: 'DISRUPTION_CLOSED',
  },
  {
    row: 129,
    operations: ['linkRequestToDisruption'],
    automatic:
      'servicecenter.disruption.resolved.v1 carries the cause and solution to every linked request (the requests service proposes them as the solution)',
    informedBy: 'DISRUPTION_RESOLVED',
    exceptions: [
      {
        role: 'support_consultant',
        as: 'act',
        reason:
          'the consultant handling a customer\'s request links it to the notice (DOMAIN.md: "a disruption can be reported by a customer")',
      },
    ],
  },
  {
    row: 130,
    operations: [],
    automatic:
      'the requests service sets each linked request to SOLUTION_PROPOSED on servicecenter.disruption.resolved.v1; it waits for the customer there',
  },
  {
    row: 131,
    operations: [],
    automatic:
      "the requests service closes a linked request on the customer's confirmation or, without a reaction, by its own closing timer",
  },
];
