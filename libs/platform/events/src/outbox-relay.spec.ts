import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTestDatabase, waitFor, type TestDatabase } from '@servicecenter/testing';
import {
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InboxEntity,
  InProcessTransport,
  OutboxEntity,
  OutboxKeyOrder1764000000003,
  OutboxRelay,
  OutboxWriter,
  event,
} from './index';
import { defineEvent } from '@servicecenter/contracts';
import { claimInKeyOrder } from './outbox-relay';
import type { EventTransport } from './transports/transport';

const Numbered = defineEvent({
  type: 'servicecenter.test.numbered.v1',
  topic: 'test.relay',
  description: 'test',
  schema: z.object({ n: z.number() }),
});

describe('outbox relay with two replicas', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations: [
        EventsOutboxInbox1764000000000,
        OutboxKeyOrder1764000000003,
        OutboxPendingTable1764000000005,
        OutboxTextRows1764000000006,
      ],
      applicationName: 'relay-spec',
      poolSize: 6,
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('never publishes a row twice and keeps each aggregate in order', async () => {
    const writer = new OutboxWriter('/test');
    const aggregates = 12;
    const perAggregate = 40;
    await dataSource.transaction(async (manager) => {
      const events = [];
      for (let n = 0; n < perAggregate; n++)
        for (let a = 0; a < aggregates; a++) events.push(event(Numbered, `agg-${a}`, { n }));
      await writer.append(manager, events);
    });

    const published: { key: string; n: number; id: string }[] = [];
    const transport = new InProcessTransport();
    await transport.subscribe({
      groupId: 'recorder',
      topics: ['test.relay'],
      handle: async (m) => {
        // Let the other replica run while this batch is "in flight".
        await new Promise((r) => setImmediate(r));
        published.push({ key: m.envelope.subject, n: (m.envelope.data as { n: number }).n, id: m.envelope.id });
      },
    });
    const replicas = [1, 2].map(() => new OutboxRelay({ dataSource, transport, logger: silentLogger, batchSize: 7 }));
    // A claim can come back empty while the other replica holds the rows it would need (row and
    // aggregate locks, both replicas at once): each goes on until nothing is left unpublished.
    const drain = async (relay: OutboxRelay) => {
      for (;;) {
        if ((await relay.publishBatch()) > 0) continue;
        const [{ left }] = await dataSource.query('SELECT count(*)::int AS left FROM outbox_pending');
        if (left === 0) return;
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(replicas.map(drain));

    expect(published).toHaveLength(aggregates * perAggregate);
    expect(new Set(published.map((p) => p.id)).size).toBe(aggregates * perAggregate);
    for (let a = 0; a < aggregates; a++) {
      const ns = published.filter((p) => p.key === `agg-${a}`).map((p) => p.n);
      expect(ns).toEqual([...Array(perAggregate).keys()]);
    }
  });

  it("drops a claim that would overtake an aggregate's earlier unclaimed rows (skipped while another replica held its lock)", async () => {
    await dataSource.query('TRUNCATE outbox, outbox_pending');
    const writer = new OutboxWriter('/test');
    await dataSource.transaction((manager) =>
      writer.append(manager, [
        event(Numbered, 'agg-a', { n: 0 }),
        event(Numbered, 'agg-a', { n: 1 }),
        event(Numbered, 'agg-a', { n: 2 }),
        event(Numbered, 'agg-b', { n: 0 }),
      ]),
    );
    const all: { seq: string; message_key: string }[] = await dataSource.query(
      'SELECT seq::text AS seq, message_key FROM outbox ORDER BY seq',
    );
    const [a0, a1, a2, b0] = all.map((r) => r.seq);
    const claim = (inFlight: string[]) =>
      dataSource.transaction(async (m) => (await claimInKeyOrder(m, 10, inFlight)).map((r) => String(r.seq)));
    // Another replica holds agg-a's first two rows (row locks) but no longer its aggregate lock:
    // the claim skips them and could take the third; it leaves agg-a for later instead.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT seq FROM outbox_pending WHERE seq = ANY($1::bigint[]) FOR UPDATE', [[a0, a1]]);
      expect(await claim([])).toEqual([b0]);
      // The first two in flight (in process: queued ahead), the third may follow them.
      expect(await claim([a0, a1])).toEqual([a2, b0]);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // Nobody holds anything: every row, in order.
    expect(await claim([])).toEqual([a0, a1, a2, b0]);
  });

  it.each([
    ['in process', true],
    ['a broker', false],
  ])(
    'idle, polls %s with one read and no claim transaction; a row committed without a wake goes at the next poll',
    async (_, inProcess) => {
      const sent: string[] = [];
      const transport = new InProcessTransport();
      await transport.subscribe({
        groupId: 'poll-recorder',
        topics: ['test.poll'],
        handle: async (m) => void sent.push(m.envelope.subject),
      });
      // A broker: acknowledged on publish, nothing queued in process.
      const broker: EventTransport = {
        kind: 'kafka',
        start: async () => undefined,
        publish: async (messages) => void sent.push(...messages.map((m) => m.key)),
        subscribe: () => Promise.reject(new Error('not used')),
        isHealthy: async () => true,
        stop: async () => undefined,
      };
      const relay = new OutboxRelay({
        dataSource,
        transport: inProcess ? transport : broker,
        logger: silentLogger,
        pollMs: 20,
      });
      // Whatever earlier tests left is published first.
      while ((await relay.publishBatch()) > 0);
      const claims = jest.spyOn(dataSource, 'transaction');
      const reads = jest.spyOn(dataSource, 'query');
      relay.start();
      try {
        // Until the relay has polled a few times (no wake: nothing was committed).
        await waitFor(
          async () => reads.mock.calls.filter(([sql]) => String(sql).includes('SELECT EXISTS')).length,
          (polls) => polls >= 5,
          { what: 'five idle polls', timeoutMs: 5_000 },
        );
        // The start claims once; the polls since only read.
        expect(claims.mock.calls.length).toBeLessThanOrEqual(1);
        const Polled = defineEvent({ ...Numbered, type: 'servicecenter.test.polled.v1', topic: 'test.poll' });
        const key = `polled-${inProcess}`;
        await dataSource.transaction((manager) =>
          new OutboxWriter('/test').append(manager, [event(Polled, key, { n: 1 })]),
        );
        await waitFor(
          async () => sent,
          (s) => s.includes(key),
          { what: 'the row committed without a wake', timeoutMs: 2_000 },
        );
      } finally {
        claims.mockRestore();
        reads.mockRestore();
        await relay.stop();
      }
    },
  );

  it('deletes published rows past retention, oldest first, and never an unpublished one', async () => {
    await dataSource.query('TRUNCATE outbox, outbox_pending');
    const writer = new OutboxWriter('/test');
    await dataSource.transaction((manager) =>
      writer.append(
        manager,
        Array.from({ length: 12 }, (_, n) => event(Numbered, `old-${n % 3}`, { n })),
      ),
    );
    const seqs = ((await dataSource.query('SELECT seq FROM outbox ORDER BY seq')) as { seq: string }[]).map(
      (r) => r.seq,
    );
    // 0–5 written 8 days ago and published, 6–7 written an hour ago and published, 8 written
    // 8 days ago and stuck unpublished, 9 written 8 days ago and published, 10–11 written 8 days
    // ago and unpublished. A row's age is its write time; published = no pending entry.
    const writtenAgo = async (rows: string[], interval: string) =>
      dataSource.query(`UPDATE outbox SET created_at = now() - $2::interval WHERE seq = ANY($1::bigint[])`, [
        rows,
        interval,
      ]);
    await writtenAgo([...seqs.slice(0, 6), ...seqs.slice(8)], '8 days');
    await writtenAgo(seqs.slice(6, 8), '1 hour');
    await dataSource.query(`DELETE FROM outbox_pending WHERE seq = ANY($1::bigint[])`, [
      [...seqs.slice(0, 8), seqs[9]],
    ]);
    const relay = (retentionHours: number) =>
      new OutboxRelay({
        dataSource,
        transport: new InProcessTransport(),
        logger: silentLogger,
        retentionMs: retentionHours * 3_600_000,
      });
    const left = async () =>
      ((await dataSource.query('SELECT seq FROM outbox ORDER BY seq')) as { seq: string }[]).map((r) => r.seq);

    expect(await relay(0).prunePublished()).toBe(0);
    expect(await left()).toEqual(seqs);

    expect(await relay(7 * 24).prunePublished()).toBe(7);
    expect(await left()).toEqual([...seqs.slice(6, 9), ...seqs.slice(10)]);

    expect(await relay(0.5).prunePublished()).toBe(2);
    expect(await left()).toEqual([seqs[8], ...seqs.slice(10)]);
  });

  it('wakes a relay in another process on a commit (NOTIFY with the insert, LISTEN in the relay), not at its poll', async () => {
    await dataSource.query('TRUNCATE outbox, outbox_pending');
    // "Process B": its own DataSource, a relay that would poll only once an hour.
    const other = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations: [],
      applicationName: 'relay-spec-b',
      poolSize: 2,
    });
    const transport = new InProcessTransport();
    const delivered: number[] = [];
    let arrived: () => void = () => undefined;
    await transport.subscribe({
      groupId: 'recorder',
      topics: ['test.relay'],
      handle: async (m) => {
        delivered.push((m.envelope.data as { n: number }).n);
        arrived();
      },
    });
    const relay = new OutboxRelay({
      dataSource: other,
      transport,
      logger: silentLogger,
      pollMs: 3_600_000,
      listenUrl: db.url,
    });
    relay.start();
    try {
      await waitFor(
        async () => relay.listeningForCommits,
        (listening) => listening,
        { what: 'the relay listening' },
      );
      // "Process A" commits with a notifying writer and has no relay of its own.
      const next = new Promise<void>((resolve) => (arrived = resolve));
      await dataSource.transaction((manager) =>
        new OutboxWriter('/test', undefined, true).append(manager, [event(Numbered, 'agg-n', { n: 1 })]),
      );
      await next; // without the notification this waits for the hourly poll (the spec times out)
      expect(delivered).toEqual([1]);
    } finally {
      await relay.stop();
      await other.destroy();
    }
  });
});
