import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '@servicecenter/contracts';

/** An outbox row its writer committed, as the writer built it (no read back). */
export interface CommittedRow {
  seq: string;
  topic: string;
  key: string;
  envelope: Omit<EventEnvelope, 'sequence'>;
  /**
   * Whether the row may go to the consumers at once: when it was inserted, its aggregate had
   * no earlier unpublished row that was not already queued for them (in flight).
   */
  direct: boolean;
}

/** A relay in this process that takes committed rows straight after the commit (in process). */
export interface DirectHandOver {
  /**
   * Queues the rows that may go at once for the consumers, and keeps them in flight until
   * marked published; true when nothing is left for a claim (every row queued or in flight).
   */
  handOverCommitted(rows: CommittedRow[]): boolean;
}

interface OutboxState {
  /**
   * Rows queued for the consumer groups and not yet marked published. A seq enters the set in
   * the same synchronous step that queues it, so "in flight" always means "queued": an
   * aggregate's later rows may follow it without waiting for its mark.
   */
  inFlight: Set<string>;
  /** Relays that take committed rows directly, first first. */
  direct: DirectHandOver[];
}

/**
 * Per database: relays on the same DataSource (replicas in one process, as in the tests) and
 * the writers of the same process share what is in flight.
 */
const states = new WeakMap<DataSource, OutboxState>();

export function outboxStateOf(dataSource: DataSource): OutboxState {
  let state = states.get(dataSource);
  if (!state) {
    state = { inFlight: new Set(), direct: [] };
    states.set(dataSource, state);
  }
  return state;
}

/** The relay that takes this database's committed rows directly, if one runs in this process. */
export function directHandOverOf(dataSource: DataSource): DirectHandOver | undefined {
  return states.get(dataSource)?.direct[0];
}
