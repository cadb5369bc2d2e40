import type { DataSource } from 'typeorm';
import { openDataSource } from '@servicecenter/platform-database';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { RequestNumberCounter } from './request-numbers';

describe('request numbers on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('request_numbers');
    dataSource = await openDataSource({
      url: db.url,
      entities: [],
      migrations: [],
      applicationName: 'request-numbers-spec',
    });
    await dataSource.query(`CREATE TABLE request_number_counter (year int PRIMARY KEY, last_number int NOT NULL)`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const draw = (year: number) => dataSource.transaction((manager) => new RequestNumberCounter(manager).next(year));

  it('counts per year, starting at 1', async () => {
    expect([await draw(2030), await draw(2030), await draw(2031)]).toEqual([1, 2, 1]);
  });

  it('gives the number back when the registration rolls back: no gaps', async () => {
    const first = await draw(2032);
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await new RequestNumberCounter(manager).next(2032)).toBe(first + 1);
        throw new Error('the registration fails after drawing its number');
      }),
    ).rejects.toThrow('fails after drawing');
    expect(await draw(2032)).toBe(first + 1);
  });

  it('hands out every number once to registrations running at the same time', async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, () => draw(2033)));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
