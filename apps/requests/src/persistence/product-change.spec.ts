import type { DataSource } from 'typeorm';
import { openDataSource } from '@servicecenter/platform-database';
import { createTestDatabase, waitFor, type TestDatabase } from '@servicecenter/testing';
import { migrations } from '../migrations';
import { ProductChangeEntity } from './entities/conversation.entity';
import { RequestRepository } from './request.repository';

describe('product changes on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('product_change');
    dataSource = await openDataSource({
      url: db.url,
      entities: [ProductChangeEntity],
      migrations,
      applicationName: 'product-change-spec',
      poolSize: 4,
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('two first links of the same change ref at once both succeed, and the first one made keeps its title', async () => {
    const change = (title: string, linkedBy: string) => ({
      ref: 'PD-9001',
      title,
      kind: 'BUG' as const,
      linkedBy,
      createdAt: new Date('2026-11-24T09:00:00Z'),
    });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    let finishFirst!: () => void;
    const holding = new Promise<void>((resolve) => (finishFirst = resolve));
    // Both transactions looked the ref up and found nothing; the first inserts and is still open.
    const first = dataSource.transaction(async (m) => {
      await new RequestRepository(m).insertChange(change('Tax table import', 'p-pd-1'));
      firstInserted();
      await holding;
    });
    await inserted;
    const second = dataSource.transaction((m) =>
      new RequestRepository(m).insertChange(change('Import of tax tables fails', 'p-pd-2')),
    );
    // The second insert waits on the first one's uncommitted row; then the first commits.
    const waiting = async () =>
      (
        await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0].n as number;
    await waitFor(waiting, (n) => n === 1, { what: 'the second insert to wait for the first' });
    finishFirst();

    await expect(Promise.all([first, second])).resolves.toBeDefined();
    expect(await new RequestRepository(dataSource.manager).findChange('PD-9001')).toMatchObject({
      title: 'Tax table import',
      linkedBy: 'p-pd-1',
    });
  });
});
