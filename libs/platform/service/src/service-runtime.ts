import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { z } from 'zod';
import { loadConfig, type SubgraphConfig } from '@servicecenter/platform-config';
import {
  EXACT_ROW_COUNT_LIMIT,
  countRows,
  databaseNameFor,
  ensureDatabase,
  isDatabaseReachable,
  openDataSource,
  withDatabase,
} from '@servicecenter/platform-database';
import {
  DEFAULT_EVENT_BATCH_SIZE,
  EventConsumer,
  EventsOutboxInbox1764000000000,
  InboxEntity,
  KafkaTransport,
  OutboxKeyOrder1764000000003,
  OutboxWithoutIdIndex1764000000004,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  OutboxEntity,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  type Clock,
  type EventTransport,
} from '@servicecenter/platform-events';
import { systemActor } from '@servicecenter/platform-auth';
import { DurableTimers1764000000001, TimerEntity, TimerService } from '@servicecenter/platform-timers';
import { consumerGroupOf, sourceOf } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/platform-logging';
import { KafkaLagMetrics, Metrics, PipelineMetrics, watchDatabase } from '@servicecenter/platform-metrics';
import { IdempotencyKeys, IdempotencyKeys1764000000002 } from './idempotency';

/** How often (wall time) a service deletes its expired idempotency keys. */
const IDEMPOTENCY_PURGE_EVERY_MS = 60 * 60 * 1000;

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
  /**
   * Events applied by the service's consumers (rows of its inbox): exact while the inbox is
   * below EXACT_INBOX_COUNT_LIMIT rows, above that PostgreSQL's planner estimate
   * (`pg_class.reltuples`, refreshed by autovacuum/ANALYZE), so a status poll stays cheap at
   * tens of millions of rows. `eventsAppliedEstimated` says which.
   */
  eventsApplied: number;
  /** True when `eventsApplied` is the planner's estimate; not in the GraphQL type. */
  eventsAppliedEstimated: boolean;
  /** Live timers due by the service's clock; not in the GraphQL type, for logs and probes. */
  timersDue: number;
}

/** Up to this many inbox rows `status()` counts exactly; above, it reports the estimate. */
export const EXACT_INBOX_COUNT_LIMIT = EXACT_ROW_COUNT_LIMIT;

/** Settings of the event plumbing beyond the ones in SubgraphConfig (read from `config.source`). */
export function loadEventSettings(source: Record<string, string | undefined>): { eventBatchSize: number } {
  const raw = loadConfig(
    z.object({
      // Most events a consumer applies in one transaction; 1 = one transaction per event.
      EVENT_BATCH_SIZE: z.coerce
        .number({ message: 'must be a number' })
        .int('must be a whole number')
        .positive('must be positive')
        .max(5_000, 'must be at most 5000')
        .default(DEFAULT_EVENT_BATCH_SIZE),
    }),
    source,
  );
  return { eventBatchSize: raw.EVENT_BATCH_SIZE };
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
  /** Idempotency keys of mutations: guards every unit of work started under a key. */
  readonly idempotency: IdempotencyKeys;
  /**
   * The service's Prometheus series (its own registry, served on /metrics): the platform's
   * (GraphQL, HTTP, pool, outbox, consumers, timers) and the domain counters a service adds.
   */
  readonly metrics: Metrics;
  private readonly pipelineMetrics: PipelineMetrics;
  private kafkaLag?: KafkaLagMetrics;
  private readonly consumers: EventConsumer[] = [];
  private purging?: NodeJS.Timeout;
  private purge?: Promise<number>;
  private readonly eventBatchSize: number;

  private constructor(
    readonly config: SubgraphConfig,
    readonly dataSource: DataSource,
    readonly transport: EventTransport,
    readonly logger: Logger,
    clock: Clock,
    databaseUrl: string,
  ) {
    this.clock = clock;
    this.eventBatchSize = loadEventSettings(config.source ?? {}).eventBatchSize;
    this.metrics = new Metrics(config.service);
    this.pipelineMetrics = new PipelineMetrics(this.metrics);
    watchDatabase(this.metrics, { dataSource, clock });
    if (transport instanceof KafkaTransport) {
      this.kafkaLag = new KafkaLagMetrics(this.metrics, {
        brokers: transport.brokers,
        clientId: `servicecenter-${config.service}`,
        groups: [{ groupId: this.groupId, topics: () => [...new Set(this.consumers.flatMap((c) => c.topics))] }],
      });
    }
    this.outbox = new OutboxWriter(sourceOf(config.service), clock, config.outboxNotify);
    this.relay = new OutboxRelay({
      dataSource,
      transport,
      logger: logger.child({ component: 'outbox-relay' }),
      pollMs: config.outboxPollMs,
      retentionMs: config.outboxRetentionMs,
      metrics: this.pipelineMetrics.relay,
      service: config.service,
      listenUrl: config.outboxNotify ? databaseUrl : undefined,
    });
    this.idempotency = new IdempotencyKeys(clock);
    this.uow = new UnitOfWork(dataSource, this.outbox, () => this.relay.wake(), this.idempotency);
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
      migrations: [
        EventsOutboxInbox1764000000000,
        DurableTimers1764000000001,
        IdempotencyKeys1764000000002,
        OutboxKeyOrder1764000000003,
        OutboxWithoutIdIndex1764000000004,
        OutboxPendingTable1764000000005,
        OutboxTextRows1764000000006,
        ...(options.migrations as Function[]),
      ],
      poolSize: options.config.poolSize,
      acquireTimeoutMs: options.config.acquireTimeoutMs,
      statementTimeoutMs: options.config.statementTimeoutMs,
      idleInTransactionTimeoutMs: options.config.idleInTransactionTimeoutMs,
      applicationName: `servicecenter-${options.config.service}`,
      logger: options.logger,
      // Outside production a nested acquisition fails at once, so every test finds one; in
      // production it is logged with its stack and the call goes on (it only starves under load).
      nestedAcquisition:
        options.config.nodeEnv === 'production'
          ? (error) => options.logger.error({ err: error }, 'nested pool acquisition')
          : 'throw',
    });
    return new ServiceRuntime(
      options.config,
      dataSource,
      options.transport,
      options.logger,
      options.clock ?? (() => new Date()),
      url,
    );
  }

  /**
   * A consumer in this service's group (`servicecenter.<service>`). `first`: users wait for
   * what it applies (in process it gets each event before the other services' groups while it
   * is idle; `SubscribeOptions.first`).
   */
  consumer(options: { first?: boolean } = {}): EventConsumer {
    const consumer = new EventConsumer({
      groupId: this.groupId,
      dataSource: this.dataSource,
      transport: this.transport,
      logger: this.logger.child({ component: 'consumer' }),
      outbox: this.outbox,
      afterCommit: () => this.relay.wake(),
      maxAttempts: this.config.eventMaxAttempts,
      batchSize: this.eventBatchSize,
      actor: systemActor(this.config.service),
      metrics: this.pipelineMetrics.consumer(this.groupId),
      service: this.config.service,
      first: options.first,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  private get groupId(): string {
    return consumerGroupOf(this.config.service);
  }

  /** The consumer groups of this service and the event types each applies (the AsyncAPI `receive` operations). */
  consumerGroups(): { groupId: string; eventTypes: string[] }[] {
    return this.consumers.map((c) => ({ groupId: c.groupId, eventTypes: c.eventTypes }));
  }

  /** Starts publishing the outbox, consuming and firing timers. Call once the service's handlers are registered. */
  async startEvents(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
    this.relay.start();
    this.timers.start();
    this.purging = setInterval(() => void this.purgeIdempotencyKeys(), IDEMPOTENCY_PURGE_EVERY_MS).unref();
  }

  /**
   * Deletes idempotency keys past their 24 hours (by the service clock); hourly from
   * startEvents() on, and for tests that move the clock. Returns how many.
   */
  async purgeIdempotencyKeys(): Promise<number> {
    const run = this.idempotency.purge(this.dataSource.manager).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not purge expired idempotency keys; trying again in an hour');
      return 0;
    });
    this.purge = run;
    return run;
  }

  readiness() {
    return {
      database: () => isDatabaseReachable(this.dataSource),
      events: () => this.transport.isHealthy(),
    };
  }

  async status(): Promise<ServiceStatus> {
    const [databaseReachable, transportHealthy] = await Promise.all([
      isDatabaseReachable(this.dataSource),
      this.transport.isHealthy(),
    ]);
    const [{ backlog }] = await this.dataSource.query(`SELECT count(*)::int AS backlog FROM outbox_pending`);
    const { applied, estimated } = await this.eventsApplied();
    const timersDue = await this.timers.dueCount();
    return {
      service: this.config.service,
      databaseReachable,
      transport: this.transport.kind,
      transportHealthy,
      outboxBacklog: backlog,
      eventsApplied: applied,
      eventsAppliedEstimated: estimated,
      timersDue,
    };
  }

  /** count(*) over a big inbox takes seconds: the planner's estimate once it is big. */
  private async eventsApplied(): Promise<{ applied: number; estimated: boolean }> {
    const { count, estimated } = await countRows(this.dataSource, 'inbox', EXACT_INBOX_COUNT_LIMIT);
    return { applied: count, estimated };
  }

  async stop(): Promise<void> {
    // First: a firing timer may still stage events for the relay to publish.
    await this.timers.stop();
    clearInterval(this.purging);
    await this.purge;
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.kafkaLag?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

async function resolveDatabaseUrl(config: SubgraphConfig): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  if (!config.serverUrl) {
    throw new Error(
      `${config.service}: no database configured (set ${config.service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL or DATABASE_URL)`,
    );
  }
  const name = databaseNameFor(config.service);
  await ensureDatabase(config.serverUrl, name);
  return withDatabase(config.serverUrl, name);
}
