import type { EventEnvelope } from '@servicecenter/contracts';

export interface TransportMessage {
  topic: string;
  /** Partition key: the aggregate id, so one aggregate's events stay in order. */
  key: string;
  envelope: EventEnvelope;
  /**
   * The JSON text of the envelope's data as the outbox stored it, when the relay did not parse
   * it (the envelope has no `data` then): a transport sends it as it is (Kafka's body).
   */
  data?: string;
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
  /**
   * Optional: several messages at once, in the order delivered (one Kafka partition, or the
   * group's queue in process), at most `maxBatchSize`. Resolves once every one of them is
   * done with; a rejection means "none of them is known done": the transport delivers them
   * again (the consumer's inbox drops what was applied).
   */
  handleBatch?: (messages: DeliveredMessage[]) => Promise<void>;
  /**
   * Optional: the event types (`ce_type`) the subscriber applies. Over Kafka a CloudEvent of
   * another type is done with as soon as its headers are read (its data is not parsed, it is
   * not handed over); without it every message is handed over.
   */
  accepts?: (type: string) => boolean;
  /** Upper bound of a batch given to `handleBatch` (default 1: one message at a time). */
  maxBatchSize?: number;
  /**
   * In process: the group whose result a user waits for after a change (the SLA clocks of a
   * just-registered request). While it is idle, a published message goes to it first and to
   * the other groups once it handled it, so it does not share the process and the cores with
   * their transactions meanwhile; while it is busy nobody waits for it. Over Kafka every group
   * consumes on its own and this changes nothing.
   */
  first?: boolean;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** Kafka in production, an in-process log in embedded mode: the same contract. */
export interface EventTransport {
  readonly kind: 'kafka' | 'in-process';
  /**
   * True when `publish` queues the messages for every subscribed group before it returns
   * and its promise settles only once they were handled (the in-process log). The relay then
   * hands a batch over inside its claim transaction and marks it published after the
   * promise resolved, without keeping the transaction open meanwhile.
   */
  readonly queuesOnPublish?: boolean;
  start(): Promise<void>;
  publish(messages: TransportMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  isHealthy(): Promise<boolean>;
  stop(): Promise<void>;
}

export { deadLetterTopicFor } from '@servicecenter/contracts';
