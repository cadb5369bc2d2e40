import { DataSource, MigrationExecutor, type EntitySchema, type MixedList } from 'typeorm';
import type { Logger } from '@servicecenter/platform-logging';
import { guardNestedAcquisition, type NestedAcquisitionPolicy } from './pool-guard';

/** Defaults of the pool's time limits (DATABASE_* variables; docs/architecture.md, "Connections"). */
export const DATABASE_TIMEOUT_DEFAULTS = {
  /** How long a caller waits for a free pooled connection before SERVICE_UNAVAILABLE. */
  acquireTimeoutMs: 10_000,
  /** Longest statement (PostgreSQL `statement_timeout`); migrations and the reporting rebuild lift it. */
  statementTimeoutMs: 30_000,
  /** Longest pause inside an open transaction (`idle_in_transaction_session_timeout`). */
  idleInTransactionTimeoutMs: 60_000,
} as const;

export interface DataSourceOptions {
  url: string;
  entities: EntitySchema[];
  migrations: MixedList<Function>;
  poolSize?: number;
  /** application_name in pg_stat_activity: tells which service holds a connection. */
  applicationName: string;
  logger?: Logger;
  /** 0 = wait for ever. */
  acquireTimeoutMs?: number;
  /** Sent as the session's `statement_timeout`; 0 = none. */
  statementTimeoutMs?: number;
  /** Sent as the session's `idle_in_transaction_session_timeout`; 0 = none. */
  idleInTransactionTimeoutMs?: number;
  /**
   * A transaction that asks its own pool for a second connection: 'throw' (the default) fails
   * that call at once; a function is told and the call goes on (production).
   */
  nestedAcquisition?: NestedAcquisitionPolicy;
}

/**
 * A TypeORM DataSource with the project's settings: migrations, never synchronize; every
 * timestamp as timestamptz; migrations run before the service takes traffic. Every session
 * of the pool carries the statement and idle-in-transaction limits, and the pool refuses a
 * second connection to code that already holds one in a transaction (pool-guard.ts).
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const limits = { ...DATABASE_TIMEOUT_DEFAULTS, ...definedOnly(options) };
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    extra: {
      connectionTimeoutMillis: limits.acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      // node-postgres sends these as startup parameters of every session (0: not sent, no limit).
      statement_timeout: limits.statementTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    },
    logging: false,
  });
  await dataSource.initialize();
  guardNestedAcquisition(dataSource, options.applicationName, options.nestedAcquisition ?? 'throw');
  // Several replicas may start at once; one runs the migrations, the others wait for it.
  // The advisory lock is per session, so it is held on one dedicated connection, and the
  // migrations run on that same connection (no second one while it is held), without the
  // statement limit: a migration may rewrite a big table.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${options.applicationName}`]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    if (applied.length) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${options.applicationName}`])
      .catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

function definedOnly(options: DataSourceOptions) {
  const { acquireTimeoutMs, statementTimeoutMs, idleInTransactionTimeoutMs } = options;
  return Object.fromEntries(
    Object.entries({ acquireTimeoutMs, statementTimeoutMs, idleInTransactionTimeoutMs }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as Partial<typeof DATABASE_TIMEOUT_DEFAULTS>;
}

/**
 * Lifts the session's statement and idle-in-transaction limits for the rest of the caller's
 * transaction (SET LOCAL: they come back with its end): for the few jobs meant to take
 * minutes in one transaction, such as the reporting rebuild.
 */
export async function liftTimeLimitsForTransaction(manager: {
  query: (sql: string) => Promise<unknown>;
}): Promise<void> {
  await manager.query('SET LOCAL statement_timeout = 0');
  await manager.query('SET LOCAL idle_in_transaction_session_timeout = 0');
}

/** Cheap readiness probe. */
export async function isDatabaseReachable(dataSource: DataSource): Promise<boolean> {
  try {
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
