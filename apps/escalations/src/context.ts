import DataLoader from 'dataloader';
import { byId, childrenLoader, loaderByKey, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from '@servicecenter/platform-service';
import type { CustomerRelation, CustomerScope } from '@servicecenter/platform-auth';
import type { AttentionItem } from './domain/attention';
import type { Escalation } from './domain/escalation';
import type { DisruptionUseCases } from './domain/disruption-use-cases';
import type { EscalationUseCases } from './domain/use-cases';
import type { DisruptionRepository } from './persistence/disruption.repository';
import type { CustomerRelationRepository } from './persistence/attention.repository';
import type { NotificationRepository } from './persistence/notification.repository';
import type { CustomerCommunicationRepository } from './persistence/communication.repository';
import type { ReviewRepository } from './persistence/review.repository';
import type { AskRepository, EscalationRepository, UrgentCallRepository } from './persistence/escalation.repository';

export interface EscalationsContext extends RequestContext {
  loaders: {
    escalationById: DataLoader<string, Escalation | null>;
    /** Escalations that include a request, newest first (Request.escalations). */
    escalationsByRequestId: DataLoader<string, { requestId: string; escalation: Escalation }[]>;
    /** Who looks after a customer (the visibility rule's facts); null when not heard of yet. */
    customerRelation: DataLoader<string, CustomerRelation | null>;
  };
  escalations: EscalationRepository;
  asks: AskRepository;
  calls: UrgentCallRepository;
  communications: CustomerCommunicationRepository;
  review: ReviewRepository;
  notifications: NotificationRepository;
  /** The service clock (tests move it). */
  now(): Date;
  useCases: EscalationUseCases;
  disruptions: DisruptionRepository;
  disruptionUseCases: DisruptionUseCases;
  /** The attention list of a scope, ordered (breached, about to breach, stale). */
  attention(scope: CustomerScope): Promise<AttentionItem[]>;
  status(): Promise<ServiceStatus>;
}

/** One set of DataLoaders per GraphQL operation: batching within it, no cache across callers. */
export function escalationLoaders(
  escalations: EscalationRepository,
  relations: CustomerRelationRepository,
): EscalationsContext['loaders'] {
  return {
    escalationById: byId((ids) => escalations.findByIds(ids)),
    escalationsByRequestId: childrenLoader(
      (ids) => escalations.ofRequests(ids),
      (link) => link.requestId,
    ),
    customerRelation: loaderByKey(
      (ids) => relations.relationsOf(ids),
      (r) => r.customerId,
    ),
  };
}
