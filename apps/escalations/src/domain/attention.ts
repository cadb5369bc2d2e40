import { customerScope, type Caller, type CustomerScope } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import { RIGHTS } from './authorisation';

/** Why a request is on a service manager's attention list. */
export type AttentionReason = 'BREACHED' | 'ABOUT_TO_BREACH' | 'NO_RECENT_UPDATE';

export type SlaTargetKind = 'FIRST_RESPONSE' | 'ASSIGNMENT' | 'ACCEPTANCE' | 'WORKAROUND' | 'RESOLUTION';

/** A warning at or above this share of a target makes a request "about to breach". */
export const ABOUT_TO_BREACH_THRESHOLD = 0.75;

/** What the SLA events told this service about one target of a request (the sla_risk read model). */
export interface SlaRisk {
  kind: SlaTargetKind;
  /** The highest warning share reached (0 when only the breach is known). */
  threshold: number;
  dueAt: Date;
  breached: boolean;
}

/** An open request of a customer in the caller's scope, with what is known of its SLA risk. */
export interface AttentionCandidate {
  requestId: string;
  number: string;
  customerId: string;
  registeredAt: Date;
  lastPublicUpdateAt: Date | null;
  risks: SlaRisk[];
}

export interface AttentionItem {
  requestId: string;
  requestNumber: string;
  customerId: string;
  reasons: AttentionReason[];
  /** The worst SLA target: a breached one (earliest due), else the warned one due soonest. */
  worstTarget: { kind: SlaTargetKind; dueAt: Date } | null;
  lastPublicUpdateAt: Date | null;
  /** The last public update from the desk, else the registration: what "no recent update" counts from. */
  quietSince: Date;
}

export interface AttentionRules {
  now: Date;
  /** When a request quiet since `since` becomes stale (since + N working days). */
  staleAt(since: Date): Date;
}

/** The targets in the order a request meets them: the tie-break when two are due at the same time. */
const TARGET_ORDER: readonly SlaTargetKind[] = [
  'FIRST_RESPONSE',
  'ASSIGNMENT',
  'ACCEPTANCE',
  'WORKAROUND',
  'RESOLUTION',
];

/** Earliest due first; the same due time in the targets' order, not in the order the read model returned them. */
const byDue = (a: SlaRisk, b: SlaRisk) =>
  a.dueAt.getTime() - b.dueAt.getTime() || TARGET_ORDER.indexOf(a.kind) - TARGET_ORDER.indexOf(b.kind);

/**
 * The attention rule. A breached target stays until the request closes; a warning counts
 * only while its target is still running (due in the future): a warned target whose due time
 * passed without a breach was met or paused. Order: breached first (earliest due first),
 * then about to breach by due time, then stale requests quiet longest first.
 */
export function attentionItems(candidates: readonly AttentionCandidate[], rules: AttentionRules): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const c of candidates) {
    const breached = c.risks.filter((r) => r.breached).sort(byDue);
    const warned = c.risks
      .filter((r) => !r.breached && r.threshold >= ABOUT_TO_BREACH_THRESHOLD && r.dueAt > rules.now)
      .sort(byDue);
    const quietSince = c.lastPublicUpdateAt ?? c.registeredAt;
    const reasons: AttentionReason[] = [];
    if (breached.length > 0) reasons.push('BREACHED');
    if (warned.length > 0) reasons.push('ABOUT_TO_BREACH');
    if (rules.staleAt(quietSince) <= rules.now) reasons.push('NO_RECENT_UPDATE');
    if (reasons.length === 0) continue;
    const worst = breached[0] ?? warned[0];
    items.push({
      requestId: c.requestId,
      requestNumber: c.number,
      customerId: c.customerId,
      reasons,
      worstTarget: worst ? { kind: worst.kind, dueAt: worst.dueAt } : null,
      lastPublicUpdateAt: c.lastPublicUpdateAt,
      quietSince,
    });
  }
  return items.sort(compareAttention);
}

const rank = (item: AttentionItem) =>
  item.reasons.includes('BREACHED') ? 0 : item.reasons.includes('ABOUT_TO_BREACH') ? 1 : 2;

export function compareAttention(a: AttentionItem, b: AttentionItem): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  const key = (i: AttentionItem) =>
    rank(i) < 2 && i.worstTarget ? i.worstTarget.dueAt.getTime() : i.quietSince.getTime();
  return key(a) - key(b) || a.requestId.localeCompare(b.requestId);
}

/**
 * Who may read an attention list (a right): service managers and the managers of the Service
 * Center and service management; anyone else (customers included) is refused. Whose requests
 * are on it is the graph's visibility rule: a service manager's own customers, the managers
 * every customer.
 */
export function attentionScope(caller: Caller): CustomerScope {
  // Rows 94 and 95 (judge priority, registration date and business impact): the service manager (R), the
  // manager Service Center (A), and the manager Service Management by a declared exception.
  if (RIGHTS.mayRead(caller, RIGHTS.rowsOf('attentionList'))) return customerScope(caller);
  throw forbidden(
    `The attention list is for ${RIGHTS.readers(RIGHTS.rowsOf('attentionList')).join(', ')} (raci.csv rows 94, 95)`,
  );
}
