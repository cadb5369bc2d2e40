import { invalidTransition } from '@servicecenter/platform-errors';
import type { Priority } from './escalation';

export type AskKind = 'PRIORITY_CHANGE' | 'STATUS_UPDATE';
export type AskStatus = 'ASKED' | 'APPROVED' | 'REJECTED' | 'ANSWERED';

/** A service manager's ask to the product's team manager (DOMAIN.md "Service management"). */
export interface Ask {
  id: string;
  kind: AskKind;
  status: AskStatus;
  requestId: string;
  requestNumber: string;
  escalationId: string | null;
  priority: Priority | null;
  reason: string | null;
  question: string | null;
  askedBy: string;
  askedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  answer: string | null;
  tookEffectAt: Date | null;
}

const allowed = (ask: Ask) =>
  ask.status !== 'ASKED' ? [] : ask.kind === 'PRIORITY_CHANGE' ? ['APPROVE', 'REJECT'] : ['ANSWER'];

export function decide(ask: Ask, approve: boolean, reason: string, by: string, at: Date): Ask {
  const action = approve ? 'APPROVE' : 'REJECT';
  if (ask.kind !== 'PRIORITY_CHANGE')
    throw invalidTransition(ask.status, action, allowed(ask), {
      reason: 'this ask is for a status update; answer it instead',
    });
  if (ask.status !== 'ASKED')
    throw invalidTransition(ask.status, action, [], { reason: 'the ask was already decided' });
  return { ...ask, status: approve ? 'APPROVED' : 'REJECTED', decidedBy: by, decidedAt: at, decisionReason: reason };
}

export function answer(ask: Ask, text: string, by: string, at: Date): Ask {
  if (ask.kind !== 'STATUS_UPDATE')
    throw invalidTransition(ask.status, 'ANSWER', allowed(ask), {
      reason: 'this ask is for a priority change; decide it instead',
    });
  if (ask.status !== 'ASKED')
    throw invalidTransition(ask.status, 'ANSWER', [], { reason: 'the ask was already answered' });
  return { ...ask, status: 'ANSWERED', decidedBy: by, decidedAt: at, answer: text };
}

/**
 * The justification recorded on the request: the service manager's reason for the change,
 * as agreed in the escalation (or with the team manager when the ask is not part of one).
 */
export const priorityJustification = (reason: string, escalationNumber: string | null) =>
  escalationNumber ? `agreed in escalation ${escalationNumber}: ${reason}` : `agreed with the team manager: ${reason}`;
