import DataLoader from 'dataloader';
import type { RequestContext } from '@servicecenter/graphql';
import type { ServiceStatus } from '@servicecenter/service';
import type { AttentionItem, AttentionScope } from './domain/attention';
import type { Escalation } from './domain/escalation';
import type { DisruptionUseCases } from './domain/disruption-use-cases';
import type { EscalationUseCases } from './domain/use-cases';
import type { DisruptionRepository } from './persistence/disruption.repository';
import type { NotificationRepository } from './persistence/notification.repository';
import type { AskRepository, EscalationRepository, UrgentCallRepository } from './persistence/escalation.repository';

export interface EscalationsContext extends RequestContext {
  loaders: {
    escalationById: DataLoader<string, Escalation | null>;
    /** Escalations that include a request, newest first (Request.escalations). */
    escalationsByRequestId: DataLoader<string, Escalation[]>;
  };
  escalations: EscalationRepository;
  asks: AskRepository;
  calls: UrgentCallRepository;
  notifications: NotificationRepository;
  /** The service clock (tests move it). */
  now(): Date;
  useCases: EscalationUseCases;
  disruptions: DisruptionRepository;
  disruptionUseCases: DisruptionUseCases;
  /** The attention list of a scope, ordered (breached, about to breach, stale). */
  attention(scope: AttentionScope): Promise<AttentionItem[]>;
  status(): Promise<ServiceStatus>;
}

/** One set of DataLoaders per GraphQL operation: batching within it, no cache across callers. */
export function escalationLoaders(escalations: EscalationRepository): EscalationsContext['loaders'] {
  return {
    escalationById: new DataLoader(async (ids) => {
      const found = new Map((await escalations.findByIds(ids)).map((e) => [e.id, e]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    escalationsByRequestId: new DataLoader(async (ids) => {
      const byRequest = new Map<string, Escalation[]>(ids.map((id) => [id, []]));
      for (const { requestId, escalation } of await escalations.ofRequests(ids)) byRequest.get(requestId)?.push(escalation);
      return ids.map((id) => byRequest.get(id) ?? []);
    }),
  };
}
