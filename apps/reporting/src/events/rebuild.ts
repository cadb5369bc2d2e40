import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { liftTimeLimitsForTransaction } from '@servicecenter/platform-database';
import { fromBinaryMode, type EventEnvelope } from '@servicecenter/contracts';
import { PROJECTION_TABLES, REPORTING_CONTRACTS, contractOf, projectEvents, type JournalItem } from './projections';

export interface RebuildResult {
  source: 'journal' | 'kafka';
  eventsReplayed: number;
  eventsSkipped: number;
}

const BATCH = 1_000;

/**
 * Empties the projections and replays every event into them through the same projection code
 * as the live consumer, in one transaction: readers see the old tables until the new ones are
 * complete, and the live consumer waits on the journal lock meanwhile (so no event is lost
 * between the replay and the resumption). The journal is replayed a page (1,000 events) at a time.
 * The pool's statement and idle-in-transaction limits do not apply to this transaction.
 */
async function rebuildWith(
  dataSource: DataSource,
  replay: (
    manager: EntityManager,
    apply: (events: { envelope: EventEnvelope; topic: string }[]) => Promise<void>,
  ) => Promise<void>,
) {
  let replayed = 0;
  let skipped = 0;
  await dataSource.transaction(async (manager) => {
    // Minutes in one transaction, and with a broker it waits for the topics between statements.
    await liftTimeLimitsForTransaction(manager);
    await manager.query(`LOCK TABLE event_journal IN SHARE ROW EXCLUSIVE MODE`);
    await manager.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
    await replay(manager, async (events) => {
      const items: JournalItem[] = [];
      for (const { envelope, topic } of events) {
        const parsed = contractOf(envelope.type)?.schema.safeParse(envelope.data);
        if (parsed?.success) items.push({ envelope, topic, data: parsed.data });
        else skipped++;
      }
      replayed += await projectEvents(manager, items, { replay: true });
    });
  });
  return { replayed, skipped };
}

/** Embedded mode (no broker log): the journal is the reporting service's durable copy of the topics. */
export async function rebuildFromJournal(dataSource: DataSource): Promise<RebuildResult> {
  const { replayed, skipped } = await rebuildWith(dataSource, async (manager, apply) => {
    for (let after = 0; ;) {
      const rows: {
        position: string;
        event_id: string;
        type: string;
        source: string;
        subject: string;
        sequence: string;
        time: Date;
        topic: string;
        data: unknown;
      }[] = await manager.query(
        `SELECT position, event_id, type, source, subject, sequence, time, topic, data FROM event_journal WHERE position > $1 ORDER BY position LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return;
      await apply(
        rows.map((r) => ({
          topic: r.topic,
          envelope: {
            specversion: '1.0',
            id: r.event_id,
            type: r.type,
            source: r.source,
            subject: r.subject,
            sequence: r.sequence,
            time: new Date(r.time).toISOString(),
            datacontenttype: 'application/json',
            data: r.data,
          },
        })),
      );
      after = Number(rows[rows.length - 1].position);
    }
  });
  return { source: 'journal', eventsReplayed: replayed, eventsSkipped: skipped };
}

/**
 * With a broker: read the topics from their beginning under a fresh consumer group and stop
 * once every partition reached the high-water mark taken at the start. Events already in the
 * journal are kept; events missing from it (e.g. a journal restored from an older backup) are added.
 */
export async function rebuildFromKafka(
  dataSource: DataSource,
  brokers: string[],
  options: { physicalTopic?: (topic: string) => string } = {},
): Promise<RebuildResult> {
  const kafka = new Kafka({ clientId: 'servicecenter-reporting-rebuild', brokers, logLevel: logLevel.NOTHING });
  // Tests read from topics of their own; the journal and freshness keep the contract's topic name.
  const physical = options.physicalTopic ?? ((t: string) => t);
  const logical = new Map([...new Set(REPORTING_CONTRACTS.map((c) => c.topic))].map((t) => [physical(t), t]));
  const topics = [...logical.keys()];
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<string, bigint>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) pending.set(`${topic}:${p.partition}`, BigInt(p.high) - 1n);
      }
    }
  } finally {
    await admin.disconnect();
  }
  const { replayed, skipped } = await rebuildWith(dataSource, async (_manager, apply) => {
    if (pending.size === 0) return;
    const consumer = kafka.consumer({ groupId: `servicecenter.reporting.rebuild.${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({
        topics: topics.filter((t) => [...pending.keys()].some((k) => k.startsWith(`${t}:`))),
        fromBeginning: true,
      });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const key = `${topic}:${partition}`;
              const last = pending.get(key);
              if (last === undefined) return;
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(message.headers ?? {}))
                if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
              try {
                await apply([
                  {
                    envelope: fromBinaryMode(headers, message.value ? message.value.toString('utf8') : null),
                    topic: logical.get(topic) ?? topic,
                  },
                ]);
              } catch (error) {
                if (
                  error instanceof SyntaxError ||
                  (error instanceof Error && error.message.startsWith('not a CloudEvent'))
                ) {
                  // not one of ours
                } else throw error;
              }
              if (BigInt(message.offset) >= last) {
                pending.delete(key);
                if (pending.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  });
  return { source: 'kafka', eventsReplayed: replayed, eventsSkipped: skipped };
}
