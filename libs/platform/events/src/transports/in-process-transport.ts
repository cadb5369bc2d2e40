import { AsyncResource } from 'node:async_hooks';
import type { DeliveredMessage, EventTransport, SubscribeOptions, Subscription, TransportMessage } from './transport';

/** A topic's log: the messages kept (up to twice `retainPerTopic`) and the next offset, which keeps counting past the trimmed ones. */
interface TopicLog {
  messages: DeliveredMessage[];
  next: number;
}

interface Queued {
  message: DeliveredMessage;
  done: () => void;
  failed: (error: Error) => void;
}

interface Group {
  topics: Set<string>;
  handle: SubscribeOptions['handle'];
  handleBatch?: SubscribeOptions['handleBatch'];
  maxBatchSize: number;
  /** The group's own queue: handled in this order, like one Kafka partition. */
  queue: Queued[];
  /** The running drain loop, if any. */
  draining?: Promise<void>;
  /**
   * Starts a drain loop in the subscriber's async context: the loop belongs to the consumer,
   * not to whichever publisher queued first (a relay inside its claim transaction).
   */
  startDrain: () => Promise<void>;
  active: boolean;
  /** Delivered before the other groups while idle (`SubscribeOptions.first`). */
  first: boolean;
  /**
   * Another group's messages held until the first groups handled them: settles once the last
   * held ones are in this group's queue. Later messages queue behind it, so the group keeps
   * the publishing order.
   */
  held?: Promise<void>;
}

/** How long the other groups wait for the first groups at most (a first group retrying after a failure). */
const DEFAULT_HOLD_MS = 100;

/**
 * The embedded-mode transport: a per-topic log in memory with consumer groups. Each group
 * has its own queue and works through it independently (in order, in batches when the
 * subscriber takes batches), so a slow group never holds up the others or the publisher.
 *
 * `publish` queues the messages for every subscribed group before it returns, and its
 * promise resolves only after every group has handled them (rejects when a group stopped
 * before it did). The outbox relay therefore still marks a row published only once its
 * consumers applied it: a crash in between leaves the row unpublished and it is delivered
 * again after the restart (the inbox drops the repeat). The relay does not keep its
 * transaction open while it waits (`queuesOnPublish`).
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  readonly queuesOnPublish = true;
  private readonly logs = new Map<string, TopicLog>();
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly options: {
      retainPerTopic?: number;
      /** Longest wait of the other groups for the first groups (`SubscribeOptions.first`), default 100 ms. */
      holdMs?: number;
    } = {},
  ) {}

  async start(): Promise<void> {
    // Nothing to connect to: the log lives in this process.
  }

  /**
   * Queues synchronously for the first groups (`SubscribeOptions.first`) and for every other
   * group that is not held; the promise resolves once every subscribed group handled every
   * message. When every first group the messages go to is idle, the other groups get them once
   * the first groups handled them (at most `holdMs` later), each behind what it was already
   * held, so every group still sees the messages in publishing order.
   */
  publish(messages: TransportMessage[]): Promise<void> {
    const delivered = messages.map((message) => {
      const log = this.logFor(message.topic);
      const entry: DeliveredMessage = {
        topic: message.topic,
        partition: 0,
        offset: String(log.next++),
        envelope: message.envelope,
        headers: { ...(message.headers ?? {}) },
      };
      log.messages.push(entry);
      // Trimmed once it holds twice what it keeps, not by one message per publish: removing
      // from the front moves every later entry (~50 µs a message at 10,000, for every message
      // once a long-running process had published that many).
      if (log.messages.length >= 2 * this.retain) log.messages.splice(0, log.messages.length - this.retain);
      return entry;
    });
    // Each active group with the messages of its topics, once.
    const receivers: { group: Group; mine: DeliveredMessage[] }[] = [];
    for (const group of this.groups.values()) {
      if (!group.active) continue;
      const mine = delivered.filter((m) => group.topics.has(m.topic));
      if (mine.length > 0) receivers.push({ group, mine });
    }
    const first = receivers.filter((r) => r.group.first);
    // Idle: nothing queued or being handled, so nothing of theirs is waited for but these messages.
    const idle = first.length > 0 && first.every(({ group }) => group.queue.length === 0 && !group.draining);
    const handled: Promise<void>[] = [];
    for (const { group, mine } of first) for (const message of mine) handled.push(this.enqueue(group, message));
    const gate = idle ? this.holdUntil(Promise.allSettled([...handled])) : undefined;
    for (const { group, mine } of receivers) {
      if (group.first) continue;
      if (!gate && !group.held) {
        for (const message of mine) handled.push(this.enqueue(group, message));
        continue;
      }
      let done: Promise<void> = Promise.resolve();
      const queued = (group.held ?? Promise.resolve())
        .then(() => gate)
        .then(() => {
          done = Promise.all(mine.map((message) => this.enqueue(group, message))).then(() => undefined);
        });
      group.held = queued;
      void queued.then(() => {
        if (group.held === queued) group.held = undefined;
      });
      handled.push(queued.then(() => done));
    }
    return Promise.all(handled).then(() => undefined);
  }

  /** Messages kept per topic (`retainPerTopic`, default 10,000). */
  private get retain(): number {
    return this.options.retainPerTopic ?? 10_000;
  }

  /** Settles when `handled` does, or after `holdMs` (a first group retrying must not stall the others). */
  private holdUntil(handled: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.holdMs ?? DEFAULT_HOLD_MS);
      timer.unref();
    });
    return Promise.race([handled.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.groups.get(options.groupId)?.active)
      throw new Error(`consumer group ${options.groupId} is already subscribed`);
    const group: Group = {
      topics: new Set(options.topics),
      handle: options.handle,
      handleBatch: options.handleBatch,
      maxBatchSize: Math.max(1, options.maxBatchSize ?? 1),
      queue: [],
      active: true,
      first: options.first ?? false,
      startDrain: () => Promise.resolve(),
    };
    group.startDrain = AsyncResource.bind(() => this.drain(group));
    this.groups.set(options.groupId, group);
    if (options.fromBeginning) {
      for (const topic of options.topics) {
        for (const message of this.messages(topic)) void this.enqueue(group, message).catch(() => undefined);
      }
    }
    return {
      stop: async () => {
        await this.close(group);
        if (this.groups.get(options.groupId) === group) this.groups.delete(options.groupId);
      },
    };
  }

  /** What was published on a topic, the newest `retainPerTopic` (tests and the dead-letter inspection use this). */
  messages(topic: string): readonly DeliveredMessage[] {
    const { messages } = this.logFor(topic);
    return messages.length > this.retain ? messages.slice(messages.length - this.retain) : messages;
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => this.close(g)));
    this.groups.clear();
  }

  private async close(group: Group): Promise<void> {
    group.active = false;
    // Whatever the group has not taken yet is not handled: the publishers learn it.
    for (const entry of group.queue.splice(0))
      entry.failed(new Error('consumer group stopped before it handled the message'));
    await group.draining;
  }

  private enqueue(group: Group, message: DeliveredMessage): Promise<void> {
    // Held until after the group stopped: it will not handle it (the publisher learns it).
    if (!group.active) return Promise.reject(new Error('consumer group stopped before it handled the message'));
    return new Promise<void>((done, failed) => {
      group.queue.push({ message, done, failed });
      // Start on a later tick, so a published batch is queued whole before the group takes it.
      if (!group.draining) group.draining = Promise.resolve().then(group.startDrain);
    });
  }

  private async drain(group: Group): Promise<void> {
    try {
      while (group.active && group.queue.length > 0) {
        const batch = group.queue.splice(0, group.handleBatch ? group.maxBatchSize : 1);
        // A handler that rejects has not taken the messages; retry them like a Kafka consumer
        // would after a restart, unless the group is gone.
        for (let attempt = 1; ; attempt++) {
          if (!group.active) {
            for (const entry of batch) entry.failed(new Error('consumer group stopped before it handled the message'));
            break;
          }
          try {
            if (group.handleBatch && batch.length > 1) await group.handleBatch(batch.map((e) => e.message));
            else await group.handle(batch[0].message);
            for (const entry of batch) entry.done();
            break;
          } catch {
            await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** attempt)));
          }
        }
      }
    } finally {
      group.draining = undefined;
      // Queued while the last batch settled: go on.
      if (group.active && group.queue.length > 0) group.draining = Promise.resolve().then(group.startDrain);
    }
  }

  private logFor(topic: string): TopicLog {
    let log = this.logs.get(topic);
    if (!log) {
      log = { messages: [], next: 0 };
      this.logs.set(topic, log);
    }
    return log;
  }
}
