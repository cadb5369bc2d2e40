import type {
  DeliveredMessage,
  EventTransport,
  SubscribeOptions,
  Subscription,
  TransportMessage,
} from '@servicecenter/platform-events';

/**
 * A transport whose topics and consumer groups carry a prefix on the wire: several graphs
 * (a seed run, the end-to-end specs, another desk) can share one Kafka broker without
 * reading each other's events or joining each other's groups. The services see the plain
 * names (the prefix is added on publish and subscribe and taken off on delivery), so
 * dead-letter topics (`<group>.dlq`) are namespaced as well.
 */
export class NamespacedTransport implements EventTransport {
  constructor(
    private readonly inner: EventTransport,
    private readonly prefix: string,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get queuesOnPublish() {
    return this.inner.queuesOnPublish;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  publish(messages: TransportMessage[]): Promise<void> {
    return this.inner.publish(messages.map((m) => ({ ...m, topic: this.prefix + m.topic })));
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    const plain = (m: DeliveredMessage): DeliveredMessage =>
      m.topic.startsWith(this.prefix) ? { ...m, topic: m.topic.slice(this.prefix.length) } : m;
    const { handleBatch } = options;
    return this.inner.subscribe({
      ...options,
      groupId: this.prefix + options.groupId,
      topics: options.topics.map((t) => this.prefix + t),
      handle: (m) => options.handle(plain(m)),
      handleBatch: handleBatch && ((ms) => handleBatch(ms.map(plain))),
    });
  }

  isHealthy(): Promise<boolean> {
    return this.inner.isHealthy();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
