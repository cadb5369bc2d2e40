import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '@servicecenter/logging';
import type { EventEnvelope } from './envelope';
import type { EventContract, PayloadOf } from './event-contract';
import { NonRetryableError, backoffMs, isTransientInfrastructureError } from './failure';
import type { NewEvent, OutboxWriter } from './outbox-writer';
import { deadLetterTopicFor, type DeliveredMessage, type EventTransport, type Subscription } from './transports/transport';

export interface HandlerContext {
  envelope: EventEnvelope;
  manager: EntityManager;
  /** Stages follow-up events in the same transaction (causation = the handled event). */
  publish(...events: NewEvent[]): void;
}

export type EventHandler<C extends EventContract> = (data: PayloadOf<C>, ctx: HandlerContext) => Promise<void>;

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
}

interface Registration {
  contract: EventContract;
  handler: EventHandler<EventContract>;
}

/**
 * Applies events exactly once: the event id goes into the inbox table in the same
 * transaction as the handler's effect, so a redelivered event finds its id and changes
 * nothing. A failing handler is retried with backoff; after `maxAttempts` the event goes
 * to `<groupId>.dlq` with the reason and the consumer moves on to later events. Database
 * outages are retried without counting, so an outage never dead-letters good events.
 */
export class EventConsumer {
  private readonly registrations = new Map<string, Registration>();
  private subscription?: Subscription;
  private stopping = false;

  constructor(private readonly options: EventConsumerOptions) {}

  on<C extends EventContract>(contract: C, handler: EventHandler<C>): this {
    this.registrations.set(contract.type, { contract, handler: handler as unknown as EventHandler<EventContract> });
    return this;
  }

  async start(): Promise<void> {
    const topics = [...new Set([...this.registrations.values()].map((r) => r.contract.topic))];
    if (topics.length === 0) return;
    this.stopping = false;
    this.subscription = await this.options.transport.subscribe({
      groupId: this.options.groupId,
      topics,
      fromBeginning: true,
      handle: (message) => this.handle(message),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Public for tests that drive a consumer without a transport. */
  async handle(message: DeliveredMessage): Promise<void> {
    const registration = this.registrations.get(message.envelope.type);
    if (!registration) return; // another consumer's event on a shared topic
    const log = this.options.logger.child({ eventId: message.envelope.id, type: message.envelope.type });
    const maxAttempts = this.options.maxAttempts ?? 5;
    let failures = 0;
    let outages = 0;
    for (;;) {
      try {
        await this.apply(registration, message.envelope);
        return;
      } catch (error) {
        if (this.stopping) throw error; // not done: redelivered after the restart
        if (isTransientInfrastructureError(error)) {
          outages++;
          log.warn({ err: error, outages }, 'infrastructure error while applying an event; retrying');
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
        await sleep(backoffMs(failures, this.options.retryBaseMs ?? 100, this.options.retryMaxMs ?? 10_000));
        await message.heartbeat?.().catch(() => undefined);
      }
    }
  }

  private async apply(registration: Registration, envelope: EventEnvelope): Promise<void> {
    const parsed = registration.contract.schema.safeParse(envelope.data);
    if (!parsed.success) throw new NonRetryableError(`payload does not match ${envelope.type}: ${parsed.error.message}`);
    let staged = 0;
    await this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (consumer, event_id, event_type, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.groupId, envelope.id, envelope.type, envelope.source],
      );
      if (inserted.length === 0) return; // applied before: a redelivery
      const pending: NewEvent[] = [];
      await registration.handler(parsed.data as PayloadOf<EventContract>, {
        envelope,
        manager,
        publish: (...events) => pending.push(...events),
      });
      if (pending.length > 0) {
        if (!this.options.outbox) throw new Error(`consumer ${this.options.groupId} has no outbox to publish follow-up events`);
        await this.options.outbox.append(manager, pending, {
          actor: this.options.actor,
          correlationId: envelope.correlationid ?? envelope.id,
          causationId: envelope.id,
        });
        staged = pending.length;
      }
    });
    if (staged > 0) this.options.afterCommit?.();
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
            },
          },
        ]);
        return;
      } catch (publishError) {
        if (this.stopping) throw publishError;
        this.options.logger.warn({ err: publishError }, 'could not publish to the dead-letter topic; retrying');
        await sleep(backoffMs(outage, 200, 10_000));
      }
    }
  }
}
