import { currentPriority, impactHigherThan, type Priority, type RequestView } from './escalation';

/** A customer's phone call about an urgent disruption (RACI urgent_disruption_call). */
export interface UrgentCall {
  id: string;
  requestId: string;
  requestNumber: string;
  escalationId: string | null;
  customerContact: string;
  summary: string;
  assessedImpact: Priority;
  priorityAtCall: Priority | null;
  impactHigherThanPriority: boolean;
  loggedBy: string;
  loggedAt: Date;
}

export function newUrgentCall(fields: {
  id: string;
  request: RequestView;
  escalationId: string | null;
  customerContact: string;
  summary: string;
  assessedImpact: Priority;
  loggedBy: string;
  now: Date;
}): UrgentCall {
  const priorityAtCall = currentPriority(fields.request);
  return {
    id: fields.id,
    requestId: fields.request.requestId,
    requestNumber: fields.request.number,
    escalationId: fields.escalationId,
    customerContact: fields.customerContact,
    summary: fields.summary,
    assessedImpact: fields.assessedImpact,
    priorityAtCall,
    impactHigherThanPriority: impactHigherThan(fields.assessedImpact, priorityAtCall),
    loggedBy: fields.loggedBy,
    loggedAt: fields.now,
  };
}
