import type { ConsumerMetrics, OutboxRelayMetrics } from '@servicecenter/platform-events';
import type { Metrics } from './metrics';

/** Apply transactions: 1 ms to 10 s. */
const APPLY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The counters of the event pipeline: what the outbox relay published and what the consumers
 * applied, retried and dead-lettered. The gauges read from the database (backlog, timers) are
 * in database.ts, consumer lag in kafka-lag.ts.
 */
export class PipelineMetrics {
  readonly relay: OutboxRelayMetrics;
  private readonly applied;
  private readonly applyDuration;
  private readonly retries;
  private readonly deadLetters;

  constructor(metrics: Metrics) {
    const published = metrics.counter(
      'outbox_published_events_total',
      'Outbox rows the transport acknowledged and the relay marked published',
    );
    const failures = metrics.counter(
      'outbox_publish_failures_total',
      'Publishing rounds of the outbox relay that failed (it backs off and retries)',
    );
    this.relay = {
      published: (count) => published.inc(count),
      publishFailed: () => failures.inc(),
    };
    this.applied = metrics.counter(
      'consumer_applied_events_total',
      'Events a consumer group applied (redeliveries already applied are not counted)',
      ['group'],
    );
    this.applyDuration = metrics.histogram(
      'consumer_apply_duration_seconds',
      'Duration of the transactions that apply events (one event or a batch)',
      ['group'],
      APPLY_BUCKETS,
    );
    this.retries = metrics.counter(
      'consumer_retries_total',
      'Events or batches tried again, by reason (handler failed, infrastructure unavailable)',
      ['group', 'reason'],
    );
    this.deadLetters = metrics.counter(
      'consumer_dead_letters_total',
      'Events sent to the dead-letter topic <group>.dlq after their attempts',
      ['group'],
    );
  }

  /** The hooks of one consumer group. */
  consumer(group: string): ConsumerMetrics {
    const applied = this.applied.labels({ group });
    const duration = this.applyDuration.labels({ group });
    const handlerRetries = this.retries.labels({ group, reason: 'handler' });
    const outageRetries = this.retries.labels({ group, reason: 'infrastructure' });
    const deadLetters = this.deadLetters.labels({ group });
    return {
      applied: (count, seconds) => {
        if (count > 0) applied.inc(count);
        duration.observe(seconds);
      },
      retried: (reason) => (reason === 'handler' ? handlerRetries : outageRetries).inc(),
      deadLettered: () => deadLetters.inc(),
    };
  }
}
