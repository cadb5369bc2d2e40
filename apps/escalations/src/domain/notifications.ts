import type { Role } from '@servicecenter/platform-auth';

/**
 * Who is Informed of what (issue 5 item 6): every step this service implements, the RACI
 * rows (raci.csv, `process/phase/step`) it carries out and the roles Informed there (I or
 * I/C). Each becomes a notification record (and a `servicecenter.notification.created.v1`
 * event) in the step's own transaction. Pure data: notifications.spec.ts checks it against
 * raci.csv.
 *
 * Recipients: an internal role gets one role-addressed notification; the role `customer` gets
 * one per customer organisation concerned (the escalation's, the request's, the notice's).
 * `asker`: the service manager who asked also gets a person-addressed notification (the
 * answer to their own ask), beyond the RACI table.
 */
export interface InformedStep {
  rows: readonly string[];
  informed: readonly Role[];
  /** Roles Consulted (C) in the rows who are asked for their input: notified like the informed. */
  consulted?: readonly Role[];
  asker?: boolean;
}

const CE = 'customer_escalation/handling';
const FB = 'feedback_on_requests/handling';
const UC = 'urgent_disruption_call/handling';
const DC = 'disruption_communication/handling';
const RFI = 'information/handling';
const SMR = 'service_management_review/reporting';

export const INFORMED = {
  /** openEscalation */
  ESCALATION_OPENED: { rows: [`${CE}/Customer escalates`], informed: ['service_manager', 'customer_success_manager'] },
  /** recordEscalationStep ALIGNED_WITH_TEAM_LEAD */
  ESCALATION_ALIGNED_WITH_TEAM_LEAD: {
    rows: [`${CE}/Align with the team lead of the product`],
    informed: ['team_lead'],
  },
  /** recordEscalationStep CUSTOMER_INFORMED */
  ESCALATION_CUSTOMER_INFORMED: {
    rows: [`${CE}/Communicate with the customer and manage expectations`],
    informed: ['customer', 'customer_success_manager'],
  },
  /** decidePriorityChange (approved or rejected): the Service Center's update, communicated */
  PRIORITY_CHANGE_APPROVED: {
    rows: [`${FB}/Customer communication based on the Service Center's update`],
    informed: ['customer', 'support_consultant', 'team_lead'],
    asker: true,
  },
  PRIORITY_CHANGE_REJECTED: {
    rows: [`${FB}/Customer communication based on the Service Center's update`],
    informed: ['customer', 'support_consultant', 'team_lead'],
    asker: true,
  },
  /** answerStatusUpdate */
  STATUS_UPDATE_ANSWERED: {
    rows: [`${FB}/Customer communication based on the Service Center's update`],
    informed: ['customer', 'support_consultant', 'team_lead'],
    asker: true,
  },
  /** communicateWithCustomer FEEDBACK: the message itself reaches the customer */
  CUSTOMER_COMMUNICATION_FEEDBACK: {
    rows: [
      `${FB}/Tell the customer the call is in handling (first reaction)`,
      `${FB}/Customer communication based on the Service Center's update`,
    ],
    informed: ['customer', 'support_consultant', 'team_lead'],
  },
  /** communicateWithCustomer URGENT_CALL */
  CUSTOMER_COMMUNICATION_URGENT_CALL: {
    rows: [`${UC}/Customer communication based on the Service Center's update`],
    informed: ['customer'],
  },
  /** communicateWithCustomer ESCALATION */
  CUSTOMER_COMMUNICATION_ESCALATION: {
    rows: [`${CE}/Communicate with the customer and manage expectations`],
    informed: ['customer', 'customer_success_manager'],
  },
  /** askStatusUpdate / askPriorityChange on a request with an urgent call: aligning with the team lead */
  URGENT_CALL_ASK: {
    rows: [`${UC}/Align with the Service Center team lead`],
    informed: ['pd_change_coordinator', 'pd_product_owner', 'labs_director'],
  },
  /** addReviewActionPoint, followUpReviewActionPoint: the action point communicated to the customer */
  REVIEW_ACTION_POINT: {
    rows: [`${SMR}/Follow up action points of the customer meeting and communicate to the customer`],
    informed: ['customer'],
  },
  /** recordReviewConversation */
  REVIEW_CONVERSATION_RECORDED: {
    rows: [`${SMR}/Record the communication in the CRM`],
    informed: ['customer_success_manager'],
  },
  /** logUrgentCall */
  URGENT_CALL_LOGGED: { rows: [`${UC}/Customer phones about an urgent disruption`], informed: ['service_manager'] },
  /** publishDisruptionNotice */
  DISRUPTION_PUBLISHED: {
    rows: [
      `${DC}/Inform customers and internal stakeholders`,
      `${DC}/Publish the first notice (broadcast with a link to the community post; product, date-time, nature, when the next update comes)`,
    ],
    informed: ['customer', 'support_consultant', 'service_manager', 'pd_product_owner'],
  },
  /** instructDisruptionAnalysis */
  DISRUPTION_ANALYSIS_INSTRUCTED: {
    rows: [`${DC}/Instruct and align product development for analysis`],
    informed: ['pd_product_owner'],
  },
  /** startDisruptionAnalysis */
  DISRUPTION_ANALYSIS_STARTED: {
    rows: [`${DC}/Product development starts the disruption analysis`],
    informed: ['support_consultant', 'team_lead'],
  },
  /** postDisruptionUpdate */
  DISRUPTION_UPDATED: {
    rows: [
      `${DC}/Align with product development on the progress of the analysis`,
      `${DC}/Set the update frequency, at least once a day`,
    ],
    informed: ['customer'],
  },
  /** resolveDisruptionNotice (the linked requests get the solution and cause through DisruptionResolved) */
  DISRUPTION_RESOLVED: {
    rows: [
      `${DC}/Decide: disruption solved?`,
      `${DC}/Communicate the solution and/or cause in the notice`,
      `${DC}/Give the linked requests the solution and/or cause`,
    ],
    informed: ['customer', 'team_lead'],
  },
  /** timer escalations.disruption-auto-close */
  DISRUPTION_CLOSED: {
    rows: [`${DC}/Close the notice 4 hours after the solution`],
    informed: ['customer', 'pd_product_owner'],
  },
  /**
   * handOverRequest to product development (requests service, servicecenter.request.handed-over.v1):
   * the PD change coordinator learns of the hand-over beyond the Kafka hand-over event, and the customer.
   */
  HANDED_OVER_TO_PRODUCT_DEVELOPMENT: {
    rows: [
      'incident/handling/Hand over to product development',
      'change/handling/Hand over to product development / DevOps or to Consulting',
    ],
    informed: ['customer', 'pd_change_coordinator'],
  },
  /** askProductDevelopment (requests service): the PD change coordinator is Consulted */
  PRODUCT_DEVELOPMENT_ASKED: {
    rows: [`${RFI}/Get information from product development`],
    informed: [],
    consulted: ['pd_change_coordinator'],
  },
  /** answerProductDevelopmentQuestion (requests service): the consultant who asked reads the answer */
  PRODUCT_DEVELOPMENT_ANSWERED: {
    rows: [`${RFI}/Get information from product development`],
    informed: [],
    asker: true,
  },
} as const satisfies Record<string, InformedStep>;

export type NotificationKind = keyof typeof INFORMED;
export const NOTIFICATION_KINDS = Object.keys(INFORMED) as NotificationKind[];
