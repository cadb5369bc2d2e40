import type { EntityManager } from 'typeorm';
import type { BusinessCalendar } from '@servicecenter/calendar';
import type { EventConsumer } from '@servicecenter/events';
import { REQUEST_EVENTS, RequestRegistered, type RequestFacts } from '@servicecenter/contracts';
import { applyRequestEvent, evaluate, nextThresholdAt, type Agreement } from '../domain/clocks';
import { timelineChanges } from '../domain/clock-timeline';
import { onRequestRegistered } from '../domain/request-sla';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { SlaStateRepository } from '../persistence/sla-state.repository';

export interface ClockDeps {
  agreement: Agreement;
  calendar: BusinessCalendar;
}

/** Applies one request event to the request's clocks: state, clock rows and timeline together. */
export async function trackClocks(manager: EntityManager, event: { type: string; sequence: string }, data: RequestFacts & Record<string, unknown>, deps: ClockDeps): Promise<void> {
  const store = new SlaStateRepository(manager);
  const before = await store.lock(data.requestId);
  const after = applyRequestEvent(before, { type: event.type, sequence: event.sequence, data }, deps.agreement, deps.calendar);
  if (!after || after === before) return;
  const at = new Date(data.occurredAt);
  const published = await store.publishedThresholds(data.requestId);
  const rows = after.clocks.map((clock) => {
    const now = evaluate(clock, at, deps.calendar);
    const next = nextThresholdAt(clock, deps.agreement.thresholds, published.get(clock.kind) ?? [], deps.calendar);
    return { kind: clock.kind, state: now.state, unit: clock.budget?.unit ?? null, budgetMs: clock.budget?.ms ?? null, dueAt: now.dueAt, nextCheckAt: next?.at ?? null, nextThreshold: next?.threshold ?? null };
  });
  await store.save(after, data, rows, at);
  if (before) {
    const timeline = new RequestSlaRepository(manager);
    for (const entry of timelineChanges(before, after)) await timeline.appendTimeline({ requestId: data.requestId, at, ...entry });
  }
}

/** The SLA service follows requests through their events, never through their database. */
export function registerRequestEventHandlers(consumer: EventConsumer, deps: ClockDeps): void {
  for (const contract of REQUEST_EVENTS) {
    consumer.on(contract, async (data, ctx) => {
      if (contract.type === RequestRegistered.type) await onRequestRegistered(new RequestSlaRepository(ctx.manager), data as never);
      await trackClocks(ctx.manager, ctx.envelope, data as RequestFacts & Record<string, unknown>, deps);
    });
  }
}
