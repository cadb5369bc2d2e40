import type { DataSource } from 'typeorm';
import { openDataSource } from '@servicecenter/database';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { RequestNumberCounter } from './request-numbers';

/** A promise with its resolve handle, to hold a transaction open at a chosen point. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('request numbers on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let counter: RequestNumberCounter;

  beforeAll(async () => {
    db = await createTestDatabase('request_numbers');
    dataSource = await openDataSource({
      url: db.url,
      entities: [],
      migrations: [],
      applicationName: 'request-numbers-spec',
    });
    await dataSource.query(`CREATE TABLE request_number_counter (year int PRIMARY KEY, last_number int NOT NULL)`);
    counter = new RequestNumberCounter(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('counts per year, starting at 1', async () => {
    expect([await counter.next(2030), await counter.next(2030), await counter.next(2031)]).toEqual([1, 2, 1]);
  });

  it('does not make a registration wait for another one still in its transaction; a rollback leaves a gap', async () => {
    const drawn = deferred<number>();
    const release = deferred();
    // A registration that drew its number and is still writing (its transaction is open).
    const slow = dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1');
      drawn.resolve(await counter.next(2032));
      await release.promise;
      throw new Error('the registration fails after drawing its number');
    });
    const first = await drawn.promise;
    // With the counter in the registration's transaction this would block until `slow` ends.
    const second = await counter.next(2032);
    expect(second).toBe(first + 1);
    release.resolve();
    await expect(slow).rejects.toThrow('fails after drawing');
    expect(await counter.next(2032)).toBe(first + 2);
  });
});
