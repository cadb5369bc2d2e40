/**
 * What the service manager tells a customer on a case (raci.csv rows 96, 99, 104, 109): recorded on the
 * request or escalation, read by the customer's users, and notified to them with the text itself (not a
 * generic "you have an update").
 */
export const COMMUNICATION_CONTEXTS = ['FEEDBACK', 'URGENT_CALL', 'ESCALATION'] as const;
export type MessageContext = (typeof COMMUNICATION_CONTEXTS)[number];
/**
 * REVIEW: the Service Management Review's conversation recorded in the communication log (raci.csv row
 * 118, "Record the communication in the CRM"): internal, the customer success manager informed.
 */
export type CommunicationContext = MessageContext | 'REVIEW';

/** The RACI rows each message context carries: who may write it and who is Informed. */
export const COMMUNICATION_ROWS: Record<MessageContext, readonly number[]> = {
  // feedback_on_requests: the first reaction (96) and the communication based on the Service Center's update (99)
  FEEDBACK: [96, 99],
  // urgent_disruption_call: customer communication based on the Service Center's update
  URGENT_CALL: [104],
  // customer_escalation: communicate with the customer and manage expectations
  ESCALATION: [109],
};

export interface CustomerCommunication {
  id: string;
  customerId: string;
  context: CommunicationContext;
  requestId: string | null;
  requestNumber: string | null;
  escalationId: string | null;
  escalationNumber: string | null;
  /** REVIEW: the review's quarter, e.g. 2026-Q4. */
  quarter: string | null;
  message: string;
  by: string;
  at: Date;
}
