import type { DataSource, EntityManager } from 'typeorm';
import { backoffMs, type Clock, type NewEvent, type UnitOfWork } from '@servicecenter/platform-events';
import type { Logger } from '@servicecenter/platform-logging';
import { TIMER_COLUMNS, TimerStore, toTimerRecord, type TimerRecord } from './timer-store';

/** What a handler gets: the firing timer, as it was scheduled. */
export type Timer<P = unknown> = Pick<TimerRecord<P>, 'id' | 'kind' | 'key' | 'dueAt' | 'payload' | 'generation'>;

export interface TimerContext {
  /** The firing transaction: effects commit together with the timer's removal. */
  manager: EntityManager;
  /** Stages events in the same transaction (correlation id = the timer id). */
  publish(...events: NewEvent[]): void;
  /** The clock's time at firing; rules use it instead of `new Date()`. */
  now: Date;
  /** Timers in the same transaction, e.g. to schedule the next reminder under the same key. */
  timers: TimerStore;
}

export type TimerHandler<P = unknown> = (timer: Timer<P>, ctx: TimerContext) => Promise<void>;

export interface TimerHandlerOptions {
  /**
   * Locks the aggregate the timer belongs to (by the timer's key) before the timer row is
   * locked. The owner's own transactions lock the aggregate and then schedule or cancel its
   * timer; a handler that locked the timer row first and then the aggregate would take the
   * two locks in the opposite order and deadlock with them. With this, both orders are
   * aggregate → timer: a firing waits for the change in flight and then finds the timer
   * cancelled or moved (skipped), or fires it as usual.
   */
  lockFirst?: (manager: EntityManager, key: string) => Promise<void>;
}

export interface TimerServiceOptions {
  dataSource: DataSource;
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  /** `actor` of the events handlers publish, e.g. `system:requests`. */
  actor: string;
  /** How often the service looks for due timers. */
  pollMs?: number;
  /** Timers taken per scan. */
  batchSize?: number;
  /** Failed firings after which a timer is kept as dead instead of retried. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

type Outcome = 'fired' | 'failed' | 'skipped';

// Unknown kinds are looked for at most this often (wall time): the scan reads every due
// timer of kinds already reported, which a mixed-version deployment may keep for a while.
const UNKNOWN_KIND_CHECK_MS = 60_000;

/**
 * Fires durable timers. Rows are the only truth: a restart or a second replica just scans
 * again. Each timer fires in its own transaction that locks its row (FOR UPDATE SKIP
 * LOCKED), re-checks it is still live and due, runs the handler and deletes the row only if
 * its generation is unchanged, so a replica never fires a timer another one holds or has
 * already fired, and a handler's reschedule of the same key survives.
 */
export class TimerService {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly lockFirst = new Map<string, NonNullable<TimerHandlerOptions['lockFirst']>>();
  private readonly reportedUnknown = new Set<string>();
  private lastUnknownCheck = -Infinity;
  private running = false;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly options: TimerServiceOptions) {}

  on<P = unknown>(kind: string, handler: TimerHandler<P>, options: TimerHandlerOptions = {}): this {
    if (this.handlers.has(kind)) throw new Error(`a handler for timer kind ${kind} is already registered`);
    this.handlers.set(kind, handler as TimerHandler);
    if (options.lockFirst) this.lockFirst.set(kind, options.lockFirst);
    return this;
  }

  /** A store bound to the caller's transaction, to schedule or cancel with a state change. */
  store(manager: EntityManager): TimerStore {
    return new TimerStore(manager);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Waits for the timer in flight; the rest of the batch stays due for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
    this.stopping = false;
  }

  /** Fires one batch of due timers; returns how many fired. Public for tests. */
  async runDue(): Promise<number> {
    return (await this.runBatch()).fired;
  }

  /** Live timers due by the clock (status). */
  async dueCount(): Promise<number> {
    const [{ due }] = await this.options.dataSource.query(
      `SELECT count(*)::int AS due FROM timer WHERE due_at <= $1 AND dead_at IS NULL`,
      [this.options.clock()],
    );
    return due;
  }

  private async runBatch(): Promise<{ fired: number; full: boolean }> {
    const limit = this.options.batchSize ?? 100;
    // Unlocked on purpose: each candidate is locked and re-checked in its own transaction.
    // Kinds without a handler stay out, so they can never crowd known kinds out of a batch.
    // A service without handlers skips the scan instead of querying at every poll.
    const candidates: { id: string; kind: string; key: string }[] =
      this.handlers.size === 0
        ? []
        : await this.options.dataSource.query(
            `SELECT id, kind, key FROM timer
              WHERE due_at <= $1 AND dead_at IS NULL AND kind = ANY($2::text[])
              ORDER BY due_at, id
              LIMIT $3`,
            [this.options.clock(), [...this.handlers.keys()], limit],
          );
    let fired = 0;
    for (const candidate of candidates) {
      if (this.stopping) break;
      if ((await this.fire(candidate)) === 'fired') fired++;
    }
    await this.reportUnknownKinds();
    return { fired, full: candidates.length === limit };
  }

  private async fire({ id, kind, key }: { id: string; kind: string; key: string }): Promise<Outcome> {
    const now = this.options.clock();
    try {
      return await this.options.uow.run({ actor: this.options.actor, correlationId: id }, async (tx) => {
        await this.lockFirst.get(kind)?.(tx.manager, key);
        const rows = await tx.manager.query(
          `SELECT ${TIMER_COLUMNS} FROM timer
            WHERE id = $1 AND due_at <= $2 AND dead_at IS NULL
            FOR UPDATE SKIP LOCKED`,
          [id, now],
        );
        // Locked by another replica, already fired, cancelled or moved to later: not ours.
        if (rows.length === 0) return 'skipped';
        const record = toTimerRecord(rows[0]);
        const handler = this.handlers.get(record.kind);
        if (!handler) return 'skipped';
        const staged: NewEvent[] = [];
        // The savepoint lets a failure undo the handler's writes while this transaction keeps
        // the row lock to record the attempt: no other replica can slip in between.
        await tx.manager.query('SAVEPOINT timer_handler');
        try {
          const timer = {
            id: record.id,
            kind: record.kind,
            key: record.key,
            dueAt: record.dueAt,
            payload: record.payload,
            generation: record.generation,
          };
          await handler(timer, {
            manager: tx.manager,
            publish: (...events) => staged.push(...events),
            now,
            timers: new TimerStore(tx.manager),
          });
          // The outbox checks payloads after the work; checked here, a payload that breaks its
          // contract counts as a failed attempt instead of failing the commit at every poll.
          for (const e of staged) e.contract.schema.parse(e.data);
          await tx.manager.query('RELEASE SAVEPOINT timer_handler');
        } catch (error) {
          await tx.manager.query('ROLLBACK TO SAVEPOINT timer_handler');
          await this.recordFailure(tx.manager, record, error, now);
          return 'failed';
        }
        tx.publish(...staged);
        await tx.manager.query(`DELETE FROM timer WHERE id = $1 AND generation = $2`, [record.id, record.generation]);
        return 'fired';
      });
    } catch (error) {
      // The database failed, not the handler (or we could not even record the failure):
      // nothing is counted and the row stays due for the next poll.
      this.options.logger.warn({ err: error, timerId: id }, 'timer could not be fired; retrying at the next poll');
      return 'skipped';
    }
  }

  private async recordFailure(manager: EntityManager, record: TimerRecord, error: unknown, now: Date): Promise<void> {
    const { id, kind, key, generation } = record;
    const attempts = record.attempts + 1;
    const maxAttempts = this.options.maxAttempts ?? 10;
    const dead = attempts >= maxAttempts;
    const retryAt = new Date(
      now.getTime() + backoffMs(attempts, this.options.retryBaseMs ?? 1_000, this.options.retryMaxMs ?? 3_600_000),
    );
    await manager.query(
      `UPDATE timer SET attempts = $3, last_error = $4, due_at = COALESCE($5, due_at), dead_at = $6
        WHERE id = $1 AND generation = $2`,
      [id, generation, attempts, errorText(error), dead ? null : retryAt, dead ? now : null],
    );
    const log = this.options.logger;
    if (dead)
      log.error(
        { err: error, timerId: id, kind, key, attempts },
        'timer handler kept failing; timer is dead and will not be retried',
      );
    else log.warn({ err: error, timerId: id, kind, key, attempts, retryAt }, 'timer handler failed; retrying later');
  }

  private async reportUnknownKinds(): Promise<void> {
    if (Date.now() - this.lastUnknownCheck < UNKNOWN_KIND_CHECK_MS) return;
    this.lastUnknownCheck = Date.now();
    const known = [...this.handlers.keys(), ...this.reportedUnknown];
    const rows: { kind: string }[] = await this.options.dataSource.query(
      `SELECT DISTINCT kind FROM (
         SELECT kind FROM timer WHERE due_at <= $1 AND dead_at IS NULL AND kind <> ALL($2::text[]) LIMIT 100
       ) due`,
      [this.options.clock(), known],
    );
    for (const { kind } of rows) {
      this.reportedUnknown.add(kind);
      // Left in place: another version of this service may know the kind.
      this.options.logger.warn({ kind }, 'due timers of a kind this service has no handler for; leaving them');
    }
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    let failures = 0;
    while (this.running) {
      try {
        const { fired, full } = await this.runBatch();
        failures = 0;
        // A full batch that fired something means more may be due: go on at once. A full
        // batch another replica holds would otherwise make both spin.
        if (full && fired > 0) continue;
        await this.idle(pollMs);
      } catch (error) {
        failures++;
        this.options.logger.warn({ err: error, failures }, 'could not scan for due timers; retrying');
        await this.idle(backoffMs(failures, pollMs, 30_000));
      }
    }
  }

  private idle(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
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

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}
