import type { EventEnvelope } from '../envelope';

export interface TransportMessage {
  topic: string;
  /** Partition key: the aggregate id, so one aggregate's events stay in order. */
  key: string;
  envelope: EventEnvelope;
  /** Extra wire headers beside the `ce_*` ones (dead-letter facts). */
  headers?: Record<string, string>;
}

export interface DeliveredMessage {
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
  /** Keeps a long-running handler's group membership alive (Kafka). */
  heartbeat?: () => Promise<void>;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /**
   * Resolves once the message is done with (applied, skipped or dead-lettered). A rejection
   * means "not done": the transport delivers it again later.
   */
  handle: (message: DeliveredMessage) => Promise<void>;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** Kafka in production, an in-process log in embedded mode: the same contract. */
export interface EventTransport {
  readonly kind: 'kafka' | 'in-process';
  start(): Promise<void>;
  publish(messages: TransportMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  isHealthy(): Promise<boolean>;
  stop(): Promise<void>;
}

export const deadLetterTopicFor = (groupId: string) => `${groupId}.dlq`;
