import { invalidTransition } from '@servicecenter/platform-errors';
import type { RequestStatus, RequestType } from './request';

/**
 * Everything one can do to a request. Status-changing actions move it along DOMAIN.md's
 * process; the others (assign, prioritise, ...) keep the status but are still only
 * possible in some statuses, so the front end can ask `allowedActions` for both.
 */
export const REQUEST_ACTIONS = [
  'UPDATE',
  'REQUEST_INFORMATION',
  'RESUME',
  'ASSIGN',
  'PRIORITISE',
  'SEND_IN_HANDLING_NOTICE',
  'ACCEPT',
  'START_HANDLING',
  'HAND_OVER',
  'LINK_CHANGE',
  'PROPOSE_SOLUTION',
  'EXECUTE_MUTATION',
  'ACCEPT_SOLUTION',
  'REJECT_SOLUTION',
  'CLOSE',
  'REOPEN',
  'TREAT_AS_NEW',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** Where a status-changing action leads. RESUME goes back to where the wait began. */
export const ACTION_TARGET: Partial<Record<RequestAction, RequestStatus | 'PREVIOUS'>> = {
  REQUEST_INFORMATION: 'WAITING_FOR_CUSTOMER',
  RESUME: 'PREVIOUS',
  ACCEPT: 'ACCEPTED',
  START_HANDLING: 'IN_HANDLING',
  HAND_OVER: 'HANDED_OVER',
  PROPOSE_SOLUTION: 'SOLUTION_PROPOSED',
  EXECUTE_MUTATION: 'SOLUTION_PROPOSED',
  ACCEPT_SOLUTION: 'CLOSED',
  REJECT_SOLUTION: 'IN_HANDLING',
  CLOSE: 'CLOSED',
  REOPEN: 'REOPENED',
  TREAT_AS_NEW: 'CLOSED',
};

type Machine = Record<RequestStatus, readonly RequestAction[]>;

/** Intake-and-handling housekeeping possible in every open status. */
const KEEP = ['UPDATE', 'ASSIGN', 'PRIORITISE', 'SEND_IN_HANDLING_NOTICE'] as const;

/**
 * Incident (DOMAIN.md "Request lifecycle"): registration and completeness check, wait for
 * the customer when incomplete, accept, handle, hand over to product development when it is
 * a product defect, propose a solution or workaround, close on the customer's agreement or
 * after the reminders; a closed request comes back as reopened or as a new request.
 */
const INCIDENT: Machine = {
  REGISTERED: [...KEEP, 'REQUEST_INFORMATION', 'ACCEPT', 'CLOSE'],
  WAITING_FOR_CUSTOMER: ['UPDATE', 'RESUME', 'ASSIGN', 'PRIORITISE', 'SEND_IN_HANDLING_NOTICE', 'CLOSE'],
  ACCEPTED: [...KEEP, 'START_HANDLING', 'REQUEST_INFORMATION', 'CLOSE'],
  IN_HANDLING: [...KEEP, 'REQUEST_INFORMATION', 'HAND_OVER', 'LINK_CHANGE', 'PROPOSE_SOLUTION', 'CLOSE'],
  HANDED_OVER: [...KEEP, 'LINK_CHANGE', 'START_HANDLING', 'PROPOSE_SOLUTION', 'CLOSE'],
  SOLUTION_PROPOSED: ['UPDATE', 'LINK_CHANGE', 'ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'CLOSE'],
  CLOSED: ['LINK_CHANGE', 'REOPEN'],
  REOPENED: [...KEEP, 'START_HANDLING', 'REQUEST_INFORMATION', 'TREAT_AS_NEW', 'CLOSE'],
};

/** Change request: as an incident; hand-over goes to product development/DevOps or Consulting. */
const CHANGE: Machine = INCIDENT;

/**
 * Request for information: answered by the desk (from a knowledge article where one exists);
 * product development is consulted, never handed the request, so there is no hand-over.
 */
const INFORMATION: Machine = {
  ...INCIDENT,
  IN_HANDLING: [...KEEP, 'REQUEST_INFORMATION', 'PROPOSE_SOLUTION', 'CLOSE'],
  HANDED_OVER: [],
  SOLUTION_PROPOSED: ['UPDATE', 'ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'CLOSE'],
  CLOSED: ['REOPEN'],
};

/**
 * Application service: contract check at registration (declined when not met), back to
 * the customer when the mutation cannot be done as asked, executed by the Service Center
 * (accept, handle, execute) or forwarded to Consulting (hand-over), then the customer is
 * informed of the mutation made and the request closes.
 */
const APPLICATION_SERVICE: Machine = {
  REGISTERED: [...KEEP, 'REQUEST_INFORMATION', 'ACCEPT', 'HAND_OVER', 'CLOSE'],
  WAITING_FOR_CUSTOMER: INCIDENT.WAITING_FOR_CUSTOMER,
  ACCEPTED: [...KEEP, 'START_HANDLING', 'HAND_OVER', 'REQUEST_INFORMATION', 'CLOSE'],
  IN_HANDLING: [...KEEP, 'REQUEST_INFORMATION', 'HAND_OVER', 'EXECUTE_MUTATION', 'CLOSE'],
  HANDED_OVER: [...KEEP, 'START_HANDLING', 'EXECUTE_MUTATION', 'CLOSE'],
  SOLUTION_PROPOSED: ['UPDATE', 'ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'CLOSE'],
  CLOSED: ['REOPEN'],
  REOPENED: [...KEEP, 'START_HANDLING', 'REQUEST_INFORMATION', 'TREAT_AS_NEW', 'CLOSE'],
};

export const LIFECYCLES: Record<RequestType, Machine> = { INCIDENT, CHANGE, INFORMATION, APPLICATION_SERVICE };

export function allowedActions(type: RequestType, status: RequestStatus): readonly RequestAction[] {
  return LIFECYCLES[type][status];
}

/** Throws INVALID_TRANSITION (with the actions allowed now) unless `action` is possible. */
export function assertAllowed(request: { type: RequestType; status: RequestStatus }, action: RequestAction): void {
  const allowed = allowedActions(request.type, request.status);
  if (!allowed.includes(action)) throw invalidTransition(request.status, action, allowed);
}

/** Which statuses can be reached from `status` for this type (for docs and tests). */
export function reachableStatuses(
  type: RequestType,
  status: RequestStatus,
  resumeStatus?: RequestStatus | null,
): RequestStatus[] {
  const targets = allowedActions(type, status)
    .map((a) => ACTION_TARGET[a])
    .filter((t): t is RequestStatus | 'PREVIOUS' => t !== undefined)
    .map((t) => (t === 'PREVIOUS' ? (resumeStatus ?? 'REGISTERED') : t));
  return [...new Set(targets)];
}

/** Hand-over targets per type: incidents go to product development, RFCs to either, AS to Consulting. */
export const HANDOVER_TARGETS: Record<RequestType, readonly ('PRODUCT_DEVELOPMENT' | 'CONSULTING')[]> = {
  INCIDENT: ['PRODUCT_DEVELOPMENT'],
  CHANGE: ['PRODUCT_DEVELOPMENT', 'CONSULTING'],
  INFORMATION: [],
  APPLICATION_SERVICE: ['CONSULTING'],
};
