import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTestDatabase, waitFor, type TestDatabase } from '@servicecenter/testing';
import { defineEvent, formatSequence, type EventEnvelope } from '@servicecenter/contracts';
import {
  EventConsumer,
  EventsOutboxInbox1764000000000,
  InProcessTransport,
  InboxEntity,
  OutboxEntity,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  deadLetterTopicFor,
  type DeliveredMessage,
} from './index';

/**
 * In process every consumer group gets the same envelope object: its payload goes through the
 * contract once for all groups (the SLA scan's hundreds of events a scan were checked by
 * each group), and each group still applies the payload as its contract reads it.
 */
describe('in-process consumer groups: one payload check per event', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('events_shared');
    dataSource = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity],
      migrations: [EventsOutboxInbox1764000000000, OutboxPendingTable1764000000005, OutboxTextRows1764000000006],
      applicationName: 'events-shared-validation-spec',
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const newContract = () =>
    defineEvent({
      type: 'servicecenter.test.checked.v1',
      topic: `test.checked.${randomUUID().slice(0, 8)}`,
      description: 'test event',
      schema: z.object({ n: z.number().int() }),
    });

  const envelope = (seq: number, data: unknown): EventEnvelope => ({
    specversion: '1.0',
    id: randomUUID(),
    source: '/test',
    type: 'servicecenter.test.checked.v1',
    time: new Date().toISOString(),
    subject: `agg-${seq % 2}`,
    datacontenttype: 'application/json',
    sequence: formatSequence(String(seq)),
    data: data as EventEnvelope['data'],
  });

  const consumer = (transport: InProcessTransport, groupId: string) =>
    new EventConsumer({
      groupId,
      dataSource,
      transport,
      logger: silentLogger,
      maxAttempts: 1,
      retryBaseMs: 1,
      retryMaxMs: 5,
      actor: 'system:test',
    });

  it('checks each payload once for every group, which each apply it as the contract parses it', async () => {
    const Checked = newContract();
    const safeParse = jest.spyOn(Checked.schema, 'safeParse');
    const transport = new InProcessTransport();
    const sets: unknown[][] = [];
    const singles: unknown[] = [];
    // One group takes sets (a batch), the other one event at a time.
    const setGroup = consumer(transport, `test.sets.${randomUUID().slice(0, 8)}`).onSet([Checked], async (items) => {
      sets.push(items.map((i) => i.data));
    });
    const singleGroup = consumer(transport, `test.singles.${randomUUID().slice(0, 8)}`).on(Checked, async (data) => {
      singles.push(data);
    });
    await setGroup.start();
    await singleGroup.start();

    await transport.publish(
      [1, 2, 3].map((n) => ({ topic: Checked.topic, key: `agg-${n % 2}`, envelope: envelope(n, { n, extra: 'x' }) })),
    );

    // Unknown fields stripped in both groups, each event applied once per group.
    expect(sets.flat()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(sets.length).toBeGreaterThanOrEqual(1);
    expect(singles).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(safeParse).toHaveBeenCalledTimes(3);
    await setGroup.stop();
    await singleGroup.stop();
    await transport.stop();
  });

  it('dead-letters a payload that breaks the contract in every group', async () => {
    const Checked = newContract();
    const transport = new InProcessTransport();
    const groups = [`test.a.${randomUUID().slice(0, 8)}`, `test.b.${randomUUID().slice(0, 8)}`];
    const applied: unknown[] = [];
    const consumers = groups.map((g) => consumer(transport, g).on(Checked, async (data) => void applied.push(data)));
    for (const c of consumers) await c.start();
    const deadLetters: DeliveredMessage[] = [];
    for (const g of groups)
      await transport.subscribe({
        groupId: `${g}.watch`,
        topics: [deadLetterTopicFor(g)],
        handle: async (m) => void deadLetters.push(m),
      });

    await transport.publish([{ topic: Checked.topic, key: 'agg-1', envelope: envelope(1, { n: 'one' }) }]);

    await waitFor(
      async () => deadLetters.length,
      (n) => n >= 2,
      { what: 'a dead letter from each group' },
    );
    expect(applied).toEqual([]);
    expect(deadLetters.map((m) => m.headers.dlq_consumer).sort()).toEqual([...groups].sort());
    for (const c of consumers) await c.stop();
    await transport.stop();
  });
});
