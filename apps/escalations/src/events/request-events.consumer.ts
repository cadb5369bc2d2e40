import { inWaves, type EventConsumer } from '@servicecenter/platform-events';
import { REQUEST_EVENTS, RequestPrioritised, RequestReplied, type RequestFacts } from '@servicecenter/contracts';
import { SlaRiskRepository } from '../persistence/attention.repository';
import { AskRepository, RequestViewRepository } from '../persistence/escalation.repository';

type Facts = RequestFacts & Record<string, unknown>;

/**
 * The request read model ("no request, no escalation"): every request event carries the
 * request's facts after the change, so the newest version wins and older ones arriving late
 * change nothing. The consumer's inbox makes a redelivered event a no-op. A backlog is applied
 * a set at a time: a few statements per wave (the n-th event of each request), not per event.
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  consumer.onSet(REQUEST_EVENTS, async (items, { manager }) => {
    const view = new RequestViewRepository(manager);
    for (const wave of inWaves(items, (item) => item.envelope.subject)) {
      const events = wave.map((item) => ({ type: item.contract.type, facts: item.data as Facts }));
      await view.applyFacts(events.map((e) => e.facts));
      // Only a closing event can close the read model's request (SLA events clear late risks themselves).
      await new SlaRiskRepository(manager).clearIfClosed(
        ...events.filter((e) => e.facts.status === 'CLOSED').map((e) => e.facts.requestId),
      );
      await view.markPublicUpdates(
        events
          .filter(
            (e) =>
              e.type === RequestReplied.type &&
              e.facts['visibility'] === 'PUBLIC' &&
              e.facts['side'] === 'SERVICE_CENTER',
          )
          .map((e) => ({ requestId: e.facts.requestId, at: e.facts.occurredAt })),
      );
      await new AskRepository(manager).markTookEffect(
        events
          .filter((e) => e.type === RequestPrioritised.type && e.facts.priority)
          .map((e) => ({ requestId: e.facts.requestId, priority: e.facts.priority as string, at: e.facts.occurredAt })),
      );
    }
  });
}
