import { Kafka, logLevel, type Admin } from 'kafkajs';
import { sharedLoad, withTimeout, type Metrics } from './metrics';

export interface ConsumerGroupTopics {
  groupId: string;
  /** Read when a scrape comes (a consumer's topics are known once its handlers are registered). */
  topics: () => string[];
}

export interface KafkaLagOptions {
  brokers: string[];
  clientId: string;
  groups: ConsumerGroupTopics[];
  /** Scrapes closer than this reuse the last reading (default 10 s): bounded broker load. */
  minIntervalMs?: number;
  /** Longest a scrape waits for the broker (default 3 s). */
  timeoutMs?: number;
}

interface Lag {
  group: string;
  topic: string;
  partition: string;
  lag: number;
}

/**
 * `servicecenter_consumer_lag_messages{group, topic, partition}` on Kafka: the high watermark
 * of each partition minus the group's committed offset (the low watermark when the group has
 * none yet), read with a kafkajs admin client of its own when Prometheus scrapes, at most every
 * `minIntervalMs`: one fetchOffsets per group and one fetchTopicOffsets per topic.
 */
export class KafkaLagMetrics {
  private readonly admin: LazyAdmin;

  constructor(
    metrics: Metrics,
    private readonly options: KafkaLagOptions,
  ) {
    this.admin = new LazyAdmin(
      new Kafka({
        clientId: `${options.clientId}-metrics`,
        brokers: options.brokers,
        connectionTimeout: 3_000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }),
    );
    const failures = metrics.counter(
      'metrics_kafka_lag_failures_total',
      'Scrapes whose consumer lag could not be read from the broker in time',
    );
    const read = sharedLoad(async () => {
      try {
        return await withTimeout(this.read(), options.timeoutMs ?? 3_000, 'reading consumer lag');
      } catch (error) {
        failures.inc();
        throw error;
      }
    }, options.minIntervalMs ?? 10_000);
    metrics.gauge(
      'consumer_lag_messages',
      'Messages of a partition not yet consumed by the group (Kafka only)',
      ['group', 'topic', 'partition'],
      async function () {
        this.reset();
        const lags = await read().catch(() => []);
        for (const { lag, ...labels } of lags) this.set(labels, lag);
      },
    );
  }

  private async read(): Promise<Lag[]> {
    const groups = this.options.groups
      .map(({ groupId, topics }) => ({ groupId, topics: topics() }))
      .filter((g) => g.topics.length > 0);
    return (await consumerOffsets(await this.admin.get(), groups)).map((p) => ({
      group: p.groupId,
      topic: p.topic,
      partition: String(p.partition),
      lag: Math.max(0, p.high - (p.committed >= 0 ? p.committed : p.low)),
    }));
  }

  stop(): Promise<void> {
    return this.admin.stop();
  }
}

/** A kafkajs admin client connected on first use; a failed connect is tried again on the next use. */
export class LazyAdmin {
  private admin?: Promise<Admin>;

  constructor(private readonly kafka: Kafka) {}

  get(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.admin = undefined;
          throw error;
        },
      );
    }
    return this.admin;
  }

  async stop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}

/** One partition of a topic a consumer group reads. */
export interface PartitionOffsets {
  groupId: string;
  topic: string;
  partition: number;
  /** The partition's high and low watermarks. */
  high: number;
  low: number;
  /** The group's committed offset; -1 while it has none (it has not read the partition yet). */
  committed: number;
}

/**
 * The offsets of each group on its topics: one fetchOffsets per group, one fetchTopicOffsets
 * per topic (shared between groups). The lag of a partition is `high` minus what the group
 * has consumed; how to count a partition it has not committed on yet is the caller's choice.
 */
export async function consumerOffsets(
  admin: Admin,
  groups: readonly { groupId: string; topics: string[] }[],
): Promise<PartitionOffsets[]> {
  const marks = new Map<string, ReturnType<Admin['fetchTopicOffsets']>>();
  const watermarks = (topic: string) => {
    let m = marks.get(topic);
    if (!m) {
      m = admin.fetchTopicOffsets(topic);
      marks.set(topic, m);
    }
    return m;
  };
  const offsets: PartitionOffsets[] = [];
  for (const { groupId, topics } of groups) {
    if (topics.length === 0) continue;
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const mark of await watermarks(topic)) {
        offsets.push({
          groupId,
          topic,
          partition: mark.partition,
          high: Number(mark.high),
          low: Number(mark.low),
          committed: Number(partitions.find((p) => p.partition === mark.partition)?.offset ?? -1),
        });
      }
    }
  }
  return offsets;
}
