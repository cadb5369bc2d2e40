import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface ScheduleTimer<P = unknown> {
  /** What the timer is for, e.g. `requests.auto-close`; picks the handler. */
  kind: string;
  /** Which instance, e.g. the request id: one live timer per (kind, key). */
  key: string;
  dueAt: Date;
  /** JSON; defaults to `{}`. */
  payload?: P;
}

/** A timer as stored, including its retry bookkeeping. */
export interface TimerRecord<P = unknown> {
  id: string;
  kind: string;
  key: string;
  dueAt: Date;
  payload: P;
  /** Bumped by every schedule of the same (kind, key): a firing only removes the generation it ran. */
  generation: number;
  attempts: number;
  lastError: string | null;
  /** Set when the handler failed `maxAttempts` times: kept for inspection, never fired again. */
  deadAt: Date | null;
  createdAt: Date;
}

export interface ScheduledTimer {
  id: string;
  generation: number;
}

interface TimerSqlRow {
  id: string;
  kind: string;
  key: string;
  due_at: Date;
  payload: unknown;
  generation: number;
  attempts: number;
  last_error: string | null;
  dead_at: Date | null;
  created_at: Date;
}

export const TIMER_COLUMNS = 'id, kind, key, due_at, payload, generation, attempts, last_error, dead_at, created_at';

export function toTimerRecord<P>(row: TimerSqlRow): TimerRecord<P> {
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    dueAt: new Date(row.due_at),
    payload: row.payload as P,
    generation: row.generation,
    attempts: row.attempts,
    lastError: row.last_error,
    deadAt: row.dead_at ? new Date(row.dead_at) : null,
    createdAt: new Date(row.created_at),
  };
}

/**
 * Timers written with the caller's transaction: a request closed and its auto-close timer
 * cancelled commit (or roll back) together, so a timer never outlives or predates its state.
 */
export class TimerStore {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Creates the timer, or replaces due time and payload of the live one with the same
   * (kind, key). The new generation tells a firing in progress not to delete it, and a
   * dead timer comes back to life with a fresh attempt count: a new schedule is a new intent.
   */
  async schedule<P>(timer: ScheduleTimer<P>): Promise<ScheduledTimer> {
    if (!timer.kind || !timer.key) throw new Error('a timer needs a kind and a key');
    if (!(timer.dueAt instanceof Date) || Number.isNaN(timer.dueAt.getTime())) {
      throw new Error(`timer ${timer.kind}/${timer.key}: dueAt must be a valid Date`);
    }
    // Stringified on purpose: node-postgres would turn a JS array into a PostgreSQL array.
    const payload = JSON.stringify(timer.payload ?? {});
    const [row]: ScheduledTimer[] = await this.manager.query(
      `INSERT INTO timer (id, kind, key, due_at, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (kind, key) DO UPDATE
         SET due_at = EXCLUDED.due_at,
             payload = EXCLUDED.payload,
             generation = timer.generation + 1,
             attempts = 0,
             last_error = NULL,
             dead_at = NULL
       RETURNING id, generation`,
      [randomUUID(), timer.kind, timer.key, timer.dueAt, payload],
    );
    return row;
  }

  /** Removes the timer (live or dead); true when there was one. */
  async cancel(kind: string, key: string): Promise<boolean> {
    // TypeORM answers DELETE and UPDATE with [rows, affected count].
    const [, deleted]: [unknown[], number] = await this.manager.query(
      `DELETE FROM timer WHERE kind = $1 AND key = $2`,
      [kind, key],
    );
    return deleted > 0;
  }

  async find<P = unknown>(kind: string, key: string): Promise<TimerRecord<P> | undefined> {
    const rows: TimerSqlRow[] = await this.manager.query(
      `SELECT ${TIMER_COLUMNS} FROM timer WHERE kind = $1 AND key = $2`,
      [kind, key],
    );
    return rows.length ? toTimerRecord<P>(rows[0]) : undefined;
  }
}
