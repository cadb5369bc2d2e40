import type { Caller } from '@servicecenter/platform-auth';
import { badInput, invalidTransition } from '@servicecenter/platform-errors';
import { isInternal } from './authorisation';
import { currentPriority, type RequestView } from './escalation';

/** DOMAIN.md "Disruption communication (major incidents)". */
export const DISRUPTION_SOURCES = ['CUSTOMER_REPORT', 'MONITORING', 'PRODUCT_DEVELOPMENT'] as const;
export type DisruptionSource = (typeof DISRUPTION_SOURCES)[number];
export const DISRUPTION_STATUSES = ['DRAFT', 'PUBLISHED', 'RESOLVED', 'CLOSED'] as const;
export type DisruptionStatus = (typeof DISRUPTION_STATUSES)[number];

const HOUR = 60 * 60 * 1000;
/** The first notice says when the next update comes: within 2 hours at the latest. */
export const FIRST_UPDATE_WITHIN_MS = 2 * HOUR;
/** Updates come at least once a day. */
export const UPDATE_WITHIN_MS = 24 * HOUR;
/** The notice is closed 4 hours after the solution. */
export const AUTO_CLOSE_AFTER_MS = 4 * HOUR;

export interface DisruptionUpdate {
  message: string;
  by: string;
  at: Date;
  nextUpdateDueAt: Date;
}

export interface DisruptionNotice {
  id: string;
  number: string;
  productId: string;
  source: DisruptionSource;
  title: string;
  startedAt: Date | null;
  userExperience: string | null;
  affectedCustomerIds: string[];
  status: DisruptionStatus;
  openedBy: string;
  openedAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  nextUpdateDueAt: Date | null;
  updateOverdue: boolean;
  updates: DisruptionUpdate[];
  linkedRequestIds: string[];
  cause: string | null;
  solution: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** The community post the first notice's broadcast links to (raci.csv row 123). */
  communityPostUrl: string | null;
  /** Product development instructed to analyse (row 121): what, by whom, when. */
  analysisInstruction: string | null;
  analysisInstructedBy: string | null;
  analysisInstructedAt: Date | null;
  /** Product development started the analysis (row 122). */
  analysisStartedBy: string | null;
  analysisStartedAt: Date | null;
  version: number;
}

/** DN-2026-0001: year of opening and a counter per year. */
export const disruptionNumber = (year: number, sequence: number) => `DN-${year}-${String(sequence).padStart(4, '0')}`;

const ALLOWED: Record<DisruptionStatus, DisruptionStatus[]> = {
  DRAFT: ['PUBLISHED'],
  PUBLISHED: ['RESOLVED'],
  RESOLVED: ['CLOSED'],
  CLOSED: [],
};

function mustMove(notice: DisruptionNotice, to: DisruptionStatus, reason?: string): void {
  if (!ALLOWED[notice.status].includes(to))
    throw invalidTransition(notice.status, to, ALLOWED[notice.status], reason ? { reason } : {});
}

const blank = (s: string | null | undefined) => !s || s.trim().length === 0;

export function openDisruptionNotice(fields: {
  id: string;
  number: string;
  productId: string;
  source: DisruptionSource;
  title: string;
  startedAt: Date | null;
  userExperience: string | null;
  affectedCustomerIds: string[];
  openedBy: string;
  now: Date;
}): DisruptionNotice {
  return {
    id: fields.id,
    number: fields.number,
    productId: fields.productId,
    source: fields.source,
    title: fields.title,
    startedAt: fields.startedAt,
    userExperience: fields.userExperience,
    affectedCustomerIds: [...new Set(fields.affectedCustomerIds)],
    status: 'DRAFT',
    openedBy: fields.openedBy,
    openedAt: fields.now,
    publishedBy: null,
    publishedAt: null,
    nextUpdateDueAt: null,
    updateOverdue: false,
    updates: [],
    linkedRequestIds: [],
    cause: null,
    solution: null,
    resolvedBy: null,
    resolvedAt: null,
    closedAt: null,
    communityPostUrl: null,
    analysisInstruction: null,
    analysisInstructedBy: null,
    analysisInstructedAt: null,
    analysisStartedBy: null,
    analysisStartedAt: null,
    version: 1,
  };
}

function nextDue(field: string, nextUpdateDueAt: Date, now: Date, withinMs: number, what: string): void {
  if (nextUpdateDueAt.getTime() <= now.getTime()) throw badInput(field, `The next update must be due in the future`);
  if (nextUpdateDueAt.getTime() - now.getTime() > withinMs)
    throw badInput(
      field,
      `${what}: the next update is due at ${new Date(now.getTime() + withinMs).toISOString()} at the latest`,
    );
}

/**
 * raci.csv row 119: "If the problem is priority High: publish a disruption notice". The problem's
 * priority is that of the customers' requests linked to the notice (the Service Center's priority, or
 * the requested one until it set one): one of them must be High. A notice a customer reported needs its
 * request linked first; one from monitoring or product development may go out before any customer
 * registered a request (DOMAIN.md "Disruption communication"), but once requests are linked, one is High.
 */
export function mustBeHighProblem(
  notice: Pick<DisruptionNotice, 'status' | 'source'>,
  linked: readonly Pick<RequestView, 'priority' | 'requestedPriority'>[],
): void {
  if (!linked.length && notice.source !== 'CUSTOMER_REPORT') return;
  if (!linked.some((r) => currentPriority(r) === 'HIGH'))
    throw invalidTransition(notice.status, 'PUBLISHED', [], {
      reason: linked.length
        ? 'a disruption notice is published for a problem of priority High: none of the linked requests has priority HIGH'
        : "a disruption notice is published for a problem of priority High: link the customer's request (priority HIGH) first",
      missing: ['linkedRequest.priority=HIGH'],
    });
}

/**
 * The first notice: product, start time and how users experience it are known, the problem is
 * priority High (a linked request of priority HIGH), and the next update comes within 2 hours at the latest.
 */
export function publishDisruptionNotice(
  notice: DisruptionNotice,
  fields: {
    nextUpdateDueAt: Date;
    by: string;
    now: Date;
    startedAt?: Date | null;
    userExperience?: string | null;
    /** The community post the broadcast links to (row 123); keeps the draft's when not given. */
    communityPostUrl?: string | null;
    linked: readonly Pick<RequestView, 'priority' | 'requestedPriority'>[];
  },
): DisruptionNotice {
  mustMove(notice, 'PUBLISHED', notice.status === 'DRAFT' ? undefined : 'the notice is already published');
  mustBeHighProblem(notice, fields.linked);
  const startedAt = fields.startedAt ?? notice.startedAt;
  const userExperience = blank(fields.userExperience)
    ? notice.userExperience
    : (fields.userExperience as string).trim();
  const missing = [
    blank(notice.productId) ? 'productId' : null,
    startedAt ? null : 'startedAt',
    blank(userExperience) ? 'userExperience' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length)
    throw badInput(
      `input.${missing[0]}`,
      `The first notice needs the product, the start time and how users experience the disruption (missing: ${missing.join(', ')})`,
      { missing },
    );
  nextDue(
    'input.nextUpdateDueAt',
    fields.nextUpdateDueAt,
    fields.now,
    FIRST_UPDATE_WITHIN_MS,
    'The first notice says when the next update comes, within 2 hours',
  );
  return {
    ...notice,
    startedAt,
    userExperience,
    status: 'PUBLISHED',
    communityPostUrl: fields.communityPostUrl ?? notice.communityPostUrl,
    publishedBy: fields.by,
    publishedAt: fields.now,
    nextUpdateDueAt: fields.nextUpdateDueAt,
    updateOverdue: false,
    version: notice.version + 1,
  };
}

/** An update on a published notice; the next one comes at least once a day. */
export function postDisruptionUpdate(
  notice: DisruptionNotice,
  fields: { message: string; nextUpdateDueAt: Date; by: string; now: Date },
): DisruptionNotice {
  if (notice.status !== 'PUBLISHED')
    throw invalidTransition(notice.status, 'UPDATE', notice.status === 'DRAFT' ? ['PUBLISHED'] : [], {
      reason: 'updates are posted on a published notice',
    });
  if (blank(fields.message)) throw badInput('input.message', 'An update needs a message');
  nextDue(
    'input.nextUpdateDueAt',
    fields.nextUpdateDueAt,
    fields.now,
    UPDATE_WITHIN_MS,
    'Updates come at least once a day',
  );
  return {
    ...notice,
    nextUpdateDueAt: fields.nextUpdateDueAt,
    updateOverdue: false,
    updates: [
      ...notice.updates,
      { message: fields.message.trim(), by: fields.by, at: fields.now, nextUpdateDueAt: fields.nextUpdateDueAt },
    ],
    version: notice.version + 1,
  };
}

/**
 * The update due at `dueAt` did not come: the notice is flagged. Null when nothing changes
 * (an update moved the due time, the notice is no longer published, or it is already flagged).
 */
export function markUpdateOverdue(notice: DisruptionNotice, dueAt: Date): DisruptionNotice | null {
  if (notice.status !== 'PUBLISHED' || notice.updateOverdue) return null;
  if (!notice.nextUpdateDueAt || notice.nextUpdateDueAt.getTime() !== dueAt.getTime()) return null;
  return { ...notice, updateOverdue: true, version: notice.version + 1 };
}

/** Links a customer's request on the notice's product; linking twice changes nothing. */
export function linkRequest(
  notice: DisruptionNotice,
  request: { requestId: string; number: string; productId: string | null },
): DisruptionNotice {
  if (notice.status === 'RESOLVED' || notice.status === 'CLOSED')
    throw invalidTransition(notice.status, 'LINK_REQUEST', ALLOWED[notice.status], {
      reason: 'requests are linked before resolution',
    });
  if (request.productId !== notice.productId)
    throw badInput('input.requestId', `Request ${request.number} is not about product ${notice.productId}`);
  if (notice.linkedRequestIds.includes(request.requestId)) return notice;
  return { ...notice, linkedRequestIds: [...notice.linkedRequestIds, request.requestId], version: notice.version + 1 };
}

/**
 * Row 121: the team lead instructs product development to analyse the disruption (again, to align: the
 * newest instruction stands). Before resolution only.
 */
export function instructAnalysis(
  notice: DisruptionNotice,
  fields: { instruction: string; by: string; now: Date },
): DisruptionNotice {
  if (notice.status === 'RESOLVED' || notice.status === 'CLOSED')
    throw invalidTransition(notice.status, 'ANALYSIS_INSTRUCTED', [], {
      reason: 'product development is instructed before the disruption is solved',
    });
  return {
    ...notice,
    analysisInstruction: fields.instruction.trim(),
    analysisInstructedBy: fields.by,
    analysisInstructedAt: fields.now,
    version: notice.version + 1,
  };
}

/** Row 122: product development starts the analysis it was instructed to do, once. */
export function startAnalysis(notice: DisruptionNotice, fields: { by: string; now: Date }): DisruptionNotice {
  if (notice.status === 'RESOLVED' || notice.status === 'CLOSED')
    throw invalidTransition(notice.status, 'ANALYSIS_STARTED', [], { reason: 'the disruption is already solved' });
  if (!notice.analysisInstructedAt)
    throw invalidTransition(notice.status, 'ANALYSIS_STARTED', [], {
      reason: 'product development starts the analysis once instructed (instructDisruptionAnalysis)',
      missing: ['analysisInstruction'],
    });
  if (notice.analysisStartedAt)
    throw invalidTransition(notice.status, 'ANALYSIS_STARTED', [], {
      reason: `the analysis started at ${notice.analysisStartedAt.toISOString()}`,
    });
  return { ...notice, analysisStartedBy: fields.by, analysisStartedAt: fields.now, version: notice.version + 1 };
}

/** Resolution: the cause in non-technical words and the solution, both required. */
export function resolveDisruptionNotice(
  notice: DisruptionNotice,
  fields: { cause: string; solution: string; by: string; now: Date },
): DisruptionNotice {
  mustMove(notice, 'RESOLVED', notice.status === 'DRAFT' ? 'a draft is published first' : undefined);
  const missing = [blank(fields.cause) ? 'cause' : null, blank(fields.solution) ? 'solution' : null].filter(
    (m): m is string => m !== null,
  );
  if (missing.length)
    throw badInput(`input.${missing[0]}`, 'Resolving needs the cause in non-technical words and the solution', {
      missing,
    });
  return {
    ...notice,
    status: 'RESOLVED',
    cause: fields.cause.trim(),
    solution: fields.solution.trim(),
    resolvedBy: fields.by,
    resolvedAt: fields.now,
    updateOverdue: false,
    version: notice.version + 1,
  };
}

/** When a resolved notice closes by itself. */
export const closesAt = (notice: Pick<DisruptionNotice, 'resolvedAt'>) =>
  notice.resolvedAt ? new Date(notice.resolvedAt.getTime() + AUTO_CLOSE_AFTER_MS) : null;

export function closeDisruptionNotice(notice: DisruptionNotice, now: Date): DisruptionNotice {
  mustMove(notice, 'CLOSED');
  return { ...notice, status: 'CLOSED', closedAt: now, version: notice.version + 1 };
}

/** Customers read public notices (never drafts) of products their organisation has requests on, or that name them. */
export function canReadNotice(
  caller: Caller,
  notice: Pick<DisruptionNotice, 'status' | 'affectedCustomerIds'>,
  customerHasRequestOnProduct: boolean,
): boolean {
  if (isInternal(caller)) return true;
  if (!caller.customerId || notice.status === 'DRAFT') return false;
  return customerHasRequestOnProduct || notice.affectedCustomerIds.includes(caller.customerId);
}
