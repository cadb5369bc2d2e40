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
import { sourceOf } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/logging';

export interface ServiceRuntimeOptions {
  config: SubgraphConfig;
  entities: EntitySchema[];
  /** The service's own migrations; the outbox/inbox migration is added in front. */
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
}

/**
 * The plumbing every service shares: its own database (created on first start, migrated),
 * the outbox writer and relay, a unit of work for "state change + events", and consumers
 * with an inbox. Services add their domain on top.
 */
export class ServiceRuntime {
  readonly outbox: OutboxWriter;
  readonly relay: OutboxRelay;
  readonly uow: UnitOfWork;
  readonly clock: Clock;
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
  }

  static async open(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
    const url = await resolveDatabaseUrl(options.config);
    const dataSource = await openDataSource({
      url,
      entities: [OutboxEntity, InboxEntity, ...options.entities],
      migrations: [EventsOutboxInbox1764000000000, ...(options.migrations as Function[])],
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

  /** Starts publishing the outbox and consuming. Call once the service's handlers are registered. */
  async startEvents(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
    this.relay.start();
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
    return {
      service: this.config.service,
      databaseReachable,
      transport: this.transport.kind,
      transportHealthy,
      outboxBacklog: backlog,
      eventsApplied: applied,
    };
  }

  async stop(): Promise<void> {
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
