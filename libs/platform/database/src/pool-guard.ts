import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A piece of code that holds one pooled connection (it is inside a transaction) and asks the
 * same pool for another. Under load every connection ends up held by a transaction that waits
 * for a second one that never comes: the pool starves until the acquire timeout. The rule is
 * that work inside a transaction uses the transaction's own connection (its EntityManager)
 * and nothing else of the pool: repositories built on the DataSource, DataLoaders and
 * `dataSource.query` belong outside transactions.
 */
export class NestedPoolAcquisitionError extends Error {
  constructor(pool: string) {
    super(
      `nested pool acquisition on ${pool}: code inside a transaction asked the pool for a second connection; ` +
        `use the transaction's EntityManager instead`,
    );
    this.name = 'NestedPoolAcquisitionError';
  }
}

/** What to do when it happens: fail at once (development, tests) or report and go on (production). */
export type NestedAcquisitionPolicy = 'throw' | ((error: NestedPoolAcquisitionError) => void);

/** The DataSources whose connection the current async context holds inside a transaction. */
const held = new AsyncLocalStorage<ReadonlySet<DataSource>>();

interface PgPoolLike {
  connect(...args: unknown[]): unknown;
}

/**
 * Watches a DataSource for nested acquisition: every transaction opened through its manager
 * (`dataSource.transaction`, `dataSource.manager.transaction`) marks its callback's async
 * context as holding a connection of this pool, and the pool's `connect` checks that mark.
 * Detached work started inside a transaction (a queue drained later) must not inherit the
 * mark: such code binds its callbacks to its own context (`AsyncResource.bind`).
 */
export function guardNestedAcquisition(dataSource: DataSource, name: string, policy: NestedAcquisitionPolicy): void {
  const manager = dataSource.manager as EntityManager & { transaction: (...args: unknown[]) => Promise<unknown> };
  const transaction = manager.transaction.bind(manager);
  // transaction(work) or transaction(isolationLevel, work); DataSource.transaction passes both slots.
  manager.transaction = (...args: unknown[]) => {
    const at = args.findIndex((a) => typeof a === 'function');
    if (at < 0) return transaction(...args);
    const work = args[at] as (m: EntityManager) => Promise<unknown>;
    const marked = (m: EntityManager) => held.run(new Set([...(held.getStore() ?? []), dataSource]), () => work(m));
    return transaction(...args.map((a, i) => (i === at ? marked : a)));
  };
  const pool = (dataSource.driver as unknown as { master: PgPoolLike }).master;
  const connect = pool.connect.bind(pool);
  pool.connect = (...args: unknown[]) => {
    if (held.getStore()?.has(dataSource)) {
      const error = new NestedPoolAcquisitionError(name);
      if (policy === 'throw') {
        const callback = args[0];
        if (typeof callback === 'function') {
          process.nextTick(() => (callback as (e: Error) => void)(error));
          return undefined;
        }
        return Promise.reject(error);
      }
      policy(error);
    }
    return connect(...args);
  };
}
