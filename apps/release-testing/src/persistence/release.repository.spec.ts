import { randomUUID } from 'node:crypto';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { InProcessTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService, type SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import type { Release } from '../domain/model';
import { releaseTestingDefinition } from '../service';
import { ReleaseRepository } from './release.repository';
import { RequestRefRepository } from './request-ref.repository';

/** The tables on a real PostgreSQL: batched product pages, keyset cursors, optimistic versions, the request read model. */
describe('release-testing repositories', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let repo: ReleaseRepository;

  const release = (productId: string, releaseVersion: string, planned: string): Release => ({
    id: randomUUID(),
    productId,
    releaseVersion,
    plannedProductionDate: new Date(planned),
    releaseNotes: 'notes',
    status: 'PLANNED',
    decision: null,
    publishedAt: null,
    knownIssues: [],
    createdBy: 'p-uat',
    createdAt: new Date('2026-11-01T00:00:00Z'),
    version: 1,
  });

  beforeAll(async () => {
    db = await createTestDatabase('release_testing_repo');
    const config = {
      ...loadSubgraphConfig('release-testing', {
        NODE_ENV: 'test',
        RELEASE_TESTING_DATABASE_URL: db.url,
        LOG_LEVEL: 'silent',
      }),
      port: 0,
    };
    service = createSubgraphService(releaseTestingDefinition, {
      config,
      transport: new InProcessTransport(),
      logger: silentLogger,
    });
    await service.start();
    repo = new ReleaseRepository(service.runtime().dataSource.manager);
    for (const r of [
      release('prod-payroll', '26.10', '2026-10-05T06:00:00Z'),
      release('prod-payroll', '26.11', '2026-11-05T06:00:00Z'),
      release('prod-payroll', '26.12', '2026-12-05T06:00:00Z'),
      release('prod-hr', '26.12', '2026-12-12T06:00:00Z'),
    ])
      await repo.insert(r);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('pages the releases of several products in one batch, newest first, with each total', async () => {
    const pages = await repo.pagesOfProducts(['prod-payroll', 'prod-hr', 'prod-unknown'], {}, 2);
    expect(pages.get('prod-payroll')).toMatchObject({
      total: 3,
      rows: [{ releaseVersion: '26.12' }, { releaseVersion: '26.11' }],
    });
    expect(pages.get('prod-hr')).toMatchObject({ total: 1, rows: [{ releaseVersion: '26.12' }] });
    expect(pages.get('prod-unknown')).toEqual({ total: 0, rows: [] });

    const second = pages.get('prod-payroll')?.rows[1] as Release;
    const next = await repo.pagesOfProducts(['prod-payroll'], {}, 2, [
      second.plannedProductionDate.toISOString(),
      second.id,
    ]);
    expect(next.get('prod-payroll')).toMatchObject({ total: 3, rows: [{ releaseVersion: '26.10' }] });
    const last = next.get('prod-payroll')?.rows[0] as Release;
    // Past the last row the page is empty but the total stays.
    expect(
      (await repo.pagesOfProducts(['prod-payroll'], {}, 2, [last.plannedProductionDate.toISOString(), last.id])).get(
        'prod-payroll',
      ),
    ).toEqual({ total: 3, rows: [] });
    expect(
      (await repo.pagesOfProducts(['prod-payroll', 'prod-hr'], { status: 'DECIDED' }, 2)).get('prod-payroll'),
    ).toEqual({ total: 0, rows: [] });
  });

  it('refuses a second release with the same version of a product, and a stale update', async () => {
    await expect(repo.insert(release('prod-payroll', '26.12', '2026-12-06T06:00:00Z'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const [first] = (await repo.list({ productId: 'prod-hr' }, 10)).rows;
    await repo.update(first, { ...first, releaseNotes: 'changed', version: 2 });
    await expect(repo.update(first, { ...first, releaseNotes: 'lost update', version: 2 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await repo.findById(first.id))?.releaseNotes).toBe('changed');
  });

  it('knows a request from its events, the newest version winning', async () => {
    const requests = new RequestRefRepository(service.runtime().dataSource.manager);
    const requestId = randomUUID();
    expect(await requests.unknown([requestId])).toEqual([requestId]);
    await requests.applyAll([
      { requestId, number: 'SC-2026-000002', customerId: 'cust-acme', productId: 'prod-hr', version: 2 },
    ]);
    await requests.applyAll([
      { requestId, number: 'SC-2026-000001', customerId: 'cust-acme', productId: 'prod-payroll', version: 1 },
    ]);
    expect(await requests.unknown([requestId])).toEqual([]);
    const [row] = await service
      .runtime()
      .dataSource.query(`SELECT number, product_id FROM request_ref WHERE request_id = $1`, [requestId]);
    expect(row).toEqual({ number: 'SC-2026-000002', product_id: 'prod-hr' });
  });
});
