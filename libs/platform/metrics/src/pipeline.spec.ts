import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineEvent, formatSequence } from '@servicecenter/contracts';
import { openDataSource } from '@servicecenter/platform-database';
import {
  EventConsumer,
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InProcessTransport,
  InboxEntity,
  OutboxEntity,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  event,
  type DeliveredMessage,
} from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { DurableTimers1764000000001, TimerEntity } from '@servicecenter/platform-timers';
import { createTestDatabase, parseMetrics, valueOf, waitFor, type TestDatabase } from '@servicecenter/testing';
import { watchDatabase } from './database';
import { Metrics } from './metrics';
import { PipelineMetrics } from './pipeline';

const Counted = defineEvent({
  type: 'servicecenter.test.metered.v1',
  topic: 'test.metrics.metered',
  description: 'test event',
  schema: z.object({ n: z.number().int(), poison: z.boolean().optional() }),
});

describe('pipeline metrics', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const transport = new InProcessTransport();
  const scrape = async (metrics: Metrics) => parseMetrics(await metrics.render());

  beforeAll(async () => {
    db = await createTestDatabase('metrics');
    dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity, TimerEntity],
      migrations: [
        EventsOutboxInbox1764000000000,
        DurableTimers1764000000001,
        OutboxPendingTable1764000000005,
        OutboxTextRows1764000000006,
      ],
      applicationName: 'metrics-spec',
    });
    await transport.start();
  });

  afterAll(async () => {
    await transport.stop();
    await dataSource?.destroy();
    await db?.drop();
  });

  const delivered = (n: number, poison = false): DeliveredMessage => ({
    topic: Counted.topic,
    partition: 0,
    offset: String(n),
    headers: {},
    envelope: {
      specversion: '1.0',
      id: randomUUID(),
      source: '/test',
      type: Counted.type,
      time: new Date().toISOString(),
      subject: 'agg',
      datacontenttype: 'application/json',
      sequence: formatSequence(n),
      data: poison ? { n, poison } : { n },
    },
  });

  it('counts applied events, handler retries and the dead letter of a poison event; a redelivery applies nothing', async () => {
    const metrics = new Metrics('sla');
    const group = `test.metrics.${randomUUID().slice(0, 8)}`;
    const consumer = new EventConsumer({
      groupId: group,
      dataSource,
      transport,
      logger: silentLogger,
      maxAttempts: 3,
      retryBaseMs: 5,
      retryMaxMs: 10,
      actor: 'system:test',
      metrics: new PipelineMetrics(metrics).consumer(group),
    }).on(Counted, async (data) => {
      if (data.poison) throw new Error('cannot apply');
    });
    const batch = [delivered(1), delivered(2, true), delivered(3)];
    await consumer.handleBatch(batch);

    let samples = await scrape(metrics);
    expect(valueOf(samples, 'servicecenter_consumer_applied_events_total', { group, service: 'sla' })).toBe(2);
    // The failed batch run is the first attempt; two more, then the dead-letter topic.
    expect(valueOf(samples, 'servicecenter_consumer_retries_total', { group, reason: 'handler' })).toBe(2);
    expect(valueOf(samples, 'servicecenter_consumer_retries_total', { group, reason: 'infrastructure' })).toBe(0);
    expect(valueOf(samples, 'servicecenter_consumer_dead_letters_total', { group })).toBe(1);

    await consumer.handleBatch([batch[0], batch[2]]); // a redelivery of the applied ones
    samples = await scrape(metrics);
    expect(valueOf(samples, 'servicecenter_consumer_applied_events_total', { group })).toBe(2);
    expect(valueOf(samples, 'servicecenter_consumer_apply_duration_seconds_count', { group })).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('counts what the relay published once it is handed over', async () => {
    const metrics = new Metrics('requests');
    const relay = new OutboxRelay({
      dataSource,
      transport,
      logger: silentLogger,
      pollMs: 20,
      metrics: new PipelineMetrics(metrics).relay,
    });
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
    relay.start();
    try {
      await uow.run({}, async (tx) => tx.publish(event(Counted, 'a', { n: 1 }), event(Counted, 'b', { n: 2 })));
      const samples = await waitFor(
        () => scrape(metrics),
        (s) => valueOf(s, 'servicecenter_outbox_published_events_total') === 2,
        { what: 'two published rows counted' },
      );
      expect(valueOf(samples, 'servicecenter_outbox_publish_failures_total')).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('reads the outbox backlog, the timers and the pool when scraped', async () => {
    const metrics = new Metrics('requests');
    const now = new Date('2026-11-23T10:00:00Z');
    watchDatabase(metrics, { dataSource, clock: () => now });
    await dataSource.query('TRUNCATE outbox, outbox_pending');
    // Two events written and not published (no relay runs), three timers.
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => undefined);
    await uow.run({}, async (tx) => tx.publish(event(Counted, 'a', { n: 1 }), event(Counted, 'a', { n: 2 })));
    await dataSource.query(
      `INSERT INTO timer (id, kind, key, due_at, dead_at) VALUES
         ($1, 'k', 'soon', $4::timestamptz + interval '1 hour', NULL),
         ($2, 'k', 'late', $4::timestamptz - interval '5 minutes', NULL),
         ($3, 'k', 'dead', $4::timestamptz - interval '1 day', $4)`,
      [randomUUID(), randomUUID(), randomUUID(), now],
    );
    let samples = await scrape(metrics);
    expect(valueOf(samples, 'servicecenter_outbox_pending_events', { service: 'requests' })).toBe(2);
    expect(valueOf(samples, 'servicecenter_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'servicecenter_timers_due')).toBe(1);
    expect(valueOf(samples, 'servicecenter_timers_overdue')).toBe(1);
    expect(valueOf(samples, 'servicecenter_timers_dead')).toBe(1);
    expect(valueOf(samples, 'servicecenter_db_pool_max_connections')).toBeGreaterThan(0);
    expect(valueOf(samples, 'servicecenter_db_pool_waiting_clients')).toBe(0);

    await dataSource.query('DELETE FROM outbox_pending');
    await dataSource.query('DELETE FROM timer');
    samples = await waitFor(
      () => scrape(metrics),
      (s) => valueOf(s, 'servicecenter_outbox_pending_events') === 0,
      { what: 'the next reading (shared for a second)' },
    );
    expect(valueOf(samples, 'servicecenter_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(valueOf(samples, 'servicecenter_timers_dead')).toBe(0);
  });
});
