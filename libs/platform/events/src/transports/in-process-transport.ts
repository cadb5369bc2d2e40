import type { DeliveredMessage, EventTransport, SubscribeOptions, Subscription, TransportMessage } from './transport';

interface Group {
  topics: Set<string>;
  handle: SubscribeOptions['handle'];
  /** Deliveries to one group run one after another, like one Kafka partition. */
  tail: Promise<void>;
  active: boolean;
}

/**
 * The embedded-mode transport: a per-topic log in memory with consumer groups. `publish`
 * resolves only after every subscribed group has handled the message, so the outbox relay
 * marks a row published only once its consumers applied it: a crash in between leaves the
 * row unpublished and it is delivered again after the restart (the inbox drops the repeat).
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  private readonly logs = new Map<string, DeliveredMessage[]>();
  private readonly groups = new Map<string, Group>();

  constructor(private readonly options: { retainPerTopic?: number } = {}) {}

  async start(): Promise<void> {
    // Nothing to connect to: the log lives in this process.
  }

  async publish(messages: TransportMessage[]): Promise<void> {
    for (const message of messages) {
      const log = this.logFor(message.topic);
      const delivered: DeliveredMessage = {
        topic: message.topic,
        partition: 0,
        offset: String(log.length),
        envelope: message.envelope,
        headers: { ...(message.headers ?? {}) },
      };
      log.push(delivered);
      const retain = this.options.retainPerTopic ?? 10_000;
      if (log.length > retain) log.splice(0, log.length - retain);
      await Promise.all([...this.groups.values()].filter((g) => g.active && g.topics.has(message.topic)).map((g) => this.deliver(g, delivered)));
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.groups.get(options.groupId)?.active) throw new Error(`consumer group ${options.groupId} is already subscribed`);
    const group: Group = { topics: new Set(options.topics), handle: options.handle, tail: Promise.resolve(), active: true };
    this.groups.set(options.groupId, group);
    if (options.fromBeginning) {
      for (const topic of options.topics) for (const message of this.logFor(topic)) void this.deliver(group, message);
    }
    return {
      stop: async () => {
        group.active = false;
        await group.tail;
        this.groups.delete(options.groupId);
      },
    };
  }

  /** What was published on a topic (tests and the dead-letter inspection use this). */
  messages(topic: string): readonly DeliveredMessage[] {
    return this.logFor(topic);
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async stop(): Promise<void> {
    for (const group of this.groups.values()) group.active = false;
    await Promise.all([...this.groups.values()].map((g) => g.tail));
    this.groups.clear();
  }

  private deliver(group: Group, message: DeliveredMessage): Promise<void> {
    const run = async () => {
      // A handler that rejects has not taken the message; retry it like a Kafka consumer
      // would after a restart, unless the group is gone.
      for (let attempt = 1; group.active; attempt++) {
        try {
          await group.handle(message);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** attempt)));
        }
      }
    };
    const result = group.tail.then(run);
    group.tail = result.catch(() => undefined);
    return result;
  }

  private logFor(topic: string): DeliveredMessage[] {
    let log = this.logs.get(topic);
    if (!log) {
      log = [];
      this.logs.set(topic, log);
    }
    return log;
  }
}
