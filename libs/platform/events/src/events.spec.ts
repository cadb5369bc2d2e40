import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/database';
import { silentLogger } from '@servicecenter/logging';
import { createTestDatabase, kafkaBrokers, waitFor, type TestDatabase } from '@servicecenter/testing';
import {
  EventConsumer,
  EventsOutboxInbox1764000000000,
  InProcessTransport,
  InboxEntity,
  KafkaTransport,
  OutboxEntity,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  deadLetterTopicFor,
  defineEvent,
  event,
  type DeliveredMessage,
  type EventTransport,
} from './index';

type Factory = () => EventTransport;
const transports: [string, Factory][] = [['in-process', () => new InProcessTransport()]];
const brokers = kafkaBrokers();
if (brokers) {
  transports.push(['kafka', () => new KafkaTransport({ brokers, clientId: `events-spec-${randomUUID()}`, logger: silentLogger })]);
} else {
  console.warn('events.spec: Kafka variant skipped: KAFKA_BROKERS is unset (CI sets it)');
}

describe.each(transports)('events over the %s transport', (_name, makeTransport) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let transport: EventTransport;
  // Each test gets its own topic: a consumer group reads its topic from the beginning.
  const newContract = () =>
    defineEvent({
      type: 'servicecenter.test.counted.v1',
      topic: `test.events.${randomUUID().slice(0, 8)}`,
      description: 'test event',
      schema: z.object({ n: z.number().int(), poison: z.boolean().optional() }),
    });

  beforeAll(async () => {
    db = await createTestDatabase('events');
    dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations: [EventsOutboxInbox1764000000000],
      applicationName: 'events-spec',
    });
    await dataSource.query('CREATE TABLE applied (id bigserial PRIMARY KEY, subject text NOT NULL, n int NOT NULL)');
    transport = makeTransport();
    await transport.start();
  });

  afterAll(async () => {
    await transport?.stop();
    await dataSource?.destroy();
    await db?.drop();
  });

  const appliedRows = async (): Promise<{ subject: string; n: number }[]> =>
    dataSource.query('SELECT subject, n FROM applied ORDER BY id');

  /** A consumer that records applied events; a poison event fails every attempt. */
  function consumer(groupId: string, contract: ReturnType<typeof newContract>, poisonAttempts: number[] = []) {
    return new EventConsumer({
      groupId,
      dataSource,
      transport,
      logger: silentLogger,
      maxAttempts: 3,
      retryBaseMs: 10,
      retryMaxMs: 50,
      actor: 'system:test',
    }).on(contract, async (data, ctx) => {
      if (data.poison) {
        poisonAttempts.push(data.n);
        throw new Error(`cannot apply event ${data.n}`);
      }
      await ctx.manager.query('INSERT INTO applied (subject, n) VALUES ($1, $2)', [ctx.envelope.subject, data.n]);
    });
  }

  it('publishes committed events in order per aggregate and applies each exactly once, also when delivered twice', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const topic = Counted.topic;
    const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs: 20 });
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
    const group = `test.order.${randomUUID().slice(0, 8)}`;
    const seen: DeliveredMessage[] = [];
    const c = consumer(group, Counted);
    await c.start();
    const spy = await transport.subscribe({ groupId: `${group}.spy`, topics: [topic], fromBeginning: true, handle: async (m) => void seen.push(m) });
    relay.start();

    for (let i = 1; i <= 10; i++) await uow.run({ actor: 'tester' }, async (tx) => tx.publish(event(Counted, `agg-${i % 2}`, { n: i })));
    // A rolled-back transaction publishes nothing.
    await expect(
      uow.run({}, async (tx) => {
        tx.publish(event(Counted, 'agg-0', { n: 99 }));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    await waitFor(appliedRows, (rows) => rows.length >= 10, { what: '10 applied events' });
    await waitFor(async () => seen.length, (n) => n >= 10, { what: 'spy sees 10 messages' });
    // Redeliver everything the spy saw: the inbox must drop all of it.
    for (const message of seen) await c.handle(message);

    const rows = await appliedRows();
    expect(rows).toHaveLength(10);
    expect(rows.some((r) => r.n === 99)).toBe(false);
    for (const agg of ['agg-0', 'agg-1']) {
      const ns = rows.filter((r) => r.subject === agg).map((r) => r.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    const envelope = seen[0].envelope;
    expect(envelope).toMatchObject({ specversion: '1.0', source: '/test', type: 'servicecenter.test.counted.v1', actor: 'tester' });
    expect(envelope.sequence).toMatch(/^\d{20}$/);
    const [{ pending }] = await dataSource.query('SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL');
    expect(pending).toBe(0);

    await relay.stop();
    await spy.stop();
    await c.stop();
  });

  it('sends a poison event to the dead-letter topic after the retry limit while later events still flow', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const topic = Counted.topic;
    const group = `test.dlq.${randomUUID().slice(0, 8)}`;
    const attempts: number[] = [];
    const c = consumer(group, Counted, attempts);
    const deadLetters: DeliveredMessage[] = [];
    const dlqWatch = await transport.subscribe({
      groupId: `${group}.watch`,
      topics: [deadLetterTopicFor(group)],
      fromBeginning: true,
      handle: async (m) => void deadLetters.push(m),
    });
    await c.start();
    const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs: 20 });
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
    relay.start();

    await uow.run({}, async (tx) => tx.publish(event(Counted, 'same', { n: 1 }), event(Counted, 'same', { n: 2, poison: true }), event(Counted, 'same', { n: 3 })));

    await waitFor(appliedRows, (rows) => rows.length >= 2, { what: 'events after the poison one' });
    await waitFor(async () => deadLetters.length, (n) => n >= 1, { what: 'the dead letter' });
    expect((await appliedRows()).map((r) => r.n)).toEqual([1, 3]);
    expect(attempts).toEqual([2, 2, 2]);
    expect(deadLetters[0].envelope.data).toEqual({ n: 2, poison: true });
    expect(deadLetters[0].headers).toMatchObject({ dlq_attempts: '3', dlq_original_topic: topic, dlq_consumer: group, dlq_reason: 'cannot apply event 2' });

    await relay.stop();
    await c.stop();
    await dlqWatch.stop();
  });
});
