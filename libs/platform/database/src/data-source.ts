import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import type { Logger } from '@servicecenter/logging';

export interface DataSourceOptions {
  url: string;
  entities: EntitySchema[];
  migrations: MixedList<Function>;
  poolSize?: number;
  /** application_name in pg_stat_activity: tells which service holds a connection. */
  applicationName: string;
  logger?: Logger;
}

/**
 * A TypeORM DataSource with the project's settings: migrations, never synchronize; every
 * timestamp as timestamptz; migrations run before the service takes traffic.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
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
    extra: { connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 },
    logging: false,
  });
  await dataSource.initialize();
  // Several replicas may start at once; one runs the migrations, the others wait for it.
  // The advisory lock is per session, so it is held on one dedicated connection.
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${options.applicationName}`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${options.applicationName}`])
      .catch(() => undefined);
    await lockRunner.release();
  }
  return dataSource;
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
