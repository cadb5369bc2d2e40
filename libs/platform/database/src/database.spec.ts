import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openDataSource } from './data-source';
import { dropDatabase, ensureDatabase, withDatabase } from './database-url';

class CountingMigration1700000000000 implements MigrationInterface {
  name = 'CountingMigration1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE counted (id int)');
    await q.query('INSERT INTO counted VALUES (1)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE counted');
  }
}

// This library sits under libs/testing, so its own spec uses DATABASE_URL (set by jest's global setup) directly.
const testServerUrl = () => process.env.DATABASE_URL as string;
const uniqueName = (label: string) => `sctest_${label}_${randomBytes(4).toString('hex')}`;

describe('databases', () => {
  it('creates a missing database once even when several processes race for it', async () => {
    const name = uniqueName('race');
    await Promise.all([1, 2, 3].map(() => ensureDatabase(testServerUrl(), name)));
    const ds = await openDataSource({
      url: withDatabase(testServerUrl(), name),
      entities: [],
      migrations: [],
      applicationName: 'race',
    });
    await ds.destroy();
    await dropDatabase(testServerUrl(), name);
  });

  it('runs migrations once when replicas start at the same time', async () => {
    const name = uniqueName('migrate');
    await ensureDatabase(testServerUrl(), name);
    const replicas = await Promise.all(
      [1, 2].map(() =>
        openDataSource({
          url: withDatabase(testServerUrl(), name),
          entities: [],
          migrations: [CountingMigration1700000000000],
          applicationName: 'replica',
        }),
      ),
    );
    const [{ n }] = await replicas[0].query('SELECT count(*)::int AS n FROM counted');
    expect(n).toBe(1);
    await Promise.all(replicas.map((r) => r.destroy()));
    await dropDatabase(testServerUrl(), name);
  });
});
