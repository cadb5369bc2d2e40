import type { EventConsumer } from '@servicecenter/events';
import { REQUEST_EVENTS, RequestPrioritised, RequestReplied, type RequestFacts } from '@servicecenter/contracts';
import { SlaRiskRepository } from '../persistence/attention.repository';
import { AskRepository, RequestViewRepository } from '../persistence/escalation.repository';

/**
 * The request read model ("no request, no escalation"): every request event carries the
 * request's facts after the change, so the newest version wins and older ones arriving late
 * change nothing. The consumer's inbox makes a redelivered event a no-op.
 */
export function registerRequestEventHandlers(consumer: EventConsumer): void {
  for (const contract of REQUEST_EVENTS) {
    consumer.on(contract, async (data, ctx) => {
      const facts = data as RequestFacts & Record<string, unknown>;
      const view = new RequestViewRepository(ctx.manager);
      await view.applyFacts(facts, facts.requestedPriority);
      await view.markSeen(facts.requestId, typeof facts['registeredAt'] === 'string' ? facts['registeredAt'] : facts.occurredAt);
      // Only a closing event can close the read model's request (SLA events clear late risks themselves).
      if (facts.status === 'CLOSED') await new SlaRiskRepository(ctx.manager).clearIfClosed(facts.requestId);
      if (contract.type === RequestReplied.type && facts['visibility'] === 'PUBLIC' && facts['side'] === 'SERVICE_CENTER') {
        await view.markPublicUpdate(facts.requestId, facts.occurredAt);
      }
      if (contract.type === RequestPrioritised.type && facts.priority) {
        await new AskRepository(ctx.manager).markTookEffect(facts.requestId, facts.priority, facts.occurredAt);
      }
    });
  }
}
