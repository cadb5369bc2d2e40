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
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;

  constructor(
    metrics: Metrics,
    private readonly options: KafkaLagOptions,
  ) {
    this.kafka = new Kafka({
      clientId: `${options.clientId}-metrics`,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
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

  private connect(): Promise<Admin> {
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

  private async read(): Promise<Lag[]> {
    const admin = await this.connect();
    const lags: Lag[] = [];
    const high = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
    const watermarks = (topic: string) => {
      let marks = high.get(topic);
      if (!marks) {
        marks = admin.fetchTopicOffsets(topic);
        high.set(topic, marks);
      }
      return marks;
    };
    for (const { groupId, topics: topicsOf } of this.options.groups) {
      const topics = topicsOf();
      if (topics.length === 0) continue;
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const marks = await watermarks(topic);
        for (const mark of marks) {
          const offset = Number(partitions.find((p) => p.partition === mark.partition)?.offset ?? -1);
          const from = offset >= 0 ? offset : Number(mark.low);
          lags.push({
            group: groupId,
            topic,
            partition: String(mark.partition),
            lag: Math.max(0, Number(mark.high) - from),
          });
        }
      }
    }
    return lags;
  }

  async stop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}
