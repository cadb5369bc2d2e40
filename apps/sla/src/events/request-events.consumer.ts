import type { EntityManager } from 'typeorm';
import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import { event as newEvent, type EventConsumer, type NewEvent } from '@servicecenter/platform-events';
import {
  REQUEST_EVENTS,
  RequestRegistered,
  SlaTargetCompleted,
  SlaTargetResumed,
  type RequestFacts,
} from '@servicecenter/contracts';
import {
  agreementOf,
  applyRequestEvent,
  evaluate,
  eventName,
  nextThresholdAt,
  type Agreement,
  type AgreementRef,
  type RequestSlaState,
} from '../domain/clocks';
import { timelineChanges } from '../domain/clock-timeline';
import { onRequestsRegistered, type SlaTimelineEntry } from '../domain/request-sla';
import { targetSettlements, type TargetSettlement } from '../domain/target-settlement';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { SlaStateRepository, type ClockRow } from '../persistence/sla-state.repository';
import type { AgreementBook, ResolvedAgreement } from '../persistence/agreement.repository';

/** The clock rows (indexed due times and next scanner check) of a state at `at`. */
export function clockRows(
  state: RequestSlaState,
  at: Date,
  agreement: Agreement,
  calendar: BusinessCalendar,
  published: Map<string, number[]>,
): ClockRow[] {
  return state.clocks.map((clock) => {
    const now = evaluate(clock, at, calendar);
    const next = nextThresholdAt(clock, agreement.thresholds, published.get(clock.kind) ?? [], calendar);
    return {
      kind: clock.kind,
      state: now.state,
      unit: clock.budget?.unit ?? null,
      budgetMs: clock.budget?.ms ?? null,
      dueAt: now.dueAt,
      nextCheckAt: next?.at ?? null,
      nextThreshold: next?.threshold ?? null,
    };
  });
}

/** The agreement version a state's clocks run on, as a key. */
const versionKey = (state: RequestSlaState): string => {
  const { id, version } = agreementOf(state);
  return `${id}@${version}`;
};

/** A request event as the clocks need it: its type, outbox position and payload. */
export interface TrackedEvent {
  type: string;
  sequence: string;
  data: RequestFacts & Record<string, unknown>;
}

/**
 * Applies request events to the requests' clocks: states, clock rows and timelines together,
 * in the caller's transaction. The states of all requests concerned are locked and read with
 * one query, the events folded over them in memory in delivery order, and every changed
 * request written once (its state after its last event), so a backlog costs a few statements
 * per set rather than per event. Target completions and resumptions are published as the
 * event that caused them.
 * `untracked`: requests whose tracking this transaction started (`onRequestsRegistered`), each
 * with the agreement in force at its registration that the start found: they have no state
 * yet, so there is none to lock and read, nor an agreement to look up (a live registration's
 * set costs two round trips less; a registration delivered again after its inbox entry was
 * purged is not in it, so the existing state is read and the repeat changes nothing).
 * The agreement: at registration the customer's agreement in force at the registration time
 * (recorded in the state); for every later event the recorded version, so a new agreement
 * version only reaches running requests when an admin asks to recalculate.
 */
export async function trackClocks<E extends TrackedEvent>(
  manager: EntityManager,
  events: readonly E[],
  book: AgreementBook,
  publish: (cause: E, ...events: NewEvent[]) => void,
  untracked: ReadonlyMap<string, AgreementRef | null> = new Map(),
): Promise<void> {
  const store = new SlaStateRepository(manager);
  const requestIds = [...new Set(events.map((e) => e.data.requestId))].filter((id) => !untracked.has(id));
  const states = await store.lockMany(requestIds);
  // Only the scanner publishes thresholds, and only of requests with a state: a registration reads none.
  const published = await store.publishedThresholdsOf([...states.keys()]);
  // A request's last change in the set: its clock rows are computed once, from that state.
  const last = new Map<
    string,
    { state: RequestSlaState; facts: RequestFacts; at: Date; agreement: Agreement; calendar: BusinessCalendar }
  >();
  const timeline: SlaTimelineEntry[] = [];
  // A state's recorded agreement version, looked up once per version and set (no await per event).
  const byVersion = new Map<string, ResolvedAgreement>();
  const agreementFor = async (before: RequestSlaState | null, data: RequestFacts & Record<string, unknown>) => {
    if (before) {
      const resolved = await book.forState(before, manager);
      byVersion.set(versionKey(before), resolved);
      return resolved;
    }
    if (untracked.has(data.requestId)) return book.inForce(untracked.get(data.requestId) ?? null, manager);
    const registeredAt = new Date((data['registeredAt'] as string | undefined) ?? data.occurredAt);
    return book.current(data.customerId, registeredAt, manager);
  };
  for (const event of events) {
    const { data } = event;
    const before = states.get(data.requestId) ?? null;
    if (!before && eventName(event.type) !== 'registered') continue; // nothing to measure before registration
    const { agreement, calendar } = (before && byVersion.get(versionKey(before))) || (await agreementFor(before, data));
    const after = applyRequestEvent(before, { type: event.type, sequence: event.sequence, data }, agreement, calendar);
    if (!after || after === before) continue;
    const at = new Date(data.occurredAt);
    states.set(data.requestId, after);
    last.set(data.requestId, { state: after, facts: data, at, agreement, calendar });
    const settlements = targetSettlements(before, after, calendar).map((settlement) =>
      settlementEvent(settlement, after, data, at),
    );
    if (settlements.length > 0) publish(event, ...settlements);
    if (before)
      timeline.push(...timelineChanges(before, after).map((entry) => ({ requestId: data.requestId, at, ...entry })));
  }
  await store.saveMany(
    [...last.values()].map(({ state, facts, at, agreement, calendar }) => ({
      state,
      facts,
      clocks: clockRows(state, at, agreement, calendar, published.get(state.requestId) ?? new Map()),
      now: at,
    })),
  );
  await new RequestSlaRepository(manager).appendTimelines(timeline);
}

/**
 * A target's completion or resumption as the event reporting builds compliance from. Written
 * out as one literal per event, not as the shared facts spread into each: V8 copies a spread
 * followed by keys the source lacks on its slow path, ≈ 2 µs a key (≈ 19 µs per completion,
 * docs/performance.md change 41); the payload is the same (the contract fixes the key order).
 */
function settlementEvent(settlement: TargetSettlement, state: RequestSlaState, data: RequestFacts, at: Date): NewEvent {
  const { clock } = settlement;
  const unit = clock.budget?.unit ?? 'CALENDAR_TIME';
  const budgetMs = clock.budget?.ms ?? 0;
  if (settlement.change === 'RESUMED')
    return newEvent(SlaTargetResumed, state.requestId, {
      requestId: state.requestId,
      customerId: data.customerId,
      productId: data.productId,
      productGroupId: data.productGroupId,
      teamId: data.teamId,
      type: state.type,
      priority: state.priority,
      kind: clock.kind,
      unit,
      budgetMs,
      requestVersion: data.version,
      resumedAt: at.toISOString(),
    });
  return newEvent(SlaTargetCompleted, state.requestId, {
    requestId: state.requestId,
    customerId: data.customerId,
    productId: data.productId,
    productGroupId: data.productGroupId,
    teamId: data.teamId,
    type: state.type,
    priority: state.priority,
    kind: clock.kind,
    unit,
    budgetMs,
    requestVersion: data.version,
    outcome: settlement.outcome,
    startedAt: clock.startedAt.toISOString(),
    completedAt: settlement.completedAt.toISOString(),
    dueAt: settlement.dueAt?.toISOString() ?? null,
    elapsedMs: settlement.elapsedMs,
    pausedMs: settlement.pausedMs,
    hardLimitMs: clock.hardLimitMs,
    hardLimitExceeded: settlement.hardLimitExceeded,
  });
}

/** The SLA service follows requests through their events, never through their database; a backlog a set at a time. */
export function registerRequestEventHandlers(consumer: EventConsumer, book: AgreementBook): void {
  consumer.onSet(REQUEST_EVENTS, async (items, ctx) => {
    const untracked = await onRequestsRegistered(
      new RequestSlaRepository(ctx.manager),
      // why: the type check makes item.data the payload of RequestRegistered, which TypeScript cannot narrow from the contract's type.
      items.filter((item) => item.contract.type === RequestRegistered.type).map((item) => item.data as never),
    );
    await trackClocks(
      ctx.manager,
      items.map((item) => ({
        type: item.envelope.type,
        sequence: item.envelope.sequence,
        data: item.data as RequestFacts & Record<string, unknown>,
        envelope: item.envelope,
      })),
      book,
      (cause, ...events) => ctx.publish(cause.envelope, ...events),
      untracked,
    );
  });
}
