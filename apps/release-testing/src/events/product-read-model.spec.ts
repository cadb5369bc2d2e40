import { randomUUID } from 'node:crypto';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { DirectoryProductSaved, formatSequence } from '@servicecenter/contracts';
import { InProcessTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService, type SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, waitFor, type TestDatabase } from '@servicecenter/testing';
import { ProductRefRepository } from '../persistence/product-ref.repository';
import { releaseTestingDefinition } from '../service';

/** The products the release-testing service knows: from the directory's product-saved events. */
describe('product read model of the release-testing service', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  const transport = new InProcessTransport();
  let seq = 0;

  const deliver = (productId: string, name: string, savedAt: string, id = randomUUID()) =>
    transport.publish([
      {
        topic: DirectoryProductSaved.topic,
        key: productId,
        envelope: {
          specversion: '1.0',
          id,
          source: '/servicecenter/requests',
          type: DirectoryProductSaved.type,
          time: new Date().toISOString(),
          subject: productId,
          datacontenttype: 'application/json',
          sequence: formatSequence(++seq),
          data: { productId, name, productGroupId: 'grp-payroll', teamId: 'team-payroll', savedAt },
        },
      },
    ]);
  const query = async <T>(sql: string) => (await service.runtime().dataSource.query(sql)) as T[];
  const products = () => new ProductRefRepository(service.runtime().dataSource.manager);

  beforeAll(async () => {
    db = await createTestDatabase('release_testing_product_model');
    const config = {
      ...loadSubgraphConfig('release-testing', {
        NODE_ENV: 'test',
        RELEASE_TESTING_DATABASE_URL: db.url,
        LOG_LEVEL: 'silent',
      }),
      port: 0,
    };
    service = createSubgraphService(releaseTestingDefinition, { config, transport, logger: silentLogger });
    await service.start();
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('knows a product once its event arrived, applies a redelivery once and keeps the newest save', async () => {
    expect(await products().unknown(['prod-payroll'])).toEqual(['prod-payroll']);
    const first = randomUUID();
    await deliver('prod-payroll', 'Payroll', '2026-03-02T09:00:00Z', first);
    await deliver('prod-payroll', 'Payroll Cloud', '2026-03-02T10:00:00Z');
    await deliver('prod-payroll', 'Payroll', '2026-03-02T09:00:00Z', first); // redelivered
    await deliver('prod-payroll', 'Payroll Old', '2026-03-01T09:00:00Z'); // an older save, late
    await deliver('prod-hr', 'HR Core', '2026-03-02T11:00:00Z');
    await waitFor(
      () => products().unknown(['prod-hr']),
      (u) => u.length === 0,
      { what: 'prod-hr known' },
    );

    expect(
      await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox WHERE event_type = '${DirectoryProductSaved.type}'`,
      ),
    ).toEqual([{ n: 4 }]);
    expect(await query(`SELECT product_id, name FROM product_ref ORDER BY product_id`)).toEqual([
      { product_id: 'prod-hr', name: 'HR Core' },
      { product_id: 'prod-payroll', name: 'Payroll Cloud' },
    ]);
    expect(await products().unknown(['prod-payroll', 'prod-nobody'])).toEqual(['prod-nobody']);
  });
});
