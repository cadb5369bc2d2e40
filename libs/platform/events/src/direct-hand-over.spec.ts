import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTestDatabase, waitFor, type TestDatabase } from '@servicecenter/testing';
import { defineEvent } from '@servicecenter/contracts';
import {
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InProcessTransport,
  InboxEntity,
  OutboxEntity,
  OutboxKeyOrder1764000000003,
  OutboxRelay,
  OutboxWriter,
  UnitOfWork,
  event,
  outboxInsert,
  type DeliveredMessage,
} from './index';

const Numbered = defineEvent({
  type: 'servicecenter.test.numbered.v1',
  topic: 'test.direct',
  description: 'test',
  schema: z.object({ n: z.number() }),
});

interface Seen {
  key: string;
  n: number;
  id: string;
}
const seen = (m: DeliveredMessage): Seen => ({
  key: m.envelope.subject,
  n: (m.envelope.data as { n: number }).n,
  id: m.envelope.id,
});

/**
 * In process, a unit of work's committed events go to the consumers right after the commit
 * (no claim), unless their aggregate has an earlier unpublished row not yet queued; the relay
 * still marks them published only once handled.
 */
describe('direct hand-over of committed events (in process)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let transport: InProcessTransport;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('h_relay_direct');
    dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations: [
        EventsOutboxInbox1764000000000,
        OutboxKeyOrder1764000000003,
        OutboxPendingTable1764000000005,
        OutboxTextRows1764000000006,
      ],
      applicationName: 'direct-hand-over-spec',
      poolSize: 8,
    });
    await dataSource.query('CREATE TABLE counter (key text PRIMARY KEY, n int NOT NULL)');
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE outbox, outbox_pending, counter');
    transport = new InProcessTransport();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await transport.stop();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const startRelay = (pollMs = 60_000) => {
    const relay = new OutboxRelay({ dataSource, transport, logger: silentLogger, pollMs, batchSize: 5 });
    relays.push(relay);
    relay.start();
    return relay;
  };
  const unpublished = async () => Number((await dataSource.query('SELECT count(*) AS n FROM outbox_pending'))[0].n);
  /** Waits until the relay has run its first (empty) claim, so only a hand-over can deliver. */
  const settled = (relay: OutboxRelay) => relay.publishBatch();

  it('delivers a committed unit of work at once without waking the relay, and marks it published once handled', async () => {
    const delivered: Seen[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => void delivered.push(seen(m)),
    });
    const relay = startRelay();
    await settled(relay);
    let wakes = 0;
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => wakes++);
    await uow.run({}, async (tx) => tx.publish(event(Numbered, 'a', { n: 0 }), event(Numbered, 'a', { n: 1 })));
    // The poll is a minute away and nobody woke the relay: only the hand-over can deliver.
    await waitFor(
      async () => delivered.length,
      (n) => n === 2,
      { timeoutMs: 5_000, what: 'direct delivery' },
    );
    expect(delivered.map((d) => d.n)).toEqual([0, 1]);
    expect(wakes).toBe(0);
    await waitFor(unpublished, (n) => n === 0, { timeoutMs: 5_000, what: 'marked published' });
    const rows: { seq: string; id: string }[] = await dataSource.query(
      `SELECT seq::text AS seq, id::text AS id FROM outbox ORDER BY seq`,
    );
    expect(delivered.map((d) => d.id)).toEqual(rows.map((r) => r.id));
  });

  it('leaves the rows a statement of the unit of work inserted itself, and the rows published with them, to the relay it wakes', async () => {
    const delivered: Seen[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => void delivered.push(seen(m)),
    });
    const relay = startRelay();
    await settled(relay);
    let wakes = 0;
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => {
      wakes++;
      relay.wake();
    });
    await uow.run({}, async (tx) => {
      const staged = tx.stage([{ events: [0, 1, 2, 3].map((n) => event(Numbered, n % 2 ? 'odd' : 'even', { n })) }]);
      // The statement keeps the first three of the four staged rows.
      await tx.manager.query(
        `WITH kept AS (SELECT generate_series(1, 3) AS ord) ${outboxInsert('$1', 'JOIN kept k ON k.ord = r.ord')}`,
        [staged],
      );
      tx.publish(event(Numbered, 'odd', { n: 3 }));
    });
    // Nothing went directly: the relay's claim delivers them, woken once by the commit.
    expect(wakes).toBe(1);
    await waitFor(
      async () => delivered.length,
      (n) => n === 4,
      { timeoutMs: 5_000, what: 'delivery by the relay' },
    );
    expect(delivered.map((d) => d.n)).toEqual([0, 1, 2, 3]);
    await waitFor(unpublished, (n) => n === 0, { timeoutMs: 5_000, what: 'marked published' });
    const ids: { id: string }[] = await dataSource.query(`SELECT id::text AS id FROM outbox ORDER BY seq`);
    expect(delivered.map((d) => d.id)).toEqual(ids.map((r) => r.id));
  });

  it("leaves events behind an aggregate's earlier unpublished row to the relay, which publishes them in order", async () => {
    const delivered: Seen[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => void delivered.push(seen(m)),
    });
    // The earlier row, written before any relay ran (no direct hand-over for it).
    await dataSource.transaction((m) => new OutboxWriter('/test').append(m, [event(Numbered, 'a', { n: 0 })]));
    // Another session holds it, so the relay's claim skips it (as a replica's claim would).
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT seq FROM outbox_pending WHERE message_key = 'a' FOR UPDATE`);
      const relay = startRelay();
      await settled(relay);
      let wakes = 0;
      const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => {
        wakes++;
        relay.wake();
      });
      await uow.run({}, async (tx) => tx.publish(event(Numbered, 'a', { n: 1 }), event(Numbered, 'b', { n: 0 })));
      // b has nothing earlier: it goes at once; a's second event waits for its first.
      await waitFor(
        async () => delivered.length,
        (n) => n >= 1,
        { timeoutMs: 5_000, what: 'b delivered' },
      );
      expect(wakes).toBe(1);
      expect(await relay.publishBatch()).toBe(0); // a's row 1 may not overtake its locked row 0
      expect(delivered).toEqual([expect.objectContaining({ key: 'b', n: 0 })]);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    relays[0].wake();
    await waitFor(
      async () => delivered.length,
      (n) => n === 3,
      { timeoutMs: 5_000, what: 'a delivered' },
    );
    expect(delivered.filter((d) => d.key === 'a').map((d) => d.n)).toEqual([0, 1]);
    await waitFor(unpublished, (n) => n === 0, { timeoutMs: 5_000, what: 'marked published' });
  });

  it('leaves a commit to the claim while earlier rows are in flight, queues it behind them, and publishes again what a stopped group never handled', async () => {
    const delivered: Seen[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const subscription = await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => {
        if (seen(m).n === 0) await blocked;
        delivered.push(seen(m));
      },
    });
    const relay = startRelay();
    await settled(relay);
    let wakes = 0;
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => {
      wakes++;
      relay.wake();
    });
    await uow.run({}, async (tx) => tx.publish(event(Numbered, 'a', { n: 0 })));
    expect(wakes).toBe(0); // nothing in flight: handed over directly
    // Row 0 is in flight (queued, its handler blocked): the consumers are busy, so row 1 is
    // left to the relay's claim (woken), which may queue it behind row 0 at once.
    await uow.run({}, async (tx) => tx.publish(event(Numbered, 'a', { n: 1 })));
    expect(wakes).toBe(1);
    await waitFor(
      async () => transport.messages('test.direct').map((m) => (m.envelope.data as { n: number }).n),
      (ns) => ns.length === 2,
      { timeoutMs: 5_000, what: 'row 1 queued by the claim' },
    );
    expect(transport.messages('test.direct').map((m) => (m.envelope.data as { n: number }).n)).toEqual([0, 1]);
    // The group stops before it took row 1: row 0 is handled, row 1 never was, so its batch
    // is not marked and the relay publishes it again, to the group subscribed again.
    const stopping = subscription.stop();
    release();
    await stopping;
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => void delivered.push(seen(m)),
    });
    await waitFor(
      async () => delivered.length,
      (n) => n === 2,
      { timeoutMs: 5_000, what: 'row 1 again' },
    );
    expect(delivered.map((d) => d.n)).toEqual([0, 1]);
    await waitFor(unpublished, (n) => n === 0, { timeoutMs: 5_000, what: 'marked published' });
  });

  it('keeps every aggregate in order and delivers every event once with concurrent writers, statement-inserted events and two relays', async () => {
    const delivered: Seen[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.direct'],
      handle: async (m) => {
        await new Promise((r) => setImmediate(r));
        delivered.push(seen(m));
      },
    });
    const [first] = [startRelay(20), startRelay(20)];
    await settled(first);
    const uow = new UnitOfWork(dataSource, new OutboxWriter('/test'), () => relays.forEach((r) => r.wake()));
    const keys = ['a', 'b', 'c', 'd'];
    await dataSource.query(`INSERT INTO counter SELECT unnest($1::text[]), 0`, [keys]);
    const perWriter = 15;
    // Each write locks its aggregate's counter row, as a state change does, and takes the next
    // numbers; every third one inserts its events in a statement of its own (left to the claim).
    const writer = async (w: number) => {
      for (let i = 0; i < perWriter; i++) {
        const key = keys[(w + i) % keys.length];
        await uow.run({}, async (tx) => {
          // An UPDATE answers [rows, count] through TypeORM.
          const [[{ n }]] = (await tx.manager.query(`UPDATE counter SET n = n + 2 WHERE key = $1 RETURNING n`, [
            key,
          ])) as [{ n: number }[], number];
          const events = [event(Numbered, key, { n: n - 2 }), event(Numbered, key, { n: n - 1 })];
          if (i % 3 === 0) await tx.manager.query(outboxInsert('$1'), [tx.stage([{ events }])]);
          else tx.publish(...events);
        });
      }
    };
    await Promise.all([0, 1, 2, 3, 4].map(writer));
    const total = 5 * perWriter * 2;
    await waitFor(
      async () => delivered.length,
      (n) => n >= total,
      { timeoutMs: 15_000, what: 'every event' },
    );
    await waitFor(unpublished, (n) => n === 0, { timeoutMs: 5_000, what: 'marked published' });
    expect(delivered).toHaveLength(total);
    expect(new Set(delivered.map((d) => d.id)).size).toBe(total);
    for (const key of keys) {
      const ns = delivered.filter((d) => d.key === key).map((d) => d.n);
      expect(ns).toEqual([...Array(ns.length).keys()]);
    }
  });
});
