import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/database';
import { silentLogger } from '@servicecenter/logging';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { EventsOutboxInbox1764000000000, InboxEntity, InProcessTransport, OutboxEntity, OutboxRelay, OutboxWriter, defineEvent, event } from './index';

const Numbered = defineEvent({ type: 'servicecenter.test.numbered.v1', topic: 'test.relay', description: 'test', schema: z.object({ n: z.number() }) });

describe('outbox relay with two replicas', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    dataSource = await openDataSource({ url: db.url, entities: [OutboxEntity, InboxEntity], migrations: [EventsOutboxInbox1764000000000], applicationName: 'relay-spec', poolSize: 6 });
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
      for (let n = 0; n < perAggregate; n++) for (let a = 0; a < aggregates; a++) events.push(event(Numbered, `agg-${a}`, { n }));
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
    const drain = async (relay: OutboxRelay) => {
      while ((await relay.publishBatch()) > 0);
    };
    await Promise.all(replicas.map(drain));

    expect(published).toHaveLength(aggregates * perAggregate);
    expect(new Set(published.map((p) => p.id)).size).toBe(aggregates * perAggregate);
    for (let a = 0; a < aggregates; a++) {
      const ns = published.filter((p) => p.key === `agg-${a}`).map((p) => p.n);
      expect(ns).toEqual([...Array(perAggregate).keys()]);
    }
  });
});
