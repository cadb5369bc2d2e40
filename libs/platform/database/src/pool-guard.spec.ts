import { randomBytes } from 'node:crypto';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDataSource } from './data-source';
import { dropDatabase, ensureDatabase, withDatabase } from './database-url';
import { NestedPoolAcquisitionError } from './pool-guard';

/** Records the statement limit a migration runs under. */
class RecordLimitMigration1700000000001 implements MigrationInterface {
  name = 'RecordLimitMigration1700000000001';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE migration_limit AS SELECT current_setting('statement_timeout') AS value`);
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE migration_limit');
  }
}

const serverUrl = () => process.env.DATABASE_URL as string;

describe('the pool of a DataSource', () => {
  const name = `sctest_pool_${randomBytes(4).toString('hex')}`;
  let dataSource: DataSource;
  const reported: Error[] = [];
  let lenient: DataSource;

  beforeAll(async () => {
    await ensureDatabase(serverUrl(), name);
    dataSource = await openDataSource({
      url: withDatabase(serverUrl(), name),
      entities: [],
      migrations: [RecordLimitMigration1700000000001],
      applicationName: 'pool-guard-spec',
      poolSize: 2,
      statementTimeoutMs: 200,
      idleInTransactionTimeoutMs: 5_000,
    });
    lenient = await openDataSource({
      url: withDatabase(serverUrl(), name),
      entities: [],
      migrations: [],
      applicationName: 'pool-guard-spec-lenient',
      poolSize: 2,
      nestedAcquisition: (error) => reported.push(error),
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await lenient?.destroy();
    await dropDatabase(serverUrl(), name);
  });

  it('refuses a second connection to code that holds one in a transaction, instead of starving the pool', async () => {
    const nested = dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1');
      return dataSource.query('SELECT 2');
    });
    await expect(nested).rejects.toBeInstanceOf(NestedPoolAcquisitionError);
    // Two at once on a pool of two: with the nested call let through, both would wait for ever.
    const both = Promise.all([1, 2].map(() => dataSource.transaction(async () => dataSource.query('SELECT 1'))));
    await expect(both).rejects.toBeInstanceOf(NestedPoolAcquisitionError);
    await expect(dataSource.transaction(() => dataSource.transaction((n) => n.query('SELECT 1')))).rejects.toThrow(
      NestedPoolAcquisitionError,
    );
  });

  it('lets a transaction use its own connection, and the pool be used outside transactions', async () => {
    const inside = await dataSource.transaction(async (manager) => {
      const [a, b] = await Promise.all([manager.query('SELECT 1 AS n'), manager.query('SELECT 2 AS n')]);
      return [a[0].n, b[0].n];
    });
    expect(inside).toEqual([1, 2]);
    const after = await Promise.all([1, 2, 3].map((n) => dataSource.query(`SELECT ${n} AS n`)));
    expect(after.map((rows) => rows[0].n)).toEqual([1, 2, 3]);
  });

  it('only reports a nested acquisition when told so (production), and lets it through', async () => {
    const value = await lenient.transaction(async () => (await lenient.query('SELECT 7 AS n'))[0].n);
    expect(value).toBe(7);
    expect(reported).toEqual([expect.any(NestedPoolAcquisitionError)]);
  });

  it('gives every session the statement and idle-in-transaction limits, and migrations none', async () => {
    const [{ statement }] = await dataSource.query(`SELECT current_setting('statement_timeout') AS statement`);
    const [{ idle }] = await dataSource.query(`SELECT current_setting('idle_in_transaction_session_timeout') AS idle`);
    expect({ statement, idle }).toEqual({ statement: '200ms', idle: '5s' });
    await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toThrow(/statement timeout/);
    const [{ value }] = await dataSource.query('SELECT value FROM migration_limit');
    expect(value).toBe('0');
  });
});
