import { Kafka, logLevel } from 'kafkajs';
import { consumerOffsets, LazyAdmin } from '@servicecenter/platform-metrics';
import pg from 'pg';
import type { SubgraphName } from '@servicecenter/platform-config';

export interface RunBacklogReading {
  /** Events not yet published, per service (its `outbox_pending` entries). */
  outbox: Partial<Record<SubgraphName, number>>;
  /** Messages of the run's topics not yet consumed, per consumer group of the run (prefix taken off). */
  lag: Record<string, number>;
}

/**
 * What the consumers of a `--processes` run still have to apply, read without asking the
 * services: the unpublished rows of each service's outbox (straight from its database: its
 * `outbox_pending` entries) and each consumer group's lag on the broker (the high
 * watermark of each partition of the run's topics minus the group's committed offset). The
 * services' status query would do both and also count the whole inbox (`eventsApplied`,
 * count(*) over hundreds of thousands of rows in each service) every time it is asked.
 *
 * A group counts from its first commit on a topic (before it, the broker cannot tell a topic
 * it reads from one it does not), so a reading of no lag is checked once more a moment later.
 */
export class RunBacklog {
  private readonly admin: LazyAdmin;
  private readonly pools = new Map<SubgraphName, pg.Pool>();
  private last?: { at: number; reading: Promise<RunBacklogReading> };

  constructor(
    brokers: string[],
    /** The run's prefix of topics and consumer groups. */
    private readonly prefix: string,
    databaseUrls: Partial<Record<SubgraphName, string>>,
    /** Readings closer together than this share one (several import workers ask before each call). */
    private readonly minIntervalMs = 1_000,
  ) {
    this.admin = new LazyAdmin(new Kafka({ clientId: `${prefix}seed-backlog`, brokers, logLevel: logLevel.NOTHING }));
    for (const [service, url] of Object.entries(databaseUrls) as [SubgraphName, string][])
      this.pools.set(service, new pg.Pool({ connectionString: url, max: 1, application_name: 'seed-backlog' }));
  }

  read(): Promise<RunBacklogReading> {
    if (this.last && Date.now() - this.last.at < this.minIntervalMs) return this.last.reading;
    const reading = Promise.all([this.outbox(), this.lag()]).then(([outbox, lag]) => ({ outbox, lag }));
    this.last = { at: Date.now(), reading };
    reading.catch(() => (this.last = undefined));
    return reading;
  }

  /** Events the slowest consumer has still to apply: all unpublished events plus the largest group lag. */
  static behind(reading: RunBacklogReading): number {
    const unpublished = Object.values(reading.outbox).reduce((a, n) => a + (n ?? 0), 0);
    return unpublished + Math.max(0, ...Object.values(reading.lag));
  }

  static describe(reading: RunBacklogReading): string {
    const unpublished = Object.values(reading.outbox).reduce((a, n) => a + (n ?? 0), 0);
    const [group, lag] = Object.entries(reading.lag).sort((a, b) => b[1] - a[1])[0] ?? ['–', 0];
    return `outboxes ${unpublished}, slowest consumer ${group} ${lag} behind`;
  }

  private async outbox(): Promise<RunBacklogReading['outbox']> {
    const counts = await Promise.all(
      [...this.pools].map(async ([service, pool]) => {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_pending');
        return [service, rows[0].n] as const;
      }),
    );
    return Object.fromEntries(counts);
  }

  private async lag(): Promise<Record<string, number>> {
    const admin = await this.admin.get();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix) && !t.endsWith('.dlq'));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(this.prefix));
    if (topics.length === 0 || groups.length === 0) return {};
    const lag = Object.fromEntries(groups.map((g) => [g.slice(this.prefix.length), 0]));
    for (const p of await consumerOffsets(
      admin,
      groups.map((groupId) => ({ groupId, topics })),
    )) {
      if (p.committed < 0) continue; // not (yet) read by this group
      lag[p.groupId.slice(this.prefix.length)] += Math.max(0, p.high - p.committed);
    }
    return lag;
  }

  async stop(): Promise<void> {
    await Promise.all([this.admin.stop(), ...[...this.pools.values()].map((p) => p.end())]);
  }
}
