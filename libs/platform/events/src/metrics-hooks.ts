/**
 * What the outbox relay and the consumers report to the metrics (libs/platform/metrics
 * implements these; without one nothing is counted). Called after the fact, never inside a
 * transaction that could still roll back, and cheap: a counter increment each.
 */
export interface OutboxRelayMetrics {
  /** Rows acknowledged by the transport and marked published. */
  published(count: number): void;
  /** A publishing round failed (the relay backs off and tries again). */
  publishFailed(): void;
}

export interface ConsumerMetrics {
  /** A transaction applied `count` fresh events (a redelivery applies none) in `seconds`. */
  applied(count: number, seconds: number): void;
  /** An event or batch is tried again: its handler failed, or the database was unavailable. */
  retried(reason: 'handler' | 'infrastructure'): void;
  /** An event went to the dead-letter topic. */
  deadLettered(): void;
}
