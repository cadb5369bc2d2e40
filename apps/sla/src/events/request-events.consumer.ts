import type { EntityManager } from 'typeorm';
import type { BusinessCalendar } from '@servicecenter/calendar';
import { event as newEvent, type EventConsumer, type NewEvent } from '@servicecenter/events';
import { REQUEST_EVENTS, RequestRegistered, SlaTargetCompleted, SlaTargetResumed, type RequestFacts } from '@servicecenter/contracts';
import { applyRequestEvent, evaluate, eventName, nextThresholdAt, type Agreement, type RequestSlaState } from '../domain/clocks';
import { timelineChanges } from '../domain/clock-timeline';
import { onRequestRegistered } from '../domain/request-sla';
import { targetSettlements, type TargetSettlement } from '../domain/target-settlement';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { SlaStateRepository, type ClockRow } from '../persistence/sla-state.repository';
import type { AgreementBook } from '../persistence/agreement.repository';

/** The clock rows (indexed due times and next scanner check) of a state at `at`. */
export function clockRows(state: RequestSlaState, at: Date, agreement: Agreement, calendar: BusinessCalendar, published: Map<string, number[]>): ClockRow[] {
  return state.clocks.map((clock) => {
    const now = evaluate(clock, at, calendar);
    const next = nextThresholdAt(clock, agreement.thresholds, published.get(clock.kind) ?? [], calendar);
    return { kind: clock.kind, state: now.state, unit: clock.budget?.unit ?? null, budgetMs: clock.budget?.ms ?? null, dueAt: now.dueAt, nextCheckAt: next?.at ?? null, nextThreshold: next?.threshold ?? null };
  });
}

/**
 * Applies one request event to the request's clocks: state, clock rows and timeline together.
 * The agreement: at registration the customer's agreement in force at the registration time
 * (recorded in the state); for every later event the recorded version, so a new agreement
 * version only reaches running requests when an admin asks to recalculate.
 */
export async function trackClocks(
  manager: EntityManager,
  event: { type: string; sequence: string },
  data: RequestFacts & Record<string, unknown>,
  book: AgreementBook,
  publish: (...events: NewEvent[]) => void,
): Promise<void> {
  const store = new SlaStateRepository(manager);
  const before = await store.lock(data.requestId);
  if (!before && eventName(event.type) !== 'registered') return; // nothing to measure before registration
  const registeredAt = new Date((data['registeredAt'] as string | undefined) ?? data.occurredAt);
  const { agreement, calendar } = before ? await book.forState(before, manager) : await book.current(data.customerId, registeredAt, manager);
  const after = applyRequestEvent(before, { type: event.type, sequence: event.sequence, data }, agreement, calendar);
  if (!after || after === before) return;
  const at = new Date(data.occurredAt);
  const published = await store.publishedThresholds(data.requestId);
  await store.save(after, data, clockRows(after, at, agreement, calendar, published), at);
  publish(...targetSettlements(before, after, calendar).map((settlement) => settlementEvent(settlement, after, data, at)));
  if (before) {
    const timeline = new RequestSlaRepository(manager);
    for (const entry of timelineChanges(before, after)) await timeline.appendTimeline({ requestId: data.requestId, at, ...entry });
  }
}

/** A target's completion or resumption as the event reporting builds compliance from. */
function settlementEvent(settlement: TargetSettlement, state: RequestSlaState, data: RequestFacts, at: Date): NewEvent {
  const { clock } = settlement;
  const facts = {
    requestId: state.requestId,
    customerId: data.customerId,
    productId: data.productId,
    productGroupId: data.productGroupId,
    teamId: data.teamId,
    type: state.type,
    priority: state.priority,
    kind: clock.kind,
    unit: clock.budget?.unit ?? 'CALENDAR_TIME',
    budgetMs: clock.budget?.ms ?? 0,
    requestVersion: data.version,
  };
  if (settlement.change === 'RESUMED') return newEvent(SlaTargetResumed, state.requestId, { ...facts, resumedAt: at.toISOString() });
  return newEvent(SlaTargetCompleted, state.requestId, {
    ...facts,
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

/** The SLA service follows requests through their events, never through their database. */
export function registerRequestEventHandlers(consumer: EventConsumer, book: AgreementBook): void {
  for (const contract of REQUEST_EVENTS) {
    consumer.on(contract, async (data, ctx) => {
      if (contract.type === RequestRegistered.type) await onRequestRegistered(new RequestSlaRepository(ctx.manager), data as never);
      await trackClocks(ctx.manager, ctx.envelope, data as RequestFacts & Record<string, unknown>, book, ctx.publish);
    });
  }
}
