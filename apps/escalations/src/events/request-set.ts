import { compareInstantsOf, instantOf } from '@servicecenter/platform-events';
import type { SlaReached } from '../persistence/attention.repository';

/**
 * How a set of request events and SLA warnings/breaches changes the SLA risk read model, worked
 * out in memory so that a whole set is written with a few statements and leaves the rows that
 * applying its events one by one would leave.
 *
 * One by one, per request, in delivery order:
 * - a request event replaces the read model's facts if its version is newer (the first of equal
 *   ones stays); if the event's status is CLOSED and the request then reads CLOSED, the request's
 *   risks are cleared;
 * - an SLA warning or breach is upserted into its request target's risk, and cleared at once if
 *   the request reads CLOSED (a late warning of a closed request).
 * So a request's risks end up as the SLA events after its last clearing applied to nothing (the
 * request is "reset"), or, if nothing cleared them, all of its SLA events applied to the stored
 * risks.
 */

/** One event of the set, in delivery order: a request event's facts, or an SLA warning or breach. */
export type SetEvent =
  | { requestId: string; facts: { version: number; status: string }; risk?: undefined }
  | { requestId: string; facts?: undefined; risk: SlaReached };

/** The stored facts the clearing depends on (the read model row before the set). */
export type StoredFacts = ReadonlyMap<string, { version: number; status: string }>;

/**
 * Requests whose clearing depends on the stored facts: a closing event in the set, or request
 * events and SLA events of the same request (a request event may close or reopen it between
 * them). A request with SLA events only reads the same facts throughout the set: the risk
 * statement itself skips and clears closed requests.
 */
export function requestsNeedingStoredFacts(events: readonly SetEvent[]): string[] {
  const facts = new Set<string>();
  const risks = new Set<string>();
  const closing = new Set<string>();
  for (const e of events) {
    if (e.facts) {
      facts.add(e.requestId);
      if (e.facts.status === 'CLOSED') closing.add(e.requestId);
    } else risks.add(e.requestId);
  }
  return [...new Set([...closing, ...[...risks].filter((id) => facts.has(id))])];
}

/**
 * The risk writes of a set: `reset` requests lose every stored risk first; then `waves` of
 * upserts (SlaRiskRepository.reached, at most one row per request target in a wave, at most two
 * waves) apply the remaining SLA events. `stored` must hold the facts of every request
 * `requestsNeedingStoredFacts` named (absent: no read model row yet).
 */
export function planRisks(
  events: readonly SetEvent[],
  stored: StoredFacts,
): { reset: string[]; waves: SlaReached[][] } {
  const byRequest = new Map<string, SetEvent[]>();
  for (const e of events) {
    const list = byRequest.get(e.requestId);
    if (list) list.push(e);
    else byRequest.set(e.requestId, [e]);
  }
  const needing = new Set(requestsNeedingStoredFacts(events));
  const reset: string[] = [];
  const kept: SlaReached[] = [];
  for (const [requestId, list] of byRequest) {
    let from = 0;
    if (needing.has(requestId)) {
      let facts = stored.get(requestId);
      let clearedAt = -1;
      list.forEach((e, i) => {
        if (e.facts) {
          if (!facts || facts.version < e.facts.version) facts = e.facts;
          if (e.facts.status === 'CLOSED' && facts.status === 'CLOSED') clearedAt = i;
        } else if (facts?.status === 'CLOSED') clearedAt = i;
      });
      if (clearedAt >= 0) {
        reset.push(requestId);
        from = clearedAt + 1;
      }
    }
    for (const e of list.slice(from)) if (e.risk) kept.push(e.risk);
  }
  return { reset, waves: compactRisks(kept) };
}

/**
 * SLA events of request targets (each target's in delivery order) reduced to at most two rows
 * per target with the upsert's rule (the highest threshold; the breach flag; the newest instant;
 * the due time of a breach, or of a warning at least as new as everything before it): the events
 * up to the target's last breach become one row (its due time is that breach's, whatever was
 * stored), those after it a second row (the due time of the last of the newest; the stored one
 * if the stored instant is newer). Applying the rows in order gives what applying the events one
 * by one gives.
 */
export function compactRisks(reached: readonly SlaReached[]): SlaReached[][] {
  const byTarget = new Map<string, SlaReached[]>();
  for (const r of reached) {
    const key = `${r.requestId}/${r.kind}`;
    const list = byTarget.get(key);
    if (list) list.push(r);
    else byTarget.set(key, [r]);
  }
  const first: SlaReached[] = [];
  const second: SlaReached[] = [];
  for (const list of byTarget.values()) {
    const lastBreach = list.findLastIndex((r) => r.breached);
    if (lastBreach < 0) first.push(fold(list, false));
    else {
      first.push(fold(list.slice(0, lastBreach + 1), true));
      if (lastBreach + 1 < list.length) second.push(fold(list.slice(lastBreach + 1), false));
    }
  }
  return second.length > 0 ? [first, second] : first.length > 0 ? [first] : [];
}

/** Events of one target as one row; `breach`: the last of them is a breach, whose due time stands. */
function fold(list: readonly SlaReached[], breach: boolean): SlaReached {
  let newest = list[0];
  let newestAt = instantOf(newest.at);
  let threshold = 0;
  for (const r of list) {
    threshold = Math.max(threshold, r.breached ? 1 : r.threshold);
    // Each instant parsed once (the newest's is kept), not twice per comparison.
    const at = instantOf(r.at);
    if (compareInstantsOf(at, newestAt) >= 0) {
      newest = r;
      newestAt = at;
    }
  }
  return {
    requestId: list[0].requestId,
    kind: list[0].kind,
    threshold,
    breached: breach,
    at: newest.at,
    dueAt: breach ? list[list.length - 1].dueAt : newest.dueAt,
  };
}
