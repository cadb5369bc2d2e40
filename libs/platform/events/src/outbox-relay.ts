import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '@servicecenter/platform-logging';
import {
  ROOT_CONTEXT,
  SpanKind,
  contextFrom,
  endSpan,
  injectTraceHeaders,
  startSpan,
  trace,
  tracingEnabled,
  type Span,
} from '@servicecenter/platform-telemetry';
import { formatSequence, type EventEnvelope } from '@servicecenter/contracts';
import { backoffMs } from './failure';
import type { OutboxRelayMetrics } from './metrics-hooks';
import { outboxStateOf, type CommittedRow, type DirectHandOver } from './hand-over';
import { OUTBOX_CHANNEL } from './outbox-writer';
import type { EventTransport, TransportMessage } from './transports/transport';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  transport: EventTransport;
  logger: Logger;
  batchSize?: number;
  /** How often an idle relay looks for rows written by other replicas. */
  pollMs?: number;
  /** In process: rows handed over to the consumer groups and not yet handled, at most (default 5 batches). */
  maxInFlight?: number;
  /**
   * Published rows older than this (by the database's clock) are deleted; 0 keeps them for
   * ever. The outbox is a queue, not an archive: consumers keep what they need (the
   * reporting journal, Kafka's topics), and the rows would otherwise grow without bound.
   */
  retentionMs?: number;
  /** How often (wall time) the relay deletes what is past retention (default a minute). */
  pruneEveryMs?: number;
  /** Counts published rows and failed rounds (libs/platform/metrics). */
  metrics?: OutboxRelayMetrics;
  /** The service publishing (span attribute `service.name`); else the last segment of the events' source. */
  service?: string;
  /**
   * LISTEN on the outbox channel over a connection of its own (this database URL), so a
   * commit in another process (its writer with `notify` on) wakes this relay at once. Lost
   * notifications only cost latency: the poll still finds every row. Reconnects with backoff.
   */
  listenUrl?: string;
}

/**
 * Marks outbox rows published: deletes their `outbox_pending` entries (a row without one is
 * published; the outbox row itself is not written again).
 */
const MARK_PUBLISHED = `DELETE FROM outbox_pending WHERE seq = ANY($1::bigint[])`;

/** Rows deleted per statement, and statements per round, when pruning the published outbox. */
const PRUNE_CHUNK = 5_000;
const PRUNE_CHUNKS_PER_ROUND = 20;

interface InFlightBatch {
  seqs: string[];
  /** Settles when every consumer group handled the batch (in process). */
  delivered: Promise<void>;
  state: 'pending' | 'handled' | 'failed';
  error?: unknown;
}

const inFlightOf = (dataSource: DataSource): Set<string> => outboxStateOf(dataSource).inFlight;

/**
 * The claimed rows as messages. A row written since migration 1764000000006 has its
 * attributes and data as text: the attributes are parsed into the envelope, and the data's
 * text is the message's `data`, which Kafka takes unchanged as the body; it is parsed only for
 * a transport that hands objects to its consumers (`parseData`, in process). A row written
 * before has its envelope as `jsonb`, parsed by pg. Each envelope belongs to nobody else, so it
 * takes its `sequence` in place instead of being copied (a claim of the SLA scan's rows copied
 * hundreds of envelopes that were garbage at once).
 */
const toMessages = (rows: Row[], parseData: boolean): TransportMessage[] =>
  rows.map((row) => {
    if (row.envelope) {
      const envelope = row.envelope as EventEnvelope;
      envelope.sequence = formatSequence(row.seq);
      return { topic: row.topic, key: row.message_key, envelope };
    }
    const envelope = JSON.parse(row.attributes as string) as EventEnvelope;
    envelope.sequence = formatSequence(row.seq);
    if (parseData) {
      envelope.data = JSON.parse(row.data as string);
      return { topic: row.topic, key: row.message_key, envelope };
    }
    return { topic: row.topic, key: row.message_key, envelope, data: row.data as string };
  });

/**
 * Tracing on: a PRODUCER span `publish <topic>` per traced row, a child of the trace the row
 * carries (`envelope.traceparent`), and its context as the message's W3C `traceparent` /
 * `tracestate` headers beside the `ce_*` ones, where Kafka instrumentations look. Rows written
 * without a trace get neither. Tracing off: the messages as they are, no spans.
 */
function tracePublish(
  messages: TransportMessage[],
  transport: EventTransport,
  service: string | undefined,
): { messages: TransportMessage[]; spans: Span[] } {
  if (!tracingEnabled()) return { messages, spans: [] };
  const spans: Span[] = [];
  const traced = messages.map((message) => {
    const { envelope } = message;
    if (!envelope.traceparent) return message;
    const span = startSpan(`publish ${message.topic}`, {
      kind: SpanKind.PRODUCER,
      parent: contextFrom(envelope),
      service: service ?? envelope.source.split('/').pop(),
      attributes: {
        'messaging.system': transport.kind === 'kafka' ? 'kafka' : 'in-process',
        'messaging.operation.type': 'send',
        'messaging.destination.name': message.topic,
        'messaging.message.id': envelope.id,
        'messaging.kafka.message.key': message.key,
        'cloudevents.event_id': envelope.id,
        'cloudevents.event_type': envelope.type,
        'cloudevents.event_source': envelope.source,
        'cloudevents.event_subject': envelope.subject,
      },
    });
    if (!span) return message;
    spans.push(span);
    const headers: Record<string, string> = { ...message.headers };
    injectTraceHeaders((name, value) => (headers[name] = value), trace.setSpan(ROOT_CONTEXT, span));
    return { ...message, headers };
  });
  return { messages: traced, spans };
}

/** Outbox order of two seqs (bigint as text). */
const compareSeq = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

interface Row {
  seq: string;
  topic: string;
  message_key: string;
  /** A row written before migration 1764000000006; else null, and `attributes` and `data` are set. */
  envelope: Omit<EventEnvelope, 'sequence'> | null;
  attributes: string | null;
  data: string | null;
}

/**
 * Publishes the outbox in batches. Rows are claimed with FOR UPDATE SKIP LOCKED, so two
 * replicas never publish the same row; each claimed row also takes a transaction-scoped
 * advisory lock on its aggregate key, so while one replica holds an aggregate's earlier
 * events another cannot publish its later ones: order per aggregate survives replicas.
 * A row is marked published only after the broker acknowledged it (at least once; the
 * consumers' inboxes drop the repeats). In process (`transport.queuesOnPublish`) the
 * acknowledgement is "every consumer group handled it": the relay hands batches over inside
 * short claim transactions and keeps several in flight instead of holding a transaction open
 * while the consumers work.
 */
export class OutboxRelay implements DirectHandOver {
  private running = false;
  /** In process: batches handed over and not yet marked published (claimed or direct). */
  private readonly pending: InFlightBatch[] = [];
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  /** While backing off after a failure, local commits must not cut the wait short. */
  private backingOff = false;
  private lastPrune = Date.now();
  private listener?: Client;
  private listening?: Promise<void>;
  private listenPause?: AbortController;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.options.transport.queuesOnPublish) outboxStateOf(this.options.dataSource).direct.push(this);
    this.loop = this.run();
    if (this.options.listenUrl) this.listening = this.listen(this.options.listenUrl);
  }

  /** Whether the LISTEN connection is up (with `listenUrl`). */
  get listeningForCommits(): boolean {
    return this.listener !== undefined;
  }

  /** Keeps a LISTEN connection while running; every notification wakes the relay. */
  private async listen(url: string): Promise<void> {
    for (let failures = 0; this.running;) {
      const client = new Client({ connectionString: url, application_name: 'servicecenter-outbox-listen' });
      try {
        const ended = new Promise<void>((resolve) => {
          client.on('error', (error) => {
            this.options.logger.warn({ err: error }, 'outbox LISTEN connection failed; polling until it is back');
            resolve();
          });
          client.on('end', () => resolve());
        });
        client.on('notification', () => this.wake());
        await client.connect();
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.listener = client;
        failures = 0;
        // Rows committed before the LISTEN took effect are found by this claim or the poll.
        this.wake();
        await ended;
      } catch (error) {
        failures++;
        this.options.logger.warn({ err: error, failures }, 'could not LISTEN for outbox commits; polling meanwhile');
      } finally {
        if (this.listener === client) this.listener = undefined;
        await client.end().catch(() => undefined);
      }
      if (!this.running) break;
      this.listenPause = new AbortController();
      await sleep(backoffMs(Math.max(1, failures), 200, 10_000), undefined, { signal: this.listenPause.signal }).catch(
        () => undefined,
      );
    }
  }

  /** Called after a local commit so the events leave without waiting for the next poll. */
  wake(): void {
    if (this.backingOff) return;
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    const { direct } = outboxStateOf(this.options.dataSource);
    if (direct.includes(this)) direct.splice(direct.indexOf(this), 1);
    this.wakeUp?.();
    this.listenPause?.abort();
    await this.listener?.end().catch(() => undefined);
    await Promise.all([this.loop, this.listening]);
  }

  /**
   * Publishes one batch and waits until it is acknowledged (and, in process, handled);
   * returns how many rows it published.
   */
  async publishBatch(): Promise<number> {
    if (!this.options.transport.queuesOnPublish) {
      const published = await this.publishHoldingClaim();
      if (published > 0) this.options.metrics?.published(published);
      return published;
    }
    const batch = await this.handOver();
    if (!batch) return 0;
    await batch.delivered.catch(() => undefined);
    await this.markPublished([batch]); // rethrows a failed hand-over
    return batch.seqs.length;
  }

  /** Kafka: the broker acknowledges in milliseconds, so the claim is held until it did. */
  private async publishHoldingClaim(): Promise<number> {
    const { dataSource, transport } = this.options;
    return dataSource.transaction(async (manager) => {
      const rows = await claimInKeyOrder(manager, this.batchSize, []);
      if (rows.length === 0) return 0;
      const { messages, spans } = tracePublish(toMessages(rows, false), transport, this.options.service);
      try {
        await transport.publish(messages);
      } catch (error) {
        for (const span of spans) endSpan(span, error);
        throw error;
      }
      for (const span of spans) endSpan(span);
      await manager.query(MARK_PUBLISHED, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  /**
   * In process: claims rows the way `publishHoldingClaim` does (row locks, advisory lock per
   * aggregate, rows in flight left out) and queues them for the consumer groups inside the
   * claim transaction, so an aggregate's later rows can only be queued behind its earlier
   * ones. The transaction then commits at once; the rows stay unpublished, kept out of
   * later claims by the in-flight set, until every group handled them (`markPublished`).
   */
  private async handOver(): Promise<InFlightBatch | undefined> {
    const { dataSource } = this.options;
    const inFlight = inFlightOf(dataSource);
    return dataSource.transaction(async (manager) => {
      // A replica that claimed a row while this statement ran committed without changing it, so
      // the row lock no longer keeps it out: drop what became in flight meanwhile (the set is
      // filled before that replica's commit, and emptied only after its mark-published, which
      // waits for this transaction's row locks). Its key's later rows may stay: they queue
      // behind it.
      const rows = (await claimInKeyOrder(manager, this.batchSize, [...inFlight])).filter(
        (r) => !inFlight.has(String(r.seq)),
      );
      if (rows.length === 0) return undefined;
      return this.queue(
        rows.map((r) => String(r.seq)),
        toMessages(rows, true),
      );
    });
  }

  /**
   * Queues messages for the consumer groups (in process) and keeps their rows in flight until
   * every group handled them; synchronous up to the returned batch, so a seq is in flight
   * exactly when it is queued.
   */
  private queue(seqs: string[], messages: TransportMessage[]): InFlightBatch {
    const { transport } = this.options;
    const inFlight = inFlightOf(this.options.dataSource);
    for (const seq of seqs) inFlight.add(seq);
    const batch: InFlightBatch = { seqs, state: 'pending', delivered: Promise.resolve() };
    const traced = tracePublish(messages, transport, this.options.service);
    batch.delivered = transport.publish(traced.messages).then(
      () => {
        batch.state = 'handled';
      },
      (error: unknown) => {
        batch.state = 'failed';
        batch.error = error;
        for (const seq of seqs) inFlight.delete(seq);
        throw error;
      },
    );
    batch.delivered.catch(() => undefined); // awaited later; never an unhandled rejection
    // Queued for every group: the hand-over is done (the groups' handling has spans of its own).
    for (const span of traced.spans) endSpan(span);
    return batch;
  }

  /**
   * In process, right after a writer of this process committed: queues its rows for the
   * consumer groups without a claim (no read back, no locks), in seq order. A row whose
   * aggregate had an earlier unpublished row that was not in flight when it was inserted
   * (`direct` false) is left for the claim, and so are its aggregate's later rows of the
   * commit: the claim publishes them after the earlier ones. A row already in flight (a claim
   * took it since the commit) is queued already. The rows stay unpublished until every group
   * handled them and the relay marked them, as claimed rows do: a crash in between publishes
   * them again (the inboxes drop the repeats). Returns true when nothing is left for a claim.
   *
   * Only while nothing this relay handed over is still in flight (the consumers are idle):
   * under load each commit's few rows would reach the groups as sets of one or two, a
   * transaction each, where the claim lets them queue and hands them over as one batch (at 50
   * concurrent registrations, direct hand-overs cut intake from ≈ 210–260 to ≈ 150 per second:
   * docs/performance.md change 29). So a desk that keeps up sees its events at once, a busy
   * one batches.
   */
  handOverCommitted(rows: CommittedRow[]): boolean {
    const inFlight = inFlightOf(this.options.dataSource);
    if (!this.running || this.pending.length > 0) return false;
    const seqs: string[] = [];
    const messages: TransportMessage[] = [];
    const waiting = new Set<string>();
    for (const row of [...rows].sort((a, b) => compareSeq(a.seq, b.seq))) {
      if (inFlight.has(row.seq)) continue;
      if (!row.direct || waiting.has(row.key)) {
        waiting.add(row.key);
        continue;
      }
      seqs.push(row.seq);
      messages.push({
        topic: row.topic,
        key: row.key,
        envelope: { ...row.envelope, sequence: formatSequence(row.seq) } as EventEnvelope,
      });
    }
    if (seqs.length > 0) {
      this.pending.push(this.queue(seqs, messages));
      // The loop waits for the batch to mark it; no claim for it.
      this.wakeUp?.();
    }
    return waiting.size === 0;
  }

  /** Marks handled batches published in one statement; rethrows the first failure. */
  private async markPublished(batches: InFlightBatch[]): Promise<void> {
    const inFlight = inFlightOf(this.options.dataSource);
    const handled = batches.filter((b) => b.state === 'handled');
    const seqs = handled.flatMap((b) => b.seqs);
    try {
      if (seqs.length > 0) await this.options.dataSource.query(MARK_PUBLISHED, [seqs]);
      if (seqs.length > 0) this.options.metrics?.published(seqs.length);
    } finally {
      // Marked, or left unpublished to be published (and dropped by the inboxes) again.
      for (const seq of seqs) inFlight.delete(seq);
    }
    const failed = batches.find((b) => b.state === 'failed');
    if (failed) throw failed.error;
  }

  /**
   * Deletes published rows written longer than retention ago, oldest first, in chunks: returns
   * how many. A row is published when it has no `outbox_pending` entry; its age is its write
   * time (`created_at`, the publication is not recorded on the row), so a row published late
   * after a long backlog may go at its next prune. Only the oldest rows are read (primary-key
   * order), so a round costs a chunk's worth of index reads even at millions of rows;
   * unpublished rows are never touched.
   */
  async prunePublished(): Promise<number> {
    const retentionMs = this.options.retentionMs ?? 0;
    if (retentionMs <= 0) return 0;
    let deleted = 0;
    for (let round = 0; round < PRUNE_CHUNKS_PER_ROUND; round++) {
      const result = await this.options.dataSource.query(
        `DELETE FROM outbox
          WHERE seq IN (SELECT o.seq FROM outbox o
                         WHERE NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.seq = o.seq)
                         ORDER BY o.seq LIMIT $2)
            AND created_at < now() - make_interval(secs => $1)`,
        [retentionMs / 1000, PRUNE_CHUNK],
      );
      const n = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
      deleted += n;
      if (n < PRUNE_CHUNK) break;
    }
    return deleted;
  }

  /** Prunes at most every `pruneEveryMs`; a failure is logged and tried again next round. */
  private async maybePrune(): Promise<void> {
    if (!this.options.retentionMs || Date.now() - this.lastPrune < (this.options.pruneEveryMs ?? 60_000)) return;
    this.lastPrune = Date.now();
    try {
      const deleted = await this.prunePublished();
      if (deleted > 0) this.options.logger.debug({ deleted }, 'pruned published outbox rows past retention');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not prune the published outbox; trying again later');
    }
  }

  /**
   * Whether any row is unpublished (and not in flight): one indexed read in its own statement,
   * instead of an idle poll's claim transaction (three statements, row and advisory locks).
   * A row committed after it was read has woken the relay, or waits for the next poll.
   */
  private async anyUnpublished(inFlight: string[]): Promise<boolean> {
    const [row] = (await this.options.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM outbox_pending WHERE NOT (seq = ANY($1::bigint[]))) AS any`,
      [inFlight],
    )) as { any: boolean }[];
    return row.any;
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? this.batchSize * 5;
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  private async run(): Promise<void> {
    if (this.options.transport.queuesOnPublish) return this.runPipelined();
    let failures = 0;
    let polled = false;
    while (this.running) {
      try {
        this.woken = false;
        await this.maybePrune();
        // At a poll, a claim transaction only when there is something to claim.
        const published = polled && !(await this.anyUnpublished([])) ? 0 : await this.publishBatch();
        polled = false;
        failures = 0;
        // A full batch: more may wait. Otherwise the claim saw everything committed before it;
        // a commit since then has woken the relay (idle returns at once), else wait for the poll.
        if (published >= this.batchSize) continue;
        await this.idle(this.options.pollMs ?? 250);
        polled = !this.woken;
      } catch (error) {
        failures++;
        polled = false;
        await this.backOff(error, failures);
      }
    }
  }

  /**
   * In process: keeps claiming and handing over batches while earlier ones are being handled
   * (at most `maxInFlight` rows), and marks each published once its groups are done.
   */
  private async runPipelined(): Promise<void> {
    const pending = this.pending;
    const maxInFlight = this.maxInFlight;
    let failures = 0;
    const settle = async () => {
      const done = pending.filter((b) => b.state !== 'pending');
      if (done.length === 0) return;
      for (const b of done) pending.splice(pending.indexOf(b), 1);
      await this.markPublished(done);
    };
    // Claim when something may be waiting: at the start, after a local commit (wake), after a
    // full batch, and at every poll (rows of other replicas). Not after a claim that saw
    // everything there was: under load that halves the claim transactions, and the batches
    // grow with the load instead of carrying one event each.
    let claim = true;
    let lastClaim = 0;
    while (this.running) {
      try {
        await this.maybePrune();
        await settle();
        const inFlightRows = pending.reduce((n, b) => n + b.seqs.length, 0);
        // Only the poll's turn (no wake, no full batch, no failure): look before claiming.
        const polled = !claim && !this.woken && Date.now() - lastClaim >= (this.options.pollMs ?? 250);
        if (this.woken || polled) claim = true;
        if (claim && inFlightRows < maxInFlight) {
          this.woken = false;
          claim = false;
          lastClaim = Date.now();
          const batch =
            polled && !(await this.anyUnpublished([...inFlightOf(this.options.dataSource)]))
              ? undefined
              : await this.handOver();
          failures = 0;
          if (batch) {
            pending.push(batch);
            if (batch.seqs.length >= this.batchSize) {
              claim = true;
              continue;
            }
          }
          if (this.woken) continue;
        }
        if (pending.length > 0) {
          // Wait for the oldest hand-over, a local commit or the poll, whichever comes first;
          // with the most rows in flight only for the hand-over (a wake could not be acted on).
          const oldest = pending[0].delivered.catch(() => undefined);
          await (inFlightRows < maxInFlight ? Promise.race([oldest, this.idle(this.options.pollMs ?? 250)]) : oldest);
          continue;
        }
        await this.idle(this.options.pollMs ?? 250);
      } catch (error) {
        failures++;
        claim = true;
        await this.backOff(error, failures);
      }
    }
    // Stopping: let what was handed over finish, so it is marked and not delivered twice.
    await Promise.allSettled(pending.map((b) => b.delivered));
    await this.markPublished(pending.splice(0)).catch((error: unknown) =>
      this.options.logger.warn(
        { err: error },
        'outbox relay stopped with rows handed over but not handled; they are published again at the next start',
      ),
    );
  }

  private async backOff(error: unknown, failures: number): Promise<void> {
    this.options.logger.warn({ err: error, failures }, 'outbox relay could not publish; retrying');
    this.options.metrics?.publishFailed();
    this.backingOff = true;
    this.woken = false;
    await this.idle(backoffMs(failures, 200, 10_000));
    this.backingOff = false;
  }

  private idle(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    // An earlier wait that lost a race (pipelined relay) ends here, so no timer is left behind.
    this.wakeUp?.();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

/**
 * The claim, one statement: up to `limit` unpublished rows (`outbox_pending` entries) in outbox
 * order that no replica holds (locks on their entries, SKIP LOCKED), each taking a transaction-scoped advisory lock on its
 * aggregate key, minus every aggregate whose claimed rows do not start at its earliest row
 * that nobody has claimed (`inFlight`: rows handed over in process, queued ahead of these).
 * The claim takes the advisory lock row by row, so it can skip an aggregate's early rows
 * while another replica holds the lock and then, once that replica committed, take a later
 * row of the same aggregate: published, it would overtake the skipped ones. Such aggregates
 * are left out and claimed again, in order, by a later batch. The check reads the statement's
 * snapshot: a row published by a replica that committed while the statement ran still counts
 * as earlier and unpublished, which only ever leaves more out.
 */
export async function claimInKeyOrder(manager: EntityManager, limit: number, inFlight: string[]): Promise<Row[]> {
  return manager.query(
    `WITH claimed AS (
       SELECT seq, message_key
         FROM outbox_pending
        WHERE NOT (seq = ANY($2::bigint[]))
          AND pg_try_advisory_xact_lock(hashtextextended('outbox:' || message_key, 0))
        ORDER BY seq
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     ), first_claimed AS (
       SELECT message_key, min(seq) AS seq FROM claimed GROUP BY message_key
     )
     SELECT c.seq, o.topic, c.message_key, o.envelope, o.attributes, o.data
       FROM claimed c
       JOIN outbox o ON o.seq = c.seq
       JOIN first_claimed f ON f.message_key = c.message_key
      WHERE NOT EXISTS (
              SELECT 1 FROM outbox_pending p
               WHERE p.message_key = f.message_key
                 AND p.seq < f.seq
                 AND NOT (p.seq = ANY($2::bigint[])))
      ORDER BY c.seq`,
    [limit, inFlight],
  );
}
