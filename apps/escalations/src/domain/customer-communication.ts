/**
 * What the service manager tells a customer on a case (raci.csv rows 96, 99, 104, 109): recorded on the
 * request or escalation, read by the customer's users, and notified to them with the text itself (not a
 * generic "you have an update").
 */
export const COMMUNICATION_CONTEXTS = ['FEEDBACK', 'URGENT_CALL', 'ESCALATION'] as const;
export type CommunicationContext = (typeof COMMUNICATION_CONTEXTS)[number];

/** The RACI rows each context carries: who may write it and who is Informed. */
export const COMMUNICATION_ROWS: Record<CommunicationContext, readonly number[]> = {
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
  message: string;
  by: string;
  at: Date;
}
