import type { DataSource } from 'typeorm';
import type { Logger } from '@servicecenter/logging';
import { formatSequence, type EventEnvelope } from './envelope';
import { backoffMs } from './failure';
import type { EventTransport, TransportMessage } from './transports/transport';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  transport: EventTransport;
  logger: Logger;
  batchSize?: number;
  /** How often an idle relay looks for rows written by other replicas. */
  pollMs?: number;
}

interface Row {
  seq: string;
  topic: string;
  message_key: string;
  envelope: Omit<EventEnvelope, 'sequence'>;
}

/**
 * Publishes the outbox in batches. Rows are claimed with FOR UPDATE SKIP LOCKED, so two
 * replicas never publish the same row; each claimed row also takes a transaction-scoped
 * advisory lock on its aggregate key, so while one replica holds an aggregate's earlier
 * events another cannot publish its later ones: order per aggregate survives replicas.
 * A row is marked published only after the broker acknowledged it (at least once; the
 * consumers' inboxes drop the repeats).
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  /** While backing off after a failure, local commits must not cut the wait short. */
  private backingOff = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a local commit so the events leave without waiting for the next poll. */
  wake(): void {
    if (this.backingOff) return;
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Publishes one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const { dataSource, transport } = this.options;
    return dataSource.transaction(async (manager) => {
      const rows: Row[] = await manager.query(
        `SELECT seq, topic, message_key, envelope
           FROM outbox
          WHERE published_at IS NULL
            AND pg_try_advisory_xact_lock(hashtextextended('outbox:' || message_key, 0))
          ORDER BY seq
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 200],
      );
      if (rows.length === 0) return 0;
      const messages: TransportMessage[] = rows.map((row) => ({
        topic: row.topic,
        key: row.message_key,
        envelope: { ...row.envelope, sequence: formatSequence(row.seq) } as EventEnvelope,
      }));
      await transport.publish(messages);
      await manager.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.woken = false;
        const published = await this.publishBatch();
        failures = 0;
        if (published > 0) continue;
        await this.idle(this.options.pollMs ?? 250);
      } catch (error) {
        failures++;
        this.options.logger.warn({ err: error, failures }, 'outbox relay could not publish; retrying');
        this.backingOff = true;
        this.woken = false;
        await this.idle(backoffMs(failures, 200, 10_000));
        this.backingOff = false;
      }
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
