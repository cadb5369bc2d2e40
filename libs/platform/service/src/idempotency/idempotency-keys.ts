import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { GraphQLFieldResolver } from 'graphql';
import { stringify } from 'safe-stable-stringify';
import type { EntityManager } from 'typeorm';
import { conflict } from '@servicecenter/platform-errors';
import type { Clock, UnitOfWorkInterceptor } from '@servicecenter/platform-events';
import type { RequestContext } from '@servicecenter/platform-graphql';

/** How long a key is remembered: a retry within this time is answered from the first attempt. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** One keyed mutation call: who, which key, what (operation and a hash of its arguments). */
export interface KeyedAttempt {
  /** The caller's subject: keys of different callers never meet. */
  scope: string;
  key: string;
  operation: string;
  fingerprint: string;
}

interface ActiveAttempt extends KeyedAttempt {
  /** Ordinal of the next unit of work within the mutation (almost always just 0). */
  step: number;
}

interface KeyRow {
  operation: string;
  fingerprint: string;
  answer: Buffer | null;
}

/** sha256 over the operation name and its arguments in a canonical (key-sorted) JSON form. */
export function fingerprintOf(operation: string, args: unknown): string {
  return createHash('sha256')
    .update(stringify({ operation, args }) ?? '')
    .digest('hex');
}

/**
 * Idempotency keys for mutations, kept in the service's own `idempotency_key` table.
 *
 * A mutation called with a key runs as usual, but each unit of work it runs first claims
 * (scope, key, step) in its own transaction: the key commits with the change and its events,
 * or not at all, and the unit of work's result is stored beside it. A later call with the same
 * key and the same arguments claims nothing and gets the stored result instead of running the
 * work again, so the resolver answers as it did the first time and nothing is written twice.
 * The same key with other arguments is CONFLICT. A duplicate sent while the first is still in
 * flight waits on the key's row lock (PostgreSQL's unique index) and then replays; if the first
 * rolled back, the duplicate does the work. Keys expire after 24 hours.
 */
export class IdempotencyKeys implements UnitOfWorkInterceptor {
  private readonly attempts = new AsyncLocalStorage<ActiveAttempt>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = IDEMPOTENCY_KEY_TTL_MS,
  ) {}

  /** Runs one keyed mutation call: the units of work it starts are guarded by the key. */
  within<T>(attempt: KeyedAttempt, call: () => Promise<T>): Promise<T> {
    return this.attempts.run({ ...attempt, step: 0 }, call);
  }

  async around<T>(manager: EntityManager, proceed: () => Promise<T>): Promise<T> {
    const attempt = this.attempts.getStore();
    if (!attempt) return proceed();
    const step = attempt.step++;
    const now = this.clock();
    const ids = [attempt.scope, attempt.key, step];
    // Takes the key, or an expired row of it; waits while another transaction holds it.
    const claimed: unknown[] = await manager.query(
      `INSERT INTO idempotency_key (scope, key, step, operation, fingerprint, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (scope, key, step) DO UPDATE
         SET operation = EXCLUDED.operation, fingerprint = EXCLUDED.fingerprint, answer = NULL,
             created_at = EXCLUDED.created_at
         WHERE idempotency_key.created_at <= $7
       RETURNING 1`,
      [...ids, attempt.operation, attempt.fingerprint, now, new Date(now.getTime() - this.ttlMs)],
    );
    if (claimed.length > 0) {
      const value = await proceed();
      await manager.query(`UPDATE idempotency_key SET answer = $4 WHERE scope = $1 AND key = $2 AND step = $3`, [
        ...ids,
        serialize(value),
      ]);
      return value;
    }
    const [row]: KeyRow[] = await manager.query(
      `SELECT operation, fingerprint, answer FROM idempotency_key WHERE scope = $1 AND key = $2 AND step = $3`,
      ids,
    );
    if (row.fingerprint !== attempt.fingerprint) {
      throw conflict(
        row.operation === attempt.operation
          ? `Idempotency-Key ${attempt.key} was already used for ${row.operation} with other input; use a new key for a new change`
          : `Idempotency-Key ${attempt.key} was already used for ${row.operation}; use a new key for a new change`,
        { field: 'Idempotency-Key', idempotencyKey: attempt.key, usedFor: row.operation },
      );
    }
    return deserialize(row.answer ?? serialize(undefined)) as T;
  }

  /** Deletes keys older than the time to live; returns how many. */
  async purge(manager: EntityManager): Promise<number> {
    const [, deleted]: [unknown, number] = await manager.query(`DELETE FROM idempotency_key WHERE created_at <= $1`, [
      new Date(this.clock().getTime() - this.ttlMs),
    ]);
    return deleted;
  }

  /**
   * Wraps every Mutation resolver: a call with `ctx.idempotencyKey` (the Idempotency-Key
   * header) runs within its key, scoped to the caller. Resolvers stay as they are.
   */
  wrapMutations<R extends Record<string, unknown>>(resolvers: R): R {
    const mutation = resolvers['Mutation'] as Record<string, GraphQLFieldResolver<unknown, RequestContext>> | undefined;
    if (!mutation) return resolvers;
    const wrapped = Object.fromEntries(
      Object.entries(mutation).map(([field, resolve]) => [
        field,
        typeof resolve !== 'function'
          ? resolve
          : (
              parent: unknown,
              args: Record<string, unknown>,
              ctx: RequestContext,
              info: Parameters<typeof resolve>[3],
            ) => {
              const key = ctx.idempotencyKey;
              if (!key) return resolve(parent, args, ctx, info);
              const attempt = { scope: ctx.caller.id, key, operation: field, fingerprint: fingerprintOf(field, args) };
              return this.within(attempt, async () => resolve(parent, args, ctx, info));
            },
      ]),
    );
    return { ...resolvers, Mutation: wrapped };
  }
}
