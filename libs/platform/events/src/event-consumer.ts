import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '@servicecenter/platform-logging';
import {
  ROOT_CONTEXT,
  SpanKind,
  contextFrom,
  endSpan,
  inSpan,
  linkTo,
  startSpan,
  trace,
  traceContextOf,
  tracingEnabled,
  withSpan,
  type Context,
  type Span,
} from '@servicecenter/platform-telemetry';
import type { DeadLetterHeaders, EventContract, EventEnvelope, PayloadOf } from '@servicecenter/contracts';
import { NonRetryableError, backoffMs, isTransientForEventConsumer } from './failure';
import type { ConsumerMetrics } from './metrics-hooks';
import type { CommittedRow } from './hand-over';
import { afterOutboxCommit, type EventMeta, type NewEvent, type OutboxWriter } from './outbox-writer';
import {
  deadLetterTopicFor,
  type DeliveredMessage,
  type EventTransport,
  type Subscription,
} from './transports/transport';

export interface HandlerContext {
  envelope: EventEnvelope;
  manager: EntityManager;
  /** Stages follow-up events in the same transaction (causation = the handled event). */
  publish(...events: NewEvent[]): void;
}

export type EventHandler<C extends EventContract> = (data: PayloadOf<C>, ctx: HandlerContext) => Promise<void>;

/** One event of a set handed to a set-based handler: its validated payload and envelope. */
export interface EventItem {
  contract: EventContract;
  envelope: EventEnvelope;
  data: PayloadOf<EventContract>;
}

export interface SetHandlerContext {
  manager: EntityManager;
  /** Stages follow-up events in the same transaction, caused by `cause` (one of the items). */
  publish(cause: EventEnvelope, ...events: NewEvent[]): void;
}

/**
 * A set-based handler: applies consecutive fresh events of a batch with a few multi-row
 * statements instead of a few statements per event. It gets them in delivery order and must
 * leave the same state (and publish the same events) as applying them one by one.
 */
export type EventSetHandler = (items: EventItem[], ctx: SetHandlerContext) => Promise<void>;

export interface EventConsumerOptions {
  /** Consumer group id, e.g. `servicecenter.sla`; also the inbox's consumer name. */
  groupId: string;
  dataSource: DataSource;
  transport: EventTransport;
  logger: Logger;
  /** Needed when handlers publish follow-up events. */
  outbox?: OutboxWriter;
  afterCommit?: () => void;
  /** Failed attempts before the event goes to the dead-letter topic. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Identity in the `actor` of follow-up events. */
  actor: string;
  /** The consuming service (span attribute `service.name`); else the actor without `system:`. */
  service?: string;
  /**
   * Most events applied in one transaction (default 200, see DEFAULT_EVENT_BATCH_SIZE);
   * 1 applies every event in its own transaction.
   */
  batchSize?: number;
  /** Counts applied events, retries and dead letters (libs/platform/metrics). */
  metrics?: ConsumerMetrics;
  /**
   * In process: this group's result is what a user waits for after a change, so it gets each
   * event before the other groups while it is idle (`SubscribeOptions.first`).
   */
  first?: boolean;
}

export const DEFAULT_EVENT_BATCH_SIZE = 200;
/** Outages in a row after which a batch is applied one event at a time (which retries on its own). */
const BATCH_OUTAGE_RETRIES = 3;

/** A handler failed inside a batch: which event (unknown for a set handler), and why. */
class BatchHandlerFailure extends Error {
  constructor(
    readonly eventId: string | undefined,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'BatchHandlerFailure';
  }
}

/** A delivered event's trace context: its publish span's (W3C headers), else the event's own (`ce_traceparent`). */
const traceCarrierOf = (message: DeliveredMessage) =>
  message.headers.traceparent ? message.headers : message.envelope.traceparent ? message.envelope : undefined;

interface Parsed {
  message: DeliveredMessage;
  registration: Registration;
  data: PayloadOf<EventContract>;
}

/**
 * Payloads validated per envelope object and contract. In process every consumer group is
 * handed the same envelope object (InProcessTransport), so its payload is checked and copied
 * once for all of them instead of once per group (the SLA scan's 800 events a scan went
 * through zod in each group); over Kafka each group decodes its own envelope and checks it.
 * Weak keys: an entry goes with its envelope once every group let go of the message.
 */
const validatedPayloads = new WeakMap<EventEnvelope, { contract: EventContract; data: PayloadOf<EventContract> }>();

/**
 * The payload as the contract parses it (unknown fields stripped), or a NonRetryableError.
 * The parsed payload may be shared by several groups: handlers read it and must not change it.
 */
function validatedPayload(contract: EventContract, envelope: EventEnvelope): PayloadOf<EventContract> {
  const known = validatedPayloads.get(envelope);
  if (known?.contract === contract) return known.data;
  const result = contract.schema.safeParse(envelope.data);
  if (!result.success) throw new NonRetryableError(`payload does not match ${envelope.type}: ${result.error.message}`);
  const data = result.data as PayloadOf<EventContract>;
  validatedPayloads.set(envelope, { contract, data });
  return data;
}

type Registration =
  | { contract: EventContract; handler: EventHandler<EventContract>; setHandler?: undefined }
  | { contract: EventContract; handler?: undefined; setHandler: EventSetHandler };

/**
 * Applies events exactly once: the event id goes into the inbox table in the same
 * transaction as the handler's effect, so a redelivered event finds its id and changes
 * nothing. A failing handler is retried with backoff; after `maxAttempts` the event goes
 * to `<groupId>.dlq` with the reason and the consumer moves on to later events. Database
 * outages are retried without counting, so an outage never dead-letters good events.
 *
 * Batches: the transport hands over up to `batchSize` messages at once (in delivery order);
 * they are applied in one transaction: one multi-row inbox insert (`ON CONFLICT DO NOTHING
 * RETURNING`) picks the events not seen before, their handlers run in order, their follow-up
 * events go into the outbox in one insert, one commit. If a handler fails, the batch rolls
 * back and is applied one event at a time with the rules above, so a poison event is retried
 * and dead-lettered alone while the others apply once, in order.
 *
 * Set handlers (`onSet`): a run of consecutive fresh events for the same set handler goes to
 * it in one call, so a read model can apply a backlog with a few multi-row statements. A set
 * that fails names no event: every event of it is then retried alone with its full attempts.
 */
export class EventConsumer {
  private readonly registrations = new Map<string, Registration>();
  private subscription?: Subscription;
  private stopping = false;

  constructor(private readonly options: EventConsumerOptions) {}

  /** Wakes the relay for follow-ups left to its claim. */
  private readonly wakeRelay = () => this.options.afterCommit?.();

  /** The consumer group, e.g. `servicecenter.sla`. */
  get groupId(): string {
    return this.options.groupId;
  }

  /** The event types this consumer applies (its registered handlers), in registration order. */
  get eventTypes(): string[] {
    return [...this.registrations.keys()];
  }

  on<C extends EventContract>(contract: C, handler: EventHandler<C>): this {
    this.registrations.set(contract.type, { contract, handler: handler as unknown as EventHandler<EventContract> });
    return this;
  }

  /**
   * One set-based handler for these contracts: in a batch, each run of consecutive fresh events
   * of these types is applied with one call (alone, a retried event is a set of one).
   */
  onSet(contracts: readonly EventContract[], setHandler: EventSetHandler): this {
    for (const contract of contracts) this.registrations.set(contract.type, { contract, setHandler });
    return this;
  }

  async start(): Promise<void> {
    const topics = this.topics;
    if (topics.length === 0) return;
    this.stopping = false;
    this.subscription = await this.options.transport.subscribe({
      groupId: this.options.groupId,
      topics,
      fromBeginning: true,
      handle: (message) => this.handle(message),
      handleBatch: (messages) => this.handleBatch(messages),
      accepts: (type) => this.registrations.has(type),
      maxBatchSize: this.batchSize,
      first: this.options.first,
    });
  }

  /** The topics of the contracts it handles (the consumer-lag metrics read their offsets). */
  get topics(): string[] {
    return [...new Set([...this.registrations.values()].map((r) => r.contract.topic))];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private get batchSize(): number {
    return Math.max(1, this.options.batchSize ?? DEFAULT_EVENT_BATCH_SIZE);
  }

  /**
   * Applies messages in order, `batchSize` per transaction; resolves once each is applied,
   * skipped or dead-lettered. Public for tests that drive a consumer without a transport.
   */
  async handleBatch(messages: DeliveredMessage[]): Promise<void> {
    const mine = messages.filter((m) => this.registrations.has(m.envelope.type));
    for (let i = 0; i < mine.length; i += this.batchSize) {
      const chunk = mine.slice(i, i + this.batchSize);
      if (chunk.length === 1) await this.handle(chunk[0]);
      else await this.applyChunk(chunk);
    }
  }

  private async applyChunk(chunk: DeliveredMessage[]): Promise<void> {
    const log = this.options.logger.child({ batch: chunk.length, firstEventId: chunk[0].envelope.id });
    let failed: BatchHandlerFailure | undefined;
    for (let outages = 1; ; outages++) {
      try {
        await this.applyBatch(chunk);
        return;
      } catch (error) {
        if (this.stopping) throw error; // not done: redelivered after the restart
        const cause = error instanceof BatchHandlerFailure ? error.cause : error;
        if (isTransientForEventConsumer(cause) && outages < BATCH_OUTAGE_RETRIES) {
          log.warn({ err: cause, outages }, 'infrastructure error while applying a batch; retrying');
          this.options.metrics?.retried('infrastructure');
          await sleep(backoffMs(outages, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 10_000));
          await chunk[chunk.length - 1].heartbeat?.().catch(() => undefined);
          continue;
        }
        // A handler's failed run in the batch is that event's first attempt (an outage never counts).
        if (error instanceof BatchHandlerFailure && !isTransientForEventConsumer(cause)) failed = error;
        log.warn({ err: cause, eventId: failed?.eventId }, 'a batch of events failed; applying it one event at a time');
        break;
      }
    }
    // The batch rolled back: nothing of it is applied. Today's rules, event by event.
    for (const message of chunk) {
      await this.handle(
        message,
        failed && message.envelope.id === failed.eventId ? { attempts: 1, error: failed.cause } : undefined,
      );
    }
  }

  private async applyBatch(chunk: DeliveredMessage[]): Promise<void> {
    const parsed: Parsed[] = chunk.map((message) => {
      const registration = this.registrations.get(message.envelope.type)!;
      return { message, registration, data: validatedPayload(registration.contract, message.envelope) };
    });
    let staged = 0;
    let committed: CommittedRow[] | undefined;
    let applied = 0;
    const started = performance.now();
    const batchTrace = this.batchSpanParent(chunk);
    const transaction = (work: (manager: EntityManager) => Promise<void>) =>
      batchTrace
        ? inSpan(
            `process batch ${this.options.groupId}`,
            {
              kind: SpanKind.CONSUMER,
              service: this.service,
              ...batchTrace,
              attributes: { 'messaging.batch.message_count': chunk.length },
            },
            () => this.options.dataSource.transaction(work),
          )
        : this.options.dataSource.transaction(work);
    await transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO inbox (consumer, event_id, event_type, source)
         SELECT $1, e.id, e.type, e.source FROM unnest($2::text[], $3::text[], $4::text[]) AS e(id, type, source)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          this.options.groupId,
          chunk.map((m) => m.envelope.id),
          chunk.map((m) => m.envelope.type),
          chunk.map((m) => m.envelope.source),
        ],
      );
      // Applied before (a redelivery) or twice in this batch: once only.
      const fresh = new Set(inserted.map((r) => r.event_id));
      applied = fresh.size;
      const followUps: { events: NewEvent[]; meta: EventMeta }[] = [];
      // A run of consecutive events for the same set handler, applied when the run ends.
      let run: { setHandler: EventSetHandler; items: EventItem[]; messages: DeliveredMessage[] } | undefined;
      const flush = async () => {
        if (!run) return;
        const { setHandler, items, messages } = run;
        run = undefined;
        // Each event's handling continues its own trace; the set runs in the first traced one's.
        const spans = new Map<string, Span>();
        for (const message of messages) {
          const span = this.processSpan(message);
          if (span) spans.set(message.envelope.id, span);
        }
        const first = spans.values().next().value;
        try {
          await withSpan(first, () =>
            setHandler(items, {
              manager,
              publish: (cause, ...events) =>
                void followUps.push({ events, meta: this.followUpMeta(cause, spans.get(cause.id)) }),
            }),
          );
        } catch (error) {
          for (const span of spans.values()) endSpan(span, error);
          throw new BatchHandlerFailure(items.length === 1 ? items[0].envelope.id : undefined, error);
        }
        for (const span of spans.values()) endSpan(span);
      };
      for (const { message, registration, data } of parsed) {
        const { envelope } = message;
        if (!fresh.delete(envelope.id)) continue;
        if (registration.setHandler) {
          if (run?.setHandler !== registration.setHandler) await flush();
          run ??= { setHandler: registration.setHandler, items: [], messages: [] };
          run.items.push({ contract: registration.contract, envelope, data });
          run.messages.push(message);
          continue;
        }
        await flush();
        const pending: NewEvent[] = [];
        const span = this.processSpan(message);
        try {
          await withSpan(span, () =>
            registration.handler(data, { envelope, manager, publish: (...events) => pending.push(...events) }),
          );
        } catch (error) {
          endSpan(span, error);
          throw new BatchHandlerFailure(envelope.id, error);
        }
        endSpan(span);
        if (pending.length > 0) followUps.push({ events: pending, meta: this.followUpMeta(envelope, span) });
      }
      await flush();
      if (followUps.length > 0) {
        if (!this.options.outbox)
          throw new Error(`consumer ${this.options.groupId} has no outbox to publish follow-up events`);
        committed = await this.options.outbox.appendAll(manager, followUps);
        staged = followUps.length;
      }
    });
    this.options.metrics?.applied(applied, (performance.now() - started) / 1000);
    if (staged > 0) afterOutboxCommit(this.options.dataSource, committed, false, this.wakeRelay);
  }

  /**
   * Follow-up events of `envelope`: they continue the trace of its handling (`span`), or carry
   * none when it was not traced (never the trace of another event of the batch).
   */
  private followUpMeta(envelope: EventEnvelope, span?: Span): EventMeta {
    return {
      actor: this.options.actor,
      correlationId: envelope.correlationid ?? envelope.id,
      causationId: envelope.id,
      ...(tracingEnabled() ? { trace: span ? traceContextOf(trace.setSpan(ROOT_CONTEXT, span)) : {} } : {}),
    };
  }

  private get service(): string {
    return this.options.service ?? this.options.actor.replace(/^system:/, '');
  }

  /**
   * Tracing on and the event traced: a CONSUMER span `process <type>` continuing the event's
   * trace, so the handler's SQL and the follow-up events it publishes join it.
   */
  private processSpan(message: DeliveredMessage): Span | undefined {
    if (!tracingEnabled()) return undefined;
    const carrier = traceCarrierOf(message);
    if (!carrier) return undefined;
    const { envelope } = message;
    return startSpan(`process ${envelope.type}`, {
      kind: SpanKind.CONSUMER,
      parent: contextFrom(carrier),
      service: this.service,
      attributes: {
        'messaging.system': this.options.transport.kind === 'kafka' ? 'kafka' : 'in-process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.consumer.group.name': this.options.groupId,
        'messaging.message.id': envelope.id,
        'messaging.kafka.offset': Number(message.offset),
        'messaging.destination.partition.id': String(message.partition),
        'cloudevents.event_id': envelope.id,
        'cloudevents.event_type': envelope.type,
        'cloudevents.event_source': envelope.source,
        'cloudevents.event_subject': envelope.subject,
      },
    });
  }

  /** A batch's own work (inbox insert, commit) in a span linked to every traced event of it. */
  private batchSpanParent(
    chunk: DeliveredMessage[],
  ): { links: ReturnType<typeof linkTo>; parent: Context } | undefined {
    if (!tracingEnabled()) return undefined;
    const links = chunk.flatMap((m) => {
      const carrier = traceCarrierOf(m);
      return carrier ? linkTo(carrier) : [];
    });
    return links.length > 0 ? { links, parent: ROOT_CONTEXT } : undefined;
  }

  /**
   * One event in its own transaction, with retries and the dead-letter topic. Public for tests.
   * `prior`: an attempt already made (its handler failed in a batch).
   */
  async handle(message: DeliveredMessage, prior?: { attempts: number; error: unknown }): Promise<void> {
    const registration = this.registrations.get(message.envelope.type);
    if (!registration) return; // another consumer's event on a shared topic
    const log = this.options.logger.child({ eventId: message.envelope.id, type: message.envelope.type });
    const maxAttempts = this.options.maxAttempts ?? 5;
    let failures = prior?.attempts ?? 0;
    let outages = 0;
    if (prior) {
      if (prior.error instanceof NonRetryableError || failures >= maxAttempts) {
        log.error({ err: prior.error, attempts: failures }, 'event dead-lettered');
        await this.deadLetter(message, prior.error, failures);
        return;
      }
      log.warn({ err: prior.error, attempt: failures }, 'event handler failed; retrying');
      this.options.metrics?.retried('handler');
      await sleep(backoffMs(failures, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 10_000));
    }
    for (;;) {
      try {
        await this.apply(registration, message);
        return;
      } catch (error) {
        if (this.stopping) throw error; // not done: redelivered after the restart
        if (isTransientForEventConsumer(error)) {
          outages++;
          log.warn({ err: error, outages }, 'infrastructure error while applying an event; retrying');
          this.options.metrics?.retried('infrastructure');
          await sleep(backoffMs(outages, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 10_000));
          await message.heartbeat?.().catch(() => undefined);
          continue;
        }
        failures++;
        if (error instanceof NonRetryableError || failures >= maxAttempts) {
          log.error({ err: error, attempts: failures }, 'event dead-lettered');
          await this.deadLetter(message, error, failures);
          return;
        }
        log.warn({ err: error, attempt: failures }, 'event handler failed; retrying');
        this.options.metrics?.retried('handler');
        await sleep(backoffMs(failures, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 10_000));
        await message.heartbeat?.().catch(() => undefined);
      }
    }
  }

  /** One attempt at one event; a span of its own when the event is traced. */
  private async apply(registration: Registration, message: DeliveredMessage): Promise<void> {
    const span = this.processSpan(message);
    try {
      await withSpan(span, () => this.applyOne(registration, message.envelope, span));
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    endSpan(span);
  }

  private async applyOne(registration: Registration, envelope: EventEnvelope, span: Span | undefined): Promise<void> {
    const data = validatedPayload(registration.contract, envelope);
    let staged = 0;
    let committed: CommittedRow[] | undefined;
    let applied = 0;
    const started = performance.now();
    await this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (consumer, event_id, event_type, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.groupId, envelope.id, envelope.type, envelope.source],
      );
      if (inserted.length === 0) return; // applied before: a redelivery
      applied = 1;
      const pending: NewEvent[] = [];
      const publish = (...events: NewEvent[]) => void pending.push(...events);
      if (registration.setHandler) {
        await registration.setHandler([{ contract: registration.contract, envelope, data }], {
          manager,
          publish: (_cause, ...events) => publish(...events),
        });
      } else {
        await registration.handler(data, { envelope, manager, publish });
      }
      if (pending.length > 0) {
        if (!this.options.outbox)
          throw new Error(`consumer ${this.options.groupId} has no outbox to publish follow-up events`);
        committed = await this.options.outbox.append(manager, pending, this.followUpMeta(envelope, span));
        staged = pending.length;
      }
    });
    this.options.metrics?.applied(applied, (performance.now() - started) / 1000);
    if (staged > 0) afterOutboxCommit(this.options.dataSource, committed, false, this.wakeRelay);
  }

  private async deadLetter(message: DeliveredMessage, error: unknown, attempts: number): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    for (let outage = 1; ; outage++) {
      try {
        await this.options.transport.publish([
          {
            topic: deadLetterTopicFor(this.options.groupId),
            key: message.envelope.subject,
            envelope: message.envelope,
            headers: {
              dlq_reason: reason.slice(0, 1_000),
              dlq_attempts: String(attempts),
              dlq_original_topic: message.topic,
              dlq_original_partition: String(message.partition),
              dlq_original_offset: message.offset,
              dlq_consumer: this.options.groupId,
              dlq_failed_at: new Date().toISOString(),
            } satisfies DeadLetterHeaders,
          },
        ]);
        this.options.metrics?.deadLettered();
        return;
      } catch (publishError) {
        if (this.stopping) throw publishError;
        this.options.logger.warn({ err: publishError }, 'could not publish to the dead-letter topic; retrying');
        await sleep(backoffMs(outage, 200, 10_000));
      }
    }
  }
}
