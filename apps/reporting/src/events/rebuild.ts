import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { liftTimeLimitsForTransaction } from '@servicecenter/platform-database';
import { fromBinaryMode, type EventEnvelope } from '@servicecenter/contracts';
import { ROLLUPS } from '../persistence/rollups';
import { PROJECTION_TABLES, REPORTING_CONTRACTS, contractOf, projectEvents, type JournalItem } from './projections';

export interface RebuildResult {
  source: 'journal' | 'kafka';
  eventsReplayed: number;
  eventsSkipped: number;
  /** Transactions the replay was committed in (the pages, the catch-ups and the final one). */
  pages: number;
}

export interface RebuildOptions {
  /** Events per page: each page is one transaction into the shadow tables (default 5,000). */
  pageEvents?: number;
  /**
   * The final catch-up (with the live consumer held off) starts once fewer events than this
   * arrived since the last catch-up round (default: one page).
   */
  catchUpEvents?: number;
  /** After each committed page: progress for the operator (the tool logs it), and the specs' hook. */
  onPage?: (progress: { pages: number; eventsReplayed: number }) => void | Promise<void>;
}

/** The schema the projections are rebuilt in, and the one the replaced tables go to before they are dropped. */
export const SHADOW_SCHEMA = 'rp_rebuild';
const RETIRED_SCHEMA = 'rp_retired';
const PAGE_EVENTS = 5_000;
/** One rebuild at a time (a session advisory lock). */
const REBUILD_LOCK = 7_640_000_460;

type Item = { envelope: EventEnvelope; topic: string };
type Apply = (manager: EntityManager, events: Item[]) => Promise<void>;

/**
 * Replays every event into shadow copies of the projections and swaps them in at the end
 * (docs/reporting.md, "Rebuilding the read models"):
 *
 * 1. The shadow schema gets an empty copy of every projection table (columns, indexes and
 *    their names) and of the rollup functions that take a projection's row.
 * 2. The journal position H is noted (under a moment's lock on the journal, so every event
 *    up to it is committed); `replay` applies the events up to it (the journal, or the topics
 *    up to their high-water marks) in pages, each page one transaction with the shadow schema
 *    first on the search path: the same projection code and triggers as live, writing into the
 *    shadow. Readers and the live consumer go on with the live tables meanwhile. The rollups
 *    are then counted from scratch over the replayed projections (ROLLUPS, as a change of
 *    time zone does) and their triggers created on the shadow tables.
 * 3. Catch-up rounds replay the journal entries recorded since (the live consumer's), in pages,
 *    until fewer than `catchUpEvents` remain.
 * 4. One short transaction locks the journal (the live consumer waits), replays the last
 *    entries, and moves the live tables out and the shadow ones in (ALTER … SET SCHEMA): readers
 *    see the old figures until it commits and the new ones after. The old tables are dropped.
 *
 * A rebuild that stops midway leaves the live tables as they were; the next one starts over.
 */
async function rebuildWith(
  dataSource: DataSource,
  options: RebuildOptions,
  replay: (apply: (events: Item[]) => Promise<void>, journalHorizon: number) => Promise<void>,
  seen?: Set<string>,
) {
  const pageEvents = Math.max(1, options.pageEvents ?? PAGE_EVENTS);
  const catchUpEvents = Math.max(1, options.catchUpEvents ?? pageEvents);
  let replayed = 0;
  let skipped = 0;
  let pages = 0;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ live }]: { live: string }[] = await runner.query(`SELECT current_schema() AS live`);
    const [{ locked }]: { locked: boolean }[] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [
      REBUILD_LOCK,
    ]);
    if (!locked) throw new Error('another rebuild of the reporting read models is running');
    const shadowFirst = `SET LOCAL search_path TO ${SHADOW_SCHEMA}, ${quote(live)}`;
    const project: Apply = async (manager, events) => {
      const items: JournalItem[] = [];
      for (const { envelope, topic } of events) {
        const parsed = contractOf(envelope.type)?.schema.safeParse(envelope.data);
        if (parsed?.success) items.push({ envelope, topic, data: parsed.data });
        else skipped++;
      }
      replayed += await projectEvents(manager, items, { replay: true });
    };
    const page = async (events: Item[]) => {
      if (events.length === 0) return;
      await runner.startTransaction();
      try {
        await runner.query(shadowFirst);
        await project(runner.manager, events);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
      pages++;
      await options.onPage?.({ pages, eventsReplayed: replayed });
    };
    /** The journal entries after `after` up to `upTo` (not yet applied), a page at a time. */
    const journal = async (
      manager: EntityManager,
      after: number,
      upTo: number,
      apply: (e: Item[]) => Promise<void>,
    ) => {
      for (let from = after; from < upTo;) {
        const rows = await journalPage(manager, from, upTo, pageEvents);
        if (rows.length === 0) return;
        await apply(rows.map((r) => r.item).filter((item) => !seen?.has(item.envelope.id)));
        from = rows[rows.length - 1].position;
      }
    };
    const horizon = async () => {
      await runner.startTransaction();
      try {
        await runner.query(`LOCK TABLE event_journal IN SHARE ROW EXCLUSIVE MODE`);
        const [{ h }]: { h: string }[] = await runner.query(
          `SELECT coalesce(max(position), 0) AS h FROM event_journal`,
        );
        await runner.commitTransaction();
        return Number(h);
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    };

    const triggers = await prepareShadow(runner, live);
    let done = await horizon();
    await replay(page, done);
    // The rollups counted from scratch over the replayed projections (set-wise, one transaction
    // each), then kept by their triggers through the catch-up like the live ones.
    const zone: { value: string }[] = await runner.query(`SELECT value FROM rp_rollup_setting WHERE key = 'time_zone'`);
    if (!zone[0]) throw new Error('the report time zone is not set: start the reporting service once first');
    for (const { recount, zoned } of ROLLUPS) {
      await runner.startTransaction();
      try {
        await runner.query(shadowFirst);
        await runner.query(recount, zoned ? [zone[0].value] : []);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    }
    await runner.startTransaction();
    try {
      await runner.query(shadowFirst);
      for (const trigger of triggers) await runner.query(trigger);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
    for (;;) {
      const next = await horizon();
      if (next - done < catchUpEvents) break;
      await journal(runner.manager, done, next, page);
      done = next;
    }
    await runner.startTransaction();
    try {
      await liftTimeLimitsForTransaction(runner.manager);
      await runner.query(`LOCK TABLE event_journal IN SHARE ROW EXCLUSIVE MODE`);
      await runner.query(shadowFirst);
      await journal(runner.manager, done, Number.MAX_SAFE_INTEGER, (events) => project(runner.manager, events));
      await swapIn(runner, live);
      await runner.commitTransaction();
      pages++;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
    await runner.query(`DROP SCHEMA IF EXISTS ${RETIRED_SCHEMA} CASCADE`);
    await runner.query(`DROP SCHEMA IF EXISTS ${SHADOW_SCHEMA} CASCADE`);
    for (const table of PROJECTION_TABLES) await runner.query(`ANALYZE ${quote(live)}.${table}`);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock($1)`, [REBUILD_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return { replayed, skipped, pages };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Empty copies of the projection tables in the shadow schema: columns (generated ones too),
 * defaults, constraints and indexes under the live names (later migrations refer to them), and
 * the rollup functions that take a projection's row (their argument types are the table's row
 * type: the shadow tables need their own). Returns the statements creating the rollup triggers
 * on the shadow tables: they are created once the rollups are counted from scratch.
 */
async function prepareShadow(runner: QueryRunner, live: string): Promise<string[]> {
  await runner.query(`DROP SCHEMA IF EXISTS ${RETIRED_SCHEMA} CASCADE`);
  await runner.query(`DROP SCHEMA IF EXISTS ${SHADOW_SCHEMA} CASCADE`);
  await runner.query(`CREATE SCHEMA ${SHADOW_SCHEMA}`);
  const indexes = async (schema: string, table: string) =>
    (
      (await runner.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`, [
        schema,
        table,
      ])) as { indexname: string; indexdef: string }[]
    ).map((i) => ({
      name: i.indexname,
      shape: i.indexdef.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, 'CREATE $1INDEX ON '),
    }));
  for (const table of PROJECTION_TABLES) {
    await runner.query(`CREATE TABLE ${SHADOW_SCHEMA}.${table} (LIKE ${quote(live)}.${table} INCLUDING ALL)`);
    const liveIndexes = await indexes(live, table);
    for (const copy of await indexes(SHADOW_SCHEMA, table)) {
      const original = liveIndexes.findIndex((i) => i.shape === copy.shape);
      if (original < 0) throw new Error(`no live index like ${copy.name} on ${table}`);
      const [{ name }] = liveIndexes.splice(original, 1);
      if (name !== copy.name)
        await runner.query(`ALTER INDEX ${SHADOW_SCHEMA}.${quote(copy.name)} RENAME TO ${quote(name)}`);
    }
  }
  // Printed with the live search path (row types unqualified), created with the shadow schema first.
  const functions = await rowFunctions(runner, live, true);
  const triggers: { tablename: string; def: string }[] = await runner.query(
    `SELECT c.relname AS tablename, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2) AND NOT t.tgisinternal`,
    [live, [...PROJECTION_TABLES]],
  );
  await runner.startTransaction();
  try {
    await runner.query(`SET LOCAL search_path TO ${SHADOW_SCHEMA}, ${quote(live)}`);
    for (const { def } of functions)
      await runner.query(
        def
          .replace(`FUNCTION ${quote(live)}.`, `FUNCTION ${SHADOW_SCHEMA}.`)
          .replace(`FUNCTION ${live}.`, `FUNCTION ${SHADOW_SCHEMA}.`),
      );
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
  return triggers.map(({ tablename, def }) =>
    def.replace(new RegExp(` ON (\\S+\\.)?${tablename} `), ` ON ${SHADOW_SCHEMA}.${tablename} `),
  );
}

/** The functions of a schema that take a projection table's row (the rollup counters). */
async function rowFunctions(
  runner: QueryRunner,
  schema: string,
  withDefinition: boolean,
): Promise<{ signature: string; def: string }[]> {
  // Printed with the default search path: the row types unqualified (the shadow's when run with it first).
  return runner.query(
    `SELECT p.oid::regprocedure::text AS signature, ${withDefinition ? 'pg_get_functiondef(p.oid)' : "''"} AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND EXISTS (
        SELECT 1 FROM unnest(p.proargtypes) a JOIN pg_class c ON c.reltype = a
         WHERE c.relnamespace = p.pronamespace AND c.relname = ANY($2))`,
    [schema, [...PROJECTION_TABLES]],
  );
}

/** In the final transaction: the live tables and their row functions out, the shadow ones in. */
async function swapIn(runner: QueryRunner, live: string): Promise<void> {
  await runner.query(`SET LOCAL search_path TO ${quote(live)}`);
  await runner.query(`CREATE SCHEMA ${RETIRED_SCHEMA}`);
  const liveFunctions = await rowFunctions(runner, live, false);
  const shadowFunctions = await rowFunctions(runner, SHADOW_SCHEMA, false);
  // The functions first: their signatures name the row types by the tables' current schemas.
  for (const { signature } of liveFunctions)
    await runner.query(`ALTER FUNCTION ${qualified(live, signature)} SET SCHEMA ${RETIRED_SCHEMA}`);
  for (const { signature } of shadowFunctions)
    await runner.query(`ALTER FUNCTION ${qualified(SHADOW_SCHEMA, signature)} SET SCHEMA ${quote(live)}`);
  for (const table of PROJECTION_TABLES) {
    await runner.query(`ALTER TABLE ${quote(live)}.${table} SET SCHEMA ${RETIRED_SCHEMA}`);
    await runner.query(`ALTER TABLE ${SHADOW_SCHEMA}.${table} SET SCHEMA ${quote(live)}`);
  }
}

/** regprocedure text is qualified only when the schema is not on the search path. */
const qualified = (schema: string, signature: string) =>
  signature.includes('.') && signature.indexOf('.') < signature.indexOf('(')
    ? signature
    : `${quote(schema)}.${signature}`;

async function journalPage(
  manager: EntityManager,
  after: number,
  upTo: number,
  limit: number,
): Promise<{ position: number; item: Item }[]> {
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
    `SELECT position, event_id, type, source, subject, sequence, time, topic, data FROM event_journal
      WHERE position > $1 AND position <= $2 ORDER BY position LIMIT ${limit}`,
    [after, upTo],
  );
  return rows.map((r) => ({
    position: Number(r.position),
    item: {
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
    },
  }));
}

/** Embedded mode (no broker log): the journal is the reporting service's durable copy of the topics. */
export async function rebuildFromJournal(dataSource: DataSource, options: RebuildOptions = {}): Promise<RebuildResult> {
  const pageEvents = Math.max(1, options.pageEvents ?? PAGE_EVENTS);
  const { replayed, skipped, pages } = await rebuildWith(dataSource, options, async (apply, upTo) => {
    for (let after = 0; after < upTo;) {
      const rows = await journalPage(dataSource.manager, after, upTo, pageEvents);
      if (rows.length === 0) return;
      await apply(rows.map((r) => r.item));
      after = rows[rows.length - 1].position;
    }
  });
  return { source: 'journal', eventsReplayed: replayed, eventsSkipped: skipped, pages };
}

/**
 * With a broker: read the topics from their beginning under a fresh consumer group and stop
 * once every partition reached the high-water mark taken at the start. Events already in the
 * journal are kept; events missing from it (e.g. a journal restored from an older backup) are added.
 */
export async function rebuildFromKafka(
  dataSource: DataSource,
  brokers: string[],
  options: RebuildOptions & { physicalTopic?: (topic: string) => string } = {},
): Promise<RebuildResult> {
  const kafka = new Kafka({ clientId: 'servicecenter-reporting-rebuild', brokers, logLevel: logLevel.NOTHING });
  // Tests read from topics of their own; the journal and freshness keep the contract's topic name.
  const physical = options.physicalTopic ?? ((t: string) => t);
  const logical = new Map([...new Set(REPORTING_CONTRACTS.map((c) => c.topic))].map((t) => [physical(t), t]));
  const topics = [...logical.keys()];
  const pageEvents = Math.max(1, options.pageEvents ?? PAGE_EVENTS);
  // The events replayed from the topics: the catch-up from the journal skips them.
  const seen = new Set<string>();
  const { replayed, skipped, pages } = await rebuildWith(
    dataSource,
    options,
    async (apply) => {
      // The high-water marks after the journal horizon: whatever the live consumer journaled
      // up to the horizon is in the topics below them; what came after, the catch-up replays.
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
      if (pending.size === 0) return;
      let buffer: Item[] = [];
      const flush = async () => {
        const events = buffer;
        buffer = [];
        await apply(events);
      };
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
                  const envelope = fromBinaryMode(headers, message.value ? message.value.toString('utf8') : null);
                  seen.add(envelope.id);
                  buffer.push({ envelope, topic: logical.get(topic) ?? topic });
                } catch (error) {
                  if (
                    error instanceof SyntaxError ||
                    (error instanceof Error && error.message.startsWith('not a CloudEvent'))
                  ) {
                    // not one of ours
                  } else throw error;
                }
                if (buffer.length >= pageEvents) await flush();
                if (BigInt(message.offset) >= last) {
                  pending.delete(key);
                  if (pending.size === 0) await flush().then(resolve, reject);
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
    },
    seen,
  );
  return { source: 'kafka', eventsReplayed: replayed, eventsSkipped: skipped, pages };
}
