import {
  CompressionTypes,
  Kafka,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { Logger } from '@servicecenter/platform-logging';
import { TOPIC_LAYOUT, fromBinaryMode, toBinaryMode } from '@servicecenter/contracts';
import { memoisedDefaultPartitioner } from './kafka-partitioner';
import type { DeliveredMessage, EventTransport, SubscribeOptions, Subscription, TransportMessage } from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Topics created at start when missing (the broker may forbid auto-creation). */
  topics?: string[];
  partitions?: number;
  replicationFactor?: number;
  /**
   * How long the broker may hold a consumer's fetch when no message is there (default 100 ms;
   * kafkajs' own default is 5 s). With `minBytes: 1` a message that arrives answers the fetch
   * at once either way; the wait bounds the fetches that find nothing (a partition of the
   * request that was empty when the fetch went out is only looked at again by the next one).
   */
  consumerMaxWaitMs?: number;
  /**
   * How many bytes a consumer's fetch waits for (up to `consumerMaxWaitMs`) before the broker
   * answers (default 1: at once, for latency). A bulk load may raise it so that a consumer
   * that keeps up still gets sets of many events (fewer transactions and statements per
   * event), paying up to `consumerMaxWaitMs` of latency.
   */
  consumerMinBytes?: number;
}

/**
 * Latency settings (docs/performance.md, "Event latency over Kafka"): the relay sends each
 * claimed batch at once (kafkajs has no linger: batching is the relay's batch of up to 200
 * rows), uncompressed (a batch of a few kB would cost CPU for nothing), acks -1 (the
 * idempotent producer requires it; it waits for the in-sync replicas, on a single broker for
 * that broker alone). Consumers fetch from 1 byte and wait at most `consumerMaxWaitMs` on an empty fetch.
 */
export const KAFKA_LATENCY = { minBytes: 1, maxWaitTimeInMs: 100 } as const;

/**
 * kafkajs transport. Producer: idempotent, acks -1 (all in-sync replicas), one request in
 * flight so retries cannot reorder. Consumer: one per group, `eachBatch`: a partition's
 * messages go to the handler in chunks of at most `maxBatchSize`, in order; a chunk's offsets
 * are resolved (and committed) only after the handler resolved, i.e. after its transaction
 * committed, so a crash redelivers and the consumer's inbox drops the repeat.
 */
export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Producer;
  private admin?: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly ensured = new Set<string>();

  constructor(private readonly options: KafkaTransportOptions) {
    const log = options.logger.child({ component: 'kafkajs' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 5_000,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 12 },
      logLevel: KafkaLogLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        const level =
          entry.level <= KafkaLogLevel.ERROR ? 'error' : entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug';
        log[level]({ ...rest, namespace: entry.namespace }, message);
      },
    });
  }

  /** The bootstrap brokers (the consumer-lag metrics connect an admin client of their own). */
  get brokers(): string[] {
    return this.options.brokers;
  }

  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.ensureTopics(this.options.topics ?? []);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: memoisedDefaultPartitioner,
    });
    await this.producer.connect();
  }

  async publish(messages: TransportMessage[]): Promise<void> {
    if (!this.producer) throw new Error('Kafka transport is not started');
    if (messages.length === 0) return;
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))]);
    const byTopic = new Map<string, { key: string; value: string; headers: IHeaders }[]>();
    for (const message of messages) {
      const { headers, body } = toBinaryMode(message.envelope, message.data);
      if (message.headers) Object.assign(headers, message.headers);
      let list = byTopic.get(message.topic);
      if (!list) byTopic.set(message.topic, (list = []));
      list.push({ key: message.key, value: body, headers });
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    await this.ensureTopics(options.topics);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      minBytes: this.options.consumerMinBytes ?? KAFKA_LATENCY.minBytes,
      maxWaitTimeInMs: this.options.consumerMaxWaitMs ?? KAFKA_LATENCY.maxWaitTimeInMs,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 12, restartOnFailure: async () => true },
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    const maxBatch = Math.max(1, options.maxBatchSize ?? 1);
    const { accepts } = options;
    await consumer.run({
      autoCommit: true,
      // Offsets are resolved by hand, after the messages before them were handled (committed).
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const { topic, partition } = batch;
        let chunk: DeliveredMessage[] = [];
        let lastOffset: string | undefined;
        const flush = async () => {
          if (chunk.length > 1 && options.handleBatch) await options.handleBatch(chunk);
          else for (const message of chunk) await options.handle(message);
          chunk = [];
          if (lastOffset !== undefined) resolveOffset(lastOffset);
          lastOffset = undefined;
          await heartbeat();
          await commitOffsetsIfNecessary();
        };
        // A rebalance or a stop: leave the rest unresolved, it is fetched again. Asked before a
        // chunk goes to the handler (nothing happens to a message before that; kafkajs' isStale
        // builds a JSON key per call, so not per message).
        const live = () => isRunning() && !isStale();
        for (const message of batch.messages) {
          const headers = textHeadersOf(message);
          const type = headers['ce_type'];
          if (accepts && type && headers['ce_id'] && !accepts(type)) {
            // A CloudEvent of a type this group does not apply: done with, without parsing its data.
            lastOffset = message.offset;
            continue;
          }
          try {
            chunk.push({
              topic,
              partition,
              offset: message.offset,
              envelope: fromBinaryMode(headers, message.value ? message.value.toString('utf8') : null),
              headers,
              heartbeat,
            });
          } catch (error) {
            if (!live()) return; // fetched (and told about) again
            // Not one of ours (no CloudEvents headers or broken JSON): skip it, never block the partition.
            this.options.logger.warn(
              { err: error, topic, partition, offset: message.offset },
              'skipping a message that is not a CloudEvent',
            );
          }
          lastOffset = message.offset;
          if (chunk.length >= maxBatch) {
            if (!live()) return;
            await flush();
          }
        }
        if (lastOffset !== undefined && live()) await flush();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async isHealthy(): Promise<boolean> {
    if (!this.admin) return false;
    try {
      await Promise.race([
        this.admin.describeCluster(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000)),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.ensured.has(t));
    if (missing.length === 0 || !this.admin) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.options.partitions ?? TOPIC_LAYOUT.partitions,
        replicationFactor: this.options.replicationFactor ?? TOPIC_LAYOUT.replicationFactor,
      })),
    });
    for (const t of missing) this.ensured.add(t);
  }
}

/**
 * Where kafkajs, as patched (patches/kafkajs+2.2.4.patch), leaves a decoded record's header
 * bytes: its buffer and the offset of the header count (Kafka's record format: a varint
 * count, then per header a varint-length key and a varint-length value, -1 for null).
 */
const HEADER_BYTES = Symbol.for('kafkajs.headerBytes');
interface HeaderBytes {
  buffer: Buffer;
  offset: number;
}

/**
 * A record's headers as text: the first value of each header name, a header whose first value
 * is null left out. Read straight from the record's bytes when the patched kafkajs left them
 * (no Buffer per header value, no headers object of Buffers); else from kafkajs' headers.
 */
export function textHeadersOf(message: Pick<KafkaMessage, 'headers'>): Record<string, string> {
  const bytes = (message as { [HEADER_BYTES]?: HeaderBytes })[HEADER_BYTES];
  return bytes ? textHeadersFromBytes(bytes.buffer, bytes.offset) : textHeaders(message.headers);
}

/** The cursor of `textHeadersFromBytes` (one decode at a time: it never awaits). */
let at = 0;

/** A zigzag varint at `at` (at most 5 bytes, an int32), `at` moved past it. */
function varInt(buffer: Buffer): number {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = buffer[at++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80 && shift < 35);
  return (result >>> 1) ^ -(result & 1);
}

/** `textHeadersOf` from the bytes: what `textHeaders` makes of kafkajs' headers object for the same record. */
function textHeadersFromBytes(buffer: Buffer, offset: number): Record<string, string> {
  const headers: Record<string, string> = {};
  at = offset;
  const count = varInt(buffer);
  // Names seen with a null first value: a later value of theirs does not count either.
  let nulls: Set<string> | undefined;
  for (let i = 0; i < count; i++) {
    const keyLength = varInt(buffer);
    // kafkajs names a header without a name `null` (its headers object's key).
    const name = keyLength === -1 ? 'null' : textAt(buffer, at, (at += keyLength), 2 * i);
    const valueLength = varInt(buffer);
    if (valueLength === -1) {
      if (!Object.hasOwn(headers, name)) (nulls ??= new Set()).add(name);
      continue;
    }
    const start = at;
    at += valueLength;
    // The first value counts; `__proto__` is no header on a plain object (as in `textHeaders`).
    if (name === '__proto__' || Object.hasOwn(headers, name) || nulls?.has(name)) continue;
    headers[name] = textAt(buffer, start, at, 2 * i + 1);
  }
  return headers;
}

/** Header slots (a name and a value per header position) whose last text `textAt` keeps. */
const RECENT_SLOTS = 64;
/** Per slot the text last decoded there, when it has as many characters as bytes. */
const recent: (string | undefined)[] = new Array(RECENT_SLOTS).fill(undefined);

/**
 * The UTF-8 text of `buffer[start, end)`: the text decoded at the same header position of the
 * record before when the bytes are that text's (records of one producer carry the same header
 * names in the same order, and `content-type`, `ce_specversion`, `ce_source` and often `ce_type`
 * repeat), one comparison in JavaScript instead of a native decode per string. A text is kept
 * only when it has as many characters as bytes: then each character came from one byte, an
 * ASCII byte as itself or an invalid byte as U+FFFD, which equals no byte; so bytes that equal
 * its characters one by one are ASCII and decode to it.
 */
function textAt(buffer: Buffer, start: number, end: number, slot: number): string {
  const length = end - start;
  const last = slot < RECENT_SLOTS ? recent[slot] : undefined;
  if (last !== undefined && last.length === length) {
    let i = 0;
    while (i < length && last.charCodeAt(i) === buffer[start + i]) i++;
    if (i === length) return last;
  }
  const text = buffer.toString('utf8', start, end);
  if (slot < RECENT_SLOTS) recent[slot] = text.length === length ? text : undefined;
  return text;
}

/**
 * A record's headers as text (the first value of a repeated header), in one pass: every
 * delivered message has a dozen `ce_*` headers, and each consumer decodes every message of its
 * topics.
 */
function textHeaders(raw: IHeaders | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  for (const name in raw) {
    // kafkajs decodes a header without a value as null, which its types leave out.
    const value = raw[name] as IHeaders[string] | null;
    if (value == null) continue;
    const first: Buffer | string | null | undefined = Array.isArray(value) ? value[0] : value;
    if (first == null) continue;
    headers[name] = typeof first === 'string' ? first : first.toString('utf8');
  }
  return headers;
}
