import { badInput, invalidTransition } from '@servicecenter/platform-errors';

/**
 * The Service Management Review's follow-up (DOMAIN.md "Service management": discussed with the customer,
 * action points followed up, the conversation recorded). The review's figures are reporting's; what the
 * service manager does with them is recorded here, where there is a write side and an outbox.
 */

/** 2026-Q4 */
export const QUARTER = /^\d{4}-Q[1-4]$/;

/** Who the service manager aligned with: rows 111 (customer success manager) and 115 (product owner). */
export const ALIGNMENT_PARTIES = ['CUSTOMER_SUCCESS_MANAGER', 'PRODUCT_OWNER'] as const;
export type AlignmentParty = (typeof ALIGNMENT_PARTIES)[number];
export const ALIGNMENT_ROWS: Record<AlignmentParty, number> = { CUSTOMER_SUCCESS_MANAGER: 111, PRODUCT_OWNER: 115 };

export interface ReviewAlignment {
  id: string;
  customerId: string;
  quarter: string;
  party: AlignmentParty;
  note: string;
  by: string;
  at: Date;
}

export const ACTION_POINT_STATUSES = ['OPEN', 'DONE'] as const;
export type ActionPointStatus = (typeof ACTION_POINT_STATUSES)[number];

export interface ActionPointFollowUp {
  note: string;
  status: ActionPointStatus;
  by: string;
  at: Date;
}

/** Row 117: an action point of the customer meeting, followed up and communicated to the customer. */
export interface ReviewActionPoint {
  id: string;
  customerId: string;
  quarter: string;
  description: string;
  /** Who follows it up: a name, on the customer's side or the desk's. */
  owner: string;
  dueAt: Date;
  status: ActionPointStatus;
  followUps: ActionPointFollowUp[];
  createdBy: string;
  createdAt: Date;
  version: number;
}

export function newActionPoint(fields: {
  id: string;
  customerId: string;
  quarter: string;
  description: string;
  owner: string;
  dueAt: Date;
  by: string;
  now: Date;
}): ReviewActionPoint {
  if (fields.dueAt.getTime() <= fields.now.getTime())
    throw badInput('input.dueAt', 'An action point is due in the future');
  return {
    id: fields.id,
    customerId: fields.customerId,
    quarter: fields.quarter,
    description: fields.description.trim(),
    owner: fields.owner.trim(),
    dueAt: fields.dueAt,
    status: 'OPEN',
    followUps: [],
    createdBy: fields.by,
    createdAt: fields.now,
    version: 1,
  };
}

/** A follow-up note, and the status after it; a DONE action point is not followed up again. */
export function followUp(
  point: ReviewActionPoint,
  fields: { note: string; status: ActionPointStatus; by: string; now: Date },
): ReviewActionPoint {
  if (point.status === 'DONE')
    throw invalidTransition('DONE', fields.status, [], { reason: 'the action point is done' });
  return {
    ...point,
    status: fields.status,
    followUps: [...point.followUps, { note: fields.note.trim(), status: fields.status, by: fields.by, at: fields.now }],
    version: point.version + 1,
  };
}
