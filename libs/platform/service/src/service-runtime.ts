import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { SubgraphConfig } from '@servicecenter/config';
import { databaseNameFor, ensureDatabase, isDatabaseReachable, openDataSource, withDatabase } from '@servicecenter/database';
import {
  EventConsumer,
  EventsOutboxInbox1764000000000,
  InboxEntity,
  OutboxEntity,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  type Clock,
  type EventTransport,
} from '@servicecenter/events';
import { systemActor } from '@servicecenter/auth';
import { DurableTimers1764000000001, TimerEntity, TimerService } from '@servicecenter/timers';
import { sourceOf } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/logging';

export interface ServiceRuntimeOptions {
  config: SubgraphConfig;
  entities: EntitySchema[];
  /** The service's own migrations; the outbox/inbox and timer migrations are added in front. */
  migrations: MixedList<Function>;
  transport: EventTransport;
  logger: Logger;
  clock?: Clock;
}

/** Operational facts every subgraph exposes (`<service>Status` queries). */
export interface ServiceStatus {
  service: string;
  databaseReachable: boolean;
  transport: string;
  transportHealthy: boolean;
  outboxBacklog: number;
  eventsApplied: number;
  /** Live timers due by the service's clock; not in the GraphQL type, for logs and probes. */
  timersDue: number;
}

/**
 * The plumbing every service shares: its own database (created on first start, migrated),
 * the outbox writer and relay, a unit of work for "state change + events", consumers
 * with an inbox, and durable timers. Services add their domain on top.
 */
export class ServiceRuntime {
  readonly outbox: OutboxWriter;
  readonly relay: OutboxRelay;
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  /** Register handlers (`timers.on(kind, ...)`) in setup; they fire from startEvents() on. */
  readonly timers: TimerService;
  private readonly consumers: EventConsumer[] = [];

  private constructor(
    readonly config: SubgraphConfig,
    readonly dataSource: DataSource,
    readonly transport: EventTransport,
    readonly logger: Logger,
    clock: Clock,
  ) {
    this.clock = clock;
    this.outbox = new OutboxWriter(sourceOf(config.service), clock);
    this.relay = new OutboxRelay({ dataSource, transport, logger: logger.child({ component: 'outbox-relay' }), pollMs: config.outboxPollMs });
    this.uow = new UnitOfWork(dataSource, this.outbox, () => this.relay.wake());
    this.timers = new TimerService({
      dataSource,
      uow: this.uow,
      clock,
      logger: logger.child({ component: 'timers' }),
      actor: systemActor(config.service),
      pollMs: config.timerPollMs,
      maxAttempts: config.timerMaxAttempts,
    });
  }

  static async open(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
    const url = await resolveDatabaseUrl(options.config);
    const dataSource = await openDataSource({
      url,
      entities: [OutboxEntity, InboxEntity, TimerEntity, ...options.entities],
      migrations: [EventsOutboxInbox1764000000000, DurableTimers1764000000001, ...(options.migrations as Function[])],
      poolSize: options.config.poolSize,
      applicationName: `servicecenter-${options.config.service}`,
      logger: options.logger,
    });
    return new ServiceRuntime(options.config, dataSource, options.transport, options.logger, options.clock ?? (() => new Date()));
  }

  /** A consumer in this service's group (`servicecenter.<service>`). */
  consumer(): EventConsumer {
    const consumer = new EventConsumer({
      groupId: `servicecenter.${this.config.service}`,
      dataSource: this.dataSource,
      transport: this.transport,
      logger: this.logger.child({ component: 'consumer' }),
      outbox: this.outbox,
      afterCommit: () => this.relay.wake(),
      maxAttempts: this.config.eventMaxAttempts,
      actor: systemActor(this.config.service),
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** Starts publishing the outbox, consuming and firing timers. Call once the service's handlers are registered. */
  async startEvents(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
    this.relay.start();
    this.timers.start();
  }

  readiness() {
    return {
      database: () => isDatabaseReachable(this.dataSource),
      events: () => this.transport.isHealthy(),
    };
  }

  async status(): Promise<ServiceStatus> {
    const [databaseReachable, transportHealthy] = await Promise.all([isDatabaseReachable(this.dataSource), this.transport.isHealthy()]);
    const [{ backlog }] = await this.dataSource.query(`SELECT count(*)::int AS backlog FROM outbox WHERE published_at IS NULL`);
    const [{ applied }] = await this.dataSource.query(`SELECT count(*)::int AS applied FROM inbox`);
    const timersDue = await this.timers.dueCount();
    return {
      service: this.config.service,
      databaseReachable,
      transport: this.transport.kind,
      transportHealthy,
      outboxBacklog: backlog,
      eventsApplied: applied,
      timersDue,
    };
  }

  async stop(): Promise<void> {
    // First: a firing timer may still stage events for the relay to publish.
    await this.timers.stop();
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

async function resolveDatabaseUrl(config: SubgraphConfig): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  if (!config.serverUrl) {
    throw new Error(`${config.service}: no database configured (set ${config.service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL or DATABASE_URL)`);
  }
  const name = databaseNameFor(config.service);
  await ensureDatabase(config.serverUrl, name);
  return withDatabase(config.serverUrl, name);
}
