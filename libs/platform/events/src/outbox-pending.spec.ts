import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { defineEvent, toBinaryMode } from '@servicecenter/contracts';
import {
  EventsOutboxInbox1764000000000,
  InboxEntity,
  InProcessTransport,
  OutboxEntity,
  OutboxKeyOrder1764000000003,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  OutboxRelay,
  OutboxWithoutIdIndex1764000000004,
  OutboxWriter,
  event,
  type NewEvent,
} from './index';
import type { EventTransport, TransportMessage } from './transports/transport';

const Numbered = defineEvent({
  type: 'servicecenter.test.numbered.v1',
  topic: 'test.pending',
  description: 'test',
  schema: z.object({ n: z.number() }),
});

const BEFORE = [EventsOutboxInbox1764000000000, OutboxKeyOrder1764000000003, OutboxWithoutIdIndex1764000000004];

/** A broker stand-in (the Kafka path: the relay holds its claim until `publish` resolved). */
class RecordingBroker implements EventTransport {
  readonly kind = 'kafka' as const;
  readonly sent: TransportMessage[] = [];
  /** When set, the next publish is acknowledged and then the process "crashes" (throws) before the mark. */
  crashAfterAck = false;
  async start(): Promise<void> {
    // nothing to connect
  }
  async publish(messages: TransportMessage[]): Promise<void> {
    // Let a replica's claim run while this one holds its rows.
    await new Promise((r) => setImmediate(r));
    this.sent.push(...messages);
    if (this.crashAfterAck) {
      this.crashAfterAck = false;
      throw new Error('the process died after the broker acknowledged, before the mark');
    }
  }
  async subscribe(): Promise<never> {
    throw new Error('not a consumer');
  }
  async isHealthy(): Promise<boolean> {
    return true;
  }
  async stop(): Promise<void> {
    // nothing to disconnect
  }
}

/** A message's data: parsed by the relay (in process, rows written before 1764000000006), else its text. */
const dataOf = (m: { envelope: { data: unknown }; data?: string }): unknown =>
  m.data !== undefined ? JSON.parse(m.data) : m.envelope.data;

const numbersOf = (messages: { envelope: { subject: string; data: unknown }; data?: string }[], key: string) =>
  messages.filter((m) => m.envelope.subject === key).map((m) => (dataOf(m) as { n: number }).n);

/**
 * Outbox rows as writers before migration 1764000000006 inserted them: the envelope as `jsonb`
 * (the insert of that version, verbatim).
 */
async function appendLegacy(manager: EntityManager, events: NewEvent[]): Promise<void> {
  const { rows } = new OutboxWriter('/test').build([{ events }]);
  await manager.query(
    `INSERT INTO outbox (id, topic, message_key, event_type, envelope)
       SELECT (e->>'id')::uuid, r.row->>'topic', e->>'subject', e->>'type', e
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(row, ord),
              LATERAL (SELECT r.row->'envelope') AS x(e)
        ORDER BY r.ord`,
    [JSON.stringify(rows)],
  );
}

describe('outbox_pending: the unpublished marker kept out of the outbox row', () => {
  let db: TestDatabase;
  const open: DataSource[] = [];
  const connect = async (migrations: Function[]) => {
    const dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations,
      applicationName: 'outbox-pending-spec',
      poolSize: 6,
    });
    open.push(dataSource);
    return dataSource;
  };

  beforeEach(async () => {
    db = await createTestDatabase('outbox_pending');
  });
  afterEach(async () => {
    for (const dataSource of open.splice(0)) await dataSource.destroy();
    await db.drop();
  });

  it('after the migration, an existing outbox publishes exactly its unpublished rows, in order, and new rows too', async () => {
    // The outbox as the previous version left it: rows marked published by `published_at`.
    const before = await connect(BEFORE);
    const writer = new OutboxWriter('/test');
    await before.transaction((m) =>
      appendLegacy(
        m,
        Array.from({ length: 30 }, (_, n) => event(Numbered, `agg-${n % 3}`, { n })),
      ),
    );
    // In outbox order (the writer may order a unit of work's rows differently from `n`).
    const rows = (await before.query(
      `SELECT seq::text AS seq, (envelope->'data'->>'n')::int AS n FROM outbox ORDER BY outbox.seq`,
    )) as { seq: string; n: number }[];
    const seqs = rows.map((r) => r.seq);
    // The first 10 published; of the rest, every fourth published out of order (another replica).
    const published = [...seqs.slice(0, 10), ...seqs.slice(10).filter((_, i) => i % 4 === 0)];
    await before.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [published]);
    await before.destroy();
    open.splice(open.indexOf(before), 1);

    const after = await connect([...BEFORE, OutboxPendingTable1764000000005, OutboxTextRows1764000000006]);
    const pending = (
      (await after.query('SELECT seq::text AS seq FROM outbox_pending ORDER BY outbox_pending.seq')) as {
        seq: string;
      }[]
    ).map((r) => r.seq);
    expect(pending).toEqual(seqs.filter((s) => !published.includes(s)));
    // The partial indexes on `published_at` are gone (they would now cover every row).
    const indexes = (
      (await after.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'outbox'`)) as {
        indexname: string;
      }[]
    ).map((r) => r.indexname);
    expect(indexes).toEqual(['outbox_pkey']);

    // A row written after the migration gets its pending entry from the trigger.
    await after.transaction((m) => writer.append(m, [event(Numbered, 'agg-0', { n: 30 })]));

    const delivered: { subject: string; data: unknown; id: string }[] = [];
    const transport = new InProcessTransport();
    await transport.subscribe({
      groupId: 'recorder',
      topics: [Numbered.topic],
      handle: async (m) => void delivered.push(m.envelope),
    });
    const relay = new OutboxRelay({ dataSource: after, transport, logger: silentLogger, batchSize: 4 });
    while ((await relay.publishBatch()) > 0);

    const unpublishedNs = rows.filter((r) => !published.includes(r.seq)).map((r) => r.n);
    const byN = (a: number, b: number) => a - b;
    expect(delivered.map((e) => (e.data as { n: number }).n).sort(byN)).toEqual([...unpublishedNs, 30].sort(byN));
    expect(new Set(delivered.map((e) => e.id)).size).toBe(unpublishedNs.length + 1);
    for (const key of ['agg-0', 'agg-1', 'agg-2'])
      expect(
        numbersOf(
          delivered.map((envelope) => ({ envelope })),
          key,
        ),
      ).toEqual([...unpublishedNs, 30].filter((n) => `agg-${n % 3}` === key));
    expect(await after.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
    expect(await relay.publishBatch()).toBe(0);
  });

  it('publishes a row again after a crash between the broker acknowledgement and the mark, then never again', async () => {
    const dataSource = await connect([...BEFORE, OutboxPendingTable1764000000005, OutboxTextRows1764000000006]);
    await dataSource.transaction((m) =>
      new OutboxWriter('/test').append(m, [event(Numbered, 'a', { n: 0 }), event(Numbered, 'a', { n: 1 })]),
    );
    const broker = new RecordingBroker();
    broker.crashAfterAck = true;
    const relay = new OutboxRelay({ dataSource, transport: broker, logger: silentLogger });
    await expect(relay.publishBatch()).rejects.toThrow(/before the mark/);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 2 }]);

    // The restarted relay publishes both again (same event ids: the consumers' inboxes drop them), in order.
    const restarted = new OutboxRelay({ dataSource, transport: broker, logger: silentLogger });
    expect(await restarted.publishBatch()).toBe(2);
    expect(await restarted.publishBatch()).toBe(0);
    const ids = broker.sent.map((m) => m.envelope.id);
    expect(ids).toHaveLength(4);
    expect(ids.slice(2)).toEqual(ids.slice(0, 2));
    expect(numbersOf(broker.sent, 'a')).toEqual([0, 1, 0, 1]);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
    // Published rows are kept (until retention), only their pending entries went.
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 2 }]);
  });

  it('in process: a batch handled but not marked (crash) is handed over again, then marked once', async () => {
    const dataSource = await connect([...BEFORE, OutboxPendingTable1764000000005, OutboxTextRows1764000000006]);
    await dataSource.transaction((m) =>
      new OutboxWriter('/test').append(m, [event(Numbered, 'a', { n: 0 }), event(Numbered, 'b', { n: 0 })]),
    );
    const delivered: string[] = [];
    const transport = new InProcessTransport();
    await transport.subscribe({
      groupId: 'recorder',
      topics: [Numbered.topic],
      handle: async (m) => void delivered.push(m.envelope.id),
    });
    // The mark fails once, as if the process died after the groups handled the batch.
    let crash = true;
    const crashing = new Proxy(dataSource, {
      get(target, property) {
        if (property === 'query')
          return async (sql: string, parameters?: unknown[]) => {
            if (crash && sql.startsWith('DELETE FROM outbox_pending')) {
              crash = false;
              throw new Error('the process died before the mark');
            }
            return target.query(sql, parameters);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const relay = new OutboxRelay({ dataSource: crashing, transport, logger: silentLogger });
    await expect(relay.publishBatch()).rejects.toThrow(/before the mark/);
    expect(delivered).toHaveLength(2);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 2 }]);

    const restarted = new OutboxRelay({ dataSource, transport, logger: silentLogger });
    expect(await restarted.publishBatch()).toBe(2);
    expect(await restarted.publishBatch()).toBe(0);
    expect(delivered.slice(2)).toEqual(delivered.slice(0, 2));
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
  });

  it('Kafka path: two replicas never publish a row twice and keep each aggregate in order', async () => {
    const dataSource = await connect([...BEFORE, OutboxPendingTable1764000000005, OutboxTextRows1764000000006]);
    const aggregates = 8;
    const perAggregate = 30;
    const writer = new OutboxWriter('/test');
    // Several statements and transactions, aggregates interleaved.
    for (let n = 0; n < perAggregate; n += 10)
      await dataSource.transaction(async (m) => {
        for (let k = n; k < n + 10; k++)
          await writer.append(
            m,
            Array.from({ length: aggregates }, (_, a) => event(Numbered, `agg-${a}`, { n: k })),
          );
      });
    const broker = new RecordingBroker();
    const replicas = [1, 2].map(
      () => new OutboxRelay({ dataSource, transport: broker, logger: silentLogger, batchSize: 7 }),
    );
    await Promise.all(
      replicas.map(async (relay) => {
        while ((await relay.publishBatch()) > 0);
      }),
    );
    // A replica may stop while the other still holds rows: drain what is left.
    while ((await replicas[0].publishBatch()) > 0);

    expect(broker.sent).toHaveLength(aggregates * perAggregate);
    expect(new Set(broker.sent.map((m) => m.envelope.id)).size).toBe(aggregates * perAggregate);
    for (let a = 0; a < aggregates; a++)
      expect(numbersOf(broker.sent, `agg-${a}`)).toEqual([...Array(perAggregate).keys()]);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
  });

  it('rows written before the text outbox (1764000000006) and after it go to Kafka as the same messages, in order', async () => {
    const dataSource = await connect([...BEFORE, OutboxPendingTable1764000000005]);
    const payload = (n: number) => ({ n, text: `é "quoted" \\ ${n} \u2028 😀` });
    const Texted = defineEvent({
      type: 'servicecenter.test.texted.v1',
      topic: 'test.pending',
      description: 'test',
      schema: z.object({ n: z.number(), text: z.string() }),
    });
    await dataSource.transaction((m) =>
      appendLegacy(
        m,
        [0, 1].map((n) => event(Texted, 'a', payload(n))),
      ),
    );
    await dataSource.destroy();
    open.splice(open.indexOf(dataSource), 1);

    const after = await connect([...BEFORE, OutboxPendingTable1764000000005, OutboxTextRows1764000000006]);
    const meta = { actor: 'person-1', correlationId: 'corr-1', causationId: 'cause-1' };
    await after.transaction((m) =>
      new OutboxWriter('/test').append(
        m,
        [2, 3].map((n) => event(Texted, 'a', payload(n))),
        meta,
      ),
    );
    await after.transaction((m) => appendLegacy(m, [event(Texted, 'a', payload(4))]));
    const broker = new RecordingBroker();
    const relay = new OutboxRelay({ dataSource: after, transport: broker, logger: silentLogger });
    while ((await relay.publishBatch()) > 0);

    expect(broker.sent.map((m) => dataOf(m))).toEqual([0, 1, 2, 3, 4].map(payload));
    // On the wire: the same headers and the data's JSON, whichever way the row was stored.
    const wire = broker.sent.map((m) => toBinaryMode(m.envelope, m.data));
    for (const [i, { headers, body }] of wire.entries()) {
      expect(JSON.parse(body)).toEqual(payload(i));
      expect(headers).toEqual({
        'content-type': 'application/json',
        ce_specversion: '1.0',
        ce_id: broker.sent[i].envelope.id,
        ce_source: '/test',
        ce_type: Texted.type,
        ce_time: expect.any(String),
        ce_subject: 'a',
        ce_sequence: expect.stringMatching(/^\d{20}$/),
        ...(i === 2 || i === 3 ? { ce_actor: 'person-1', ce_correlationid: 'corr-1', ce_causationid: 'cause-1' } : {}),
      });
    }
    expect(wire[2].headers).toMatchObject({
      ce_actor: 'person-1',
      ce_correlationid: 'corr-1',
      ce_causationid: 'cause-1',
    });
    // The new rows' body is the text the writer made, byte for byte.
    expect(wire[2].body).toBe(JSON.stringify(payload(2)));
    expect(wire.map((w) => w.headers.ce_sequence)).toEqual([...wire.map((w) => w.headers.ce_sequence)].sort());
    expect(await after.query('SELECT count(*)::int AS n FROM outbox_pending')).toEqual([{ n: 0 }]);
  });
});
