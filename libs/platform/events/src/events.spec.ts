import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTestDatabase, kafkaBrokers, waitFor, type TestDatabase } from '@servicecenter/testing';
import {
  EventConsumer,
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InProcessTransport,
  InboxEntity,
  KafkaTransport,
  OutboxEntity,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  deadLetterTopicFor,
  event,
  outboxInsert,
  type DeliveredMessage,
  type EventTransport,
  OUTBOX_ENVELOPE_SQL,
} from './index';
import { defineEvent, formatSequence } from '@servicecenter/contracts';

type Factory = () => EventTransport;
const transports: [string, Factory][] = [['in-process', () => new InProcessTransport()]];
const brokers = kafkaBrokers();
if (brokers) {
  transports.push([
    'kafka',
    () => new KafkaTransport({ brokers, clientId: `events-spec-${randomUUID()}`, logger: silentLogger }),
  ]);
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
      migrations: [EventsOutboxInbox1764000000000, OutboxPendingTable1764000000005, OutboxTextRows1764000000006],
      applicationName: 'events-spec',
    });
    // tx: the applying transaction, so a spec can tell a batch (one transaction) from single events.
    await dataSource.query(
      'CREATE TABLE applied (id bigserial PRIMARY KEY, subject text NOT NULL, n int NOT NULL, tx bigint NOT NULL DEFAULT txid_current())',
    );
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
  /** Collects what reaches a group's dead-letter topic. */
  async function watchDeadLetters(group: string) {
    const deadLetters: DeliveredMessage[] = [];
    const dlqWatch = await transport.subscribe({
      groupId: `${group}.watch`,
      topics: [deadLetterTopicFor(group)],
      fromBeginning: true,
      handle: async (m) => void deadLetters.push(m),
    });
    return { deadLetters, dlqWatch };
  }

  function consumer(
    groupId: string,
    contract: ReturnType<typeof newContract>,
    poisonAttempts: number[] = [],
    options: { batchSize?: number; gate?: Promise<void> } = {},
  ) {
    return new EventConsumer({
      batchSize: options.batchSize,
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
      await options.gate;
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
    const spy = await transport.subscribe({
      groupId: `${group}.spy`,
      topics: [topic],
      fromBeginning: true,
      handle: async (m) => void seen.push(m),
    });
    relay.start();

    for (let i = 1; i <= 10; i++)
      await uow.run({ actor: 'tester' }, async (tx) => tx.publish(event(Counted, `agg-${i % 2}`, { n: i })));
    // A rolled-back transaction publishes nothing.
    await expect(
      uow.run({}, async (tx) => {
        tx.publish(event(Counted, 'agg-0', { n: 99 }));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    await waitFor(appliedRows, (rows) => rows.length >= 10, { what: '10 applied events' });
    await waitFor(
      async () => seen.length,
      (n) => n >= 10,
      { what: 'spy sees 10 messages' },
    );
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
    expect(envelope).toMatchObject({
      specversion: '1.0',
      source: '/test',
      type: 'servicecenter.test.counted.v1',
      actor: 'tester',
    });
    expect(envelope.sequence).toMatch(/^\d{20}$/);
    const [{ pending }] = await dataSource.query('SELECT count(*)::int AS pending FROM outbox_pending');
    expect(pending).toBe(0);

    await relay.stop();
    await spy.stop();
    await c.stop();
  });

  it("stores a unit of work's events in the order they were staged, each with its group's meta and its contract's payload", async () => {
    const Counted = newContract();
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'));
    const staged = Array.from({ length: 300 }, (_, i) => ({ subject: `agg-${i % 7}`, n: i }));
    await uow.run({ actor: 'tester', correlationId: 'batch' }, async (tx) => {
      for (let i = 0; i < staged.length; i += 50)
        tx.publishAs(
          { correlationId: `group-${i / 50}` },
          ...staged.slice(i, i + 50).map((s) => event(Counted, s.subject, { n: s.n, extra: 'dropped' } as never)),
        );
    });
    const rows: { id: string; message_key: string; event_type: string; envelope: Record<string, unknown> }[] =
      await dataSource.query(
        `SELECT id, message_key, event_type, ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox WHERE topic = $1 ORDER BY seq`,
        [Counted.topic],
      );
    expect(rows.map((r) => [r.message_key, (r.envelope.data as { n: number }).n])).toEqual(
      staged.map((s) => [s.subject, s.n]),
    );
    for (const [i, r] of rows.entries()) {
      expect(r.envelope).toEqual({
        specversion: '1.0',
        id: r.id,
        source: '/test',
        type: Counted.type,
        time: expect.any(String),
        subject: r.message_key,
        datacontenttype: 'application/json',
        correlationid: `group-${Math.floor(i / 50)}`,
        actor: 'tester',
        // The contract's schema strips what it does not know.
        data: { n: staged[i].n },
      });
      expect(r.event_type).toBe(Counted.type);
    }
  });

  it('lets a statement of the unit of work insert the staged events it keeps, in staged order, and wakes the relay after the commit', async () => {
    const Counted = newContract();
    let woken = 0;
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => woken++);
    const staged = Array.from({ length: 12 }, (_, i) => ({ subject: `agg-${i % 3}`, n: i }));
    await uow.run({ actor: 'tester', correlationId: 'batch' }, async (tx) => {
      const rows = tx.stage(
        staged.map((s) => ({ meta: { correlationId: `one-${s.n}` }, events: [event(Counted, s.subject, { n: s.n })] })),
      );
      // The statement keeps the odd ones (positions are 1-based: n = ord - 1).
      await tx.manager.query(
        `WITH kept AS (SELECT ord FROM generate_series(1, $2::int) AS g(ord) WHERE ord % 2 = 0),
              events AS (${outboxInsert('$1', 'JOIN kept k ON k.ord = r.ord')})
         SELECT 1`,
        [rows, staged.length],
      );
    });
    expect(woken).toBe(1);
    const rows: { id: string; message_key: string; event_type: string; envelope: Record<string, unknown> }[] =
      await dataSource.query(
        `SELECT id, message_key, event_type, ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox WHERE topic = $1 ORDER BY seq`,
        [Counted.topic],
      );
    const kept = staged.filter((s) => s.n % 2 === 1);
    expect(rows.map((r) => [r.message_key, r.event_type, r.envelope.id, r.envelope.subject])).toEqual(
      kept.map((s, i) => [s.subject, Counted.type, rows[i].id, s.subject]),
    );
    expect(rows.map((r) => [r.envelope.correlationid, r.envelope.actor, r.envelope.data])).toEqual(
      kept.map((s) => [`one-${s.n}`, 'tester', { n: s.n }]),
    );
  });

  it('sends a poison event to the dead-letter topic after the retry limit while later events still flow', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const topic = Counted.topic;
    const group = `test.dlq.${randomUUID().slice(0, 8)}`;
    const attempts: number[] = [];
    const c = consumer(group, Counted, attempts);
    const { deadLetters, dlqWatch } = await watchDeadLetters(group);
    await c.start();
    const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs: 20 });
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
    relay.start();

    await uow.run({}, async (tx) =>
      tx.publish(
        event(Counted, 'same', { n: 1 }),
        event(Counted, 'same', { n: 2, poison: true }),
        event(Counted, 'same', { n: 3 }),
      ),
    );

    await waitFor(appliedRows, (rows) => rows.length >= 2, { what: 'events after the poison one' });
    await waitFor(
      async () => deadLetters.length,
      (n) => n >= 1,
      { what: 'the dead letter' },
    );
    expect((await appliedRows()).map((r) => r.n)).toEqual([1, 3]);
    expect(attempts).toEqual([2, 2, 2]);
    expect(deadLetters[0].envelope.data).toEqual({ n: 2, poison: true });
    expect(deadLetters[0].headers).toMatchObject({
      dlq_attempts: '3',
      dlq_original_topic: topic,
      dlq_consumer: group,
      dlq_reason: 'cannot apply event 2',
    });

    await relay.stop();
    await c.stop();
    await dlqWatch.stop();
  });

  /** A message as a transport delivers it, for specs that drive a consumer directly. */
  const delivered = (
    contract: ReturnType<typeof newContract>,
    subject: string,
    n: number,
    poison = false,
  ): DeliveredMessage => ({
    topic: contract.topic,
    partition: 0,
    offset: String(n),
    headers: {},
    envelope: {
      specversion: '1.0',
      id: randomUUID(),
      source: '/test',
      type: contract.type,
      time: new Date().toISOString(),
      subject,
      datacontenttype: 'application/json',
      sequence: formatSequence(n),
      data: poison ? { n, poison } : { n },
    },
  });

  it('applies a batch in one transaction and a redelivered event in a batch once', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const c = consumer(`test.batch.${randomUUID().slice(0, 8)}`, Counted);
    const [m1, m2, m3, m4] = [1, 2, 3, 4].map((n) => delivered(Counted, `agg-${n % 2}`, n));
    await c.handleBatch([m1, m2]);
    // m2 again (a redelivery), m3, m3 twice within the batch, m4.
    await c.handleBatch([m2, m3, m3, m4]);
    await c.handleBatch([m1, m2, m3, m4]);

    const rows: { n: number; tx: string }[] = await dataSource.query('SELECT n, tx FROM applied ORDER BY id');
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    // One transaction per batch, not per event.
    expect(new Set(rows.map((r) => r.tx)).size).toBe(2);
    const [{ inbox }] = await dataSource.query('SELECT count(*)::int AS inbox FROM inbox WHERE event_id = ANY($1)', [
      [m1, m2, m3, m4].map((m) => m.envelope.id),
    ]);
    expect(inbox).toBe(4);
  });

  it('dead-letters a poison event of a batch alone after the retries; the others apply once and in order', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const group = `test.batch-dlq.${randomUUID().slice(0, 8)}`;
    const attempts: number[] = [];
    const { deadLetters, dlqWatch } = await watchDeadLetters(group);
    const c = consumer(group, Counted, attempts);
    const batch = [
      delivered(Counted, 'a', 1),
      delivered(Counted, 'b', 2),
      delivered(Counted, 'a', 3, true),
      delivered(Counted, 'a', 4),
      delivered(Counted, 'b', 5),
    ];
    await c.handleBatch(batch);
    await c.handleBatch(batch); // a redelivery of the whole batch changes nothing and dead-letters nothing more

    const rows = await appliedRows();
    expect(rows.map((r) => r.n)).toEqual([1, 2, 4, 5]);
    expect(rows.filter((r) => r.subject === 'a').map((r) => r.n)).toEqual([1, 4]);
    // The failed run inside the batch counts as the first of maxAttempts (3) attempts.
    expect(attempts).toEqual([3, 3, 3, 3, 3, 3]);
    await waitFor(
      async () => deadLetters.length,
      (n) => n >= 2,
      { what: 'the dead letters of both deliveries' },
    );
    expect(deadLetters.map((d) => d.envelope.data)).toEqual([
      { n: 3, poison: true },
      { n: 3, poison: true },
    ]);
    expect(deadLetters[0].headers).toMatchObject({
      dlq_attempts: '3',
      dlq_consumer: group,
      dlq_reason: 'cannot apply event 3',
    });
    await dlqWatch.stop();
  });

  it('hands each run of consecutive events to a set handler in one call; a poison event in a set is dead-lettered alone', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const Single = defineEvent({ ...newContract(), type: 'servicecenter.test.single.v1' });
    const group = `test.set.${randomUUID().slice(0, 8)}`;
    const { deadLetters, dlqWatch } = await watchDeadLetters(group);
    const calls: number[][] = [];
    const c = new EventConsumer({
      groupId: group,
      dataSource,
      transport,
      logger: silentLogger,
      maxAttempts: 2,
      retryBaseMs: 10,
      retryMaxMs: 50,
      actor: 'system:test',
    })
      .onSet([Counted], async (items, { manager }) => {
        const ns = items.map((i) => (i.data as { n: number }).n);
        calls.push(ns);
        if (items.some((i) => (i.data as { poison?: boolean }).poison)) throw new Error('cannot apply the set');
        await manager.query(
          'INSERT INTO applied (subject, n) SELECT s, n FROM unnest($1::text[], $2::int[]) AS u(s, n)',
          [items.map((i) => i.envelope.subject), ns],
        );
      })
      .on(Single, async (data, ctx) => {
        await ctx.manager.query('INSERT INTO applied (subject, n) VALUES ($1, $2)', [ctx.envelope.subject, data.n]);
      });
    const batch = [
      delivered(Counted, 'a', 1),
      delivered(Counted, 'b', 2),
      delivered(Single, 'a', 3),
      delivered(Counted, 'a', 4),
      delivered(Counted, 'b', 5),
    ];
    await c.handleBatch(batch);
    await c.handleBatch(batch); // a redelivery applies nothing again
    expect((await appliedRows()).map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
    // Two runs split by the per-event handler's event; the redelivery calls nothing.
    expect(calls).toEqual([
      [1, 2],
      [4, 5],
    ]);

    calls.length = 0;
    await c.handleBatch([delivered(Counted, 'a', 6), delivered(Counted, 'a', 7, true), delivered(Counted, 'b', 8)]);
    expect((await appliedRows()).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    // The set failed once, then each event alone: the poison one twice (maxAttempts 2), as the set's failure names no event.
    expect(calls).toEqual([[6, 7, 8], [6], [7], [7], [8]]);
    await waitFor(
      async () => deadLetters.length,
      (n) => n >= 1,
      { what: 'the poison event on the dead-letter topic' },
    );
    expect(deadLetters.map((d) => d.envelope.data)).toEqual([{ n: 7, poison: true }]);
    await dlqWatch.stop();
  });

  it('keeps every aggregate in order and applies each event once when consumed in batches', async () => {
    await dataSource.query('TRUNCATE applied');
    const Counted = newContract();
    const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs: 20, batchSize: 13 });
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
    const c = consumer(`test.batch-order.${randomUUID().slice(0, 8)}`, Counted, [], { batchSize: 7 });
    await c.start();
    relay.start();
    const aggregates = 5;
    const perAggregate = 30;
    let n = 0;
    for (let round = 0; round < perAggregate / 3; round++) {
      await uow.run({}, async (tx) => {
        for (let k = 0; k < 3; k++)
          for (let a = 0; a < aggregates; a++) tx.publish(event(Counted, `agg-${a}`, { n: n++ }));
      });
    }
    await waitFor(appliedRows, (rows) => rows.length >= aggregates * perAggregate, {
      what: 'every event applied',
      timeoutMs: 30_000,
    });
    await relay.stop();
    await c.stop();

    const rows: { subject: string; n: number; tx: string }[] = await dataSource.query(
      'SELECT subject, n, tx FROM applied ORDER BY id',
    );
    expect(rows).toHaveLength(aggregates * perAggregate);
    expect(new Set(rows.map((r) => r.n)).size).toBe(aggregates * perAggregate);
    for (let a = 0; a < aggregates; a++) {
      const ns = rows.filter((r) => r.subject === `agg-${a}`).map((r) => r.n);
      expect(ns).toHaveLength(perAggregate);
      expect(ns).toEqual([...ns].sort((x, y) => x - y));
    }
    // Batches of at most 7.
    const perTx = new Map<string, number>();
    for (const r of rows) perTx.set(r.tx, (perTx.get(r.tx) ?? 0) + 1);
    expect(Math.max(...perTx.values())).toBeLessThanOrEqual(7);
  });

  if (_name === 'in-process') {
    it('hands a batch to the consumers without holding the outbox rows, and marks them published only once handled', async () => {
      await dataSource.query('TRUNCATE applied');
      const Counted = newContract();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs: 20 });
      const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relay.wake());
      const slow = consumer(`test.handover.${randomUUID().slice(0, 8)}`, Counted, [], { gate });
      const seen: DeliveredMessage[] = [];
      const fast = await transport.subscribe({
        groupId: `test.handover-fast.${randomUUID().slice(0, 8)}`,
        topics: [Counted.topic],
        handle: async (m) => void seen.push(m),
      });
      await slow.start();
      relay.start();
      await uow.run({}, async (tx) => tx.publish(event(Counted, 'x', { n: 1 }), event(Counted, 'x', { n: 2 })));

      // The other group is not held up by the slow one.
      await waitFor(
        async () => seen.length,
        (k) => k >= 2,
        { what: 'the fast group gets both' },
      );
      // The rows are not locked by the relay while the slow group works, and not yet published.
      const free = await dataSource.transaction((m) =>
        m.query(
          `SELECT p.seq FROM outbox_pending p JOIN outbox o USING (seq) WHERE o.event_type = $1 FOR UPDATE OF p SKIP LOCKED`,
          [Counted.type],
        ),
      );
      expect(free).toHaveLength(2);
      release();
      await waitFor(appliedRows, (rows) => rows.length >= 2, { what: 'the slow group applied both' });
      await waitFor(
        async () => (await dataSource.query(`SELECT count(*)::int AS n FROM outbox_pending`))[0].n as number,
        (k) => k === 0,
        { what: 'the rows marked published' },
      );
      await relay.stop();
      await slow.stop();
      await fast.stop();
    });
  }
});
