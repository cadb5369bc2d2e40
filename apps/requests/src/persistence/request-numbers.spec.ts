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
  const reserve = (counts: [number, number][]) =>
    dataSource.transaction((manager) => new RequestNumberCounter(manager).reserve(new Map(counts)));

  it('counts per year, starting at 1', async () => {
    expect([await draw(2030), await draw(2030), await draw(2031)]).toEqual([
      'SC-2030-000001',
      'SC-2030-000002',
      'SC-2031-000001',
    ]);
  });

  it('gives the number back when the registration rolls back: no gaps', async () => {
    const first = await draw(2032);
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await new RequestNumberCounter(manager).next(2032)).toBe('SC-2032-000002');
        throw new Error('the registration fails after drawing its number');
      }),
    ).rejects.toThrow('fails after drawing');
    expect([first, await draw(2032)]).toEqual(['SC-2032-000001', 'SC-2032-000002']);
  });

  it('hands out every number once to registrations running at the same time', async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, () => draw(2033)));
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `SC-2033-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('reserves a block per year in one statement, after the numbers drawn before, and gives it back on rollback', async () => {
    await draw(2034);
    expect(
      await reserve([
        [2035, 3],
        [2034, 5],
      ]),
    ).toEqual(
      new Map([
        [2034, 2],
        [2035, 1],
      ]),
    );
    await expect(
      dataSource.transaction(async (manager) => {
        await new RequestNumberCounter(manager).reserve(new Map([[2034, 10]]));
        throw new Error('the import fails after its draw');
      }),
    ).rejects.toThrow('after its draw');
    expect([await draw(2034), await draw(2035)]).toEqual(['SC-2034-000007', 'SC-2035-000004']);
  });

  it('gives concurrent blocks and single numbers disjoint ranges without gaps, also across years in either order', async () => {
    const blocks = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) =>
        reserve(
          i % 2
            ? [
                [2036, 4],
                [2037, 2],
              ]
            : [
                [2037, 2],
                [2036, 4],
              ],
        ).then((firsts) => [
          ...Array.from({ length: 4 }, (_, k) => `2036:${(firsts.get(2036) as number) + k}`),
          ...Array.from({ length: 2 }, (_, k) => `2037:${(firsts.get(2037) as number) + k}`),
        ]),
      ),
      ...Array.from({ length: 8 }, () => draw(2036).then((n) => [`2036:${Number(n.slice(-6))}`])),
    ]);
    const taken = blocks.flat();
    expect(new Set(taken).size).toBe(taken.length);
    const of = (year: number) =>
      taken
        .filter((t) => t.startsWith(`${year}:`))
        .map((t) => Number(t.slice(5)))
        .sort((a, b) => a - b);
    expect(of(2036)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(of(2037)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });
});
