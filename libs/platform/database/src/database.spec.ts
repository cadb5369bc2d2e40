import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, testServerUrl } from '@servicecenter/testing';
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

describe('databases', () => {
  it('creates a missing database once even when several processes race for it', async () => {
    const name = `sctest_race_${randomBytes(4).toString('hex')}`;
    await Promise.all([1, 2, 3].map(() => ensureDatabase(testServerUrl(), name)));
    const ds = await openDataSource({ url: withDatabase(testServerUrl(), name), entities: [], migrations: [], applicationName: 'race' });
    await ds.destroy();
    await dropDatabase(testServerUrl(), name);
  });

  it('runs migrations once when replicas start at the same time', async () => {
    const db = await createTestDatabase('migrate');
    const replicas = await Promise.all(
      [1, 2].map(() => openDataSource({ url: db.url, entities: [], migrations: [CountingMigration1700000000000], applicationName: 'replica' })),
    );
    const [{ n }] = await replicas[0].query('SELECT count(*)::int AS n FROM counted');
    expect(n).toBe(1);
    await Promise.all(replicas.map((r) => r.destroy()));
    await db.drop();
  });
});
