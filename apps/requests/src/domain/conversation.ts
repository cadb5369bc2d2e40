import type { RequestStatus } from './request';

export type ReplySide = 'CUSTOMER' | 'SERVICE_CENTER' | 'SYSTEM';
export type Visibility = 'PUBLIC' | 'INTERNAL';
export type ReplyKind =
  | 'MESSAGE'
  | 'IN_HANDLING_NOTICE'
  | 'INFORMATION_REQUEST'
  | 'REMINDER'
  | 'SOLUTION'
  | 'CLOSING_TEXT'
  | 'HANDOVER_NOTE'
  | 'MUTATION_REPORT'
  | 'PRODUCT_DEVELOPMENT_QUESTION'
  | 'PRODUCT_DEVELOPMENT_ANSWER';

/** One entry of a request's conversation: public replies and internal notes. */
export interface Reply {
  id: string;
  requestId: string;
  authorId: string;
  side: ReplySide;
  visibility: Visibility;
  kind: ReplyKind;
  body: string;
  createdAt: Date;
}

/** The audit trail: every action on a request, who did it and when. */
export interface HistoryEntry {
  id: string;
  requestId: string;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  actorId: string;
  at: Date;
  details: Record<string, unknown>;
}

export type ChangeKind = 'NEW_FUNCTIONALITY' | 'BUG';

/** A product-development change that requests link to (DOMAIN.md: demand decides its rank). */
export interface ProductChange {
  ref: string;
  title: string | null;
  kind: ChangeKind;
  linkedBy: string;
  createdAt: Date;
}

/**
 * The history as a customer may see it: no internal notes, and no Service Center team ids
 * (teams are internal; the directory hides them from customers too).
 */
export function customerHistory(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries
    .filter((h) => h.action !== 'ADD_NOTE')
    .map((h) =>
      h.action === 'ASSIGN'
        ? { ...h, details: { assigneeId: (h.details.to as { assigneeId?: string } | undefined)?.assigneeId ?? null } }
        : h,
    );
}
