import { randomUUID } from 'node:crypto';
import { CustomerSaved, DirectoryProductSaved, formatSequence, type EventContract } from '@servicecenter/contracts';
import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { waitFor, type TestDatabase } from '@servicecenter/testing';
import { DirectoryRefRepository } from '../persistence/directory-refs.repository';
import { startEscalationsService } from '../testing/escalations-service';

/** The directory as the escalations service knows it: products and customers from the directory's events. */
describe('directory read model of the escalations service', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  const transport = new InProcessTransport();
  let seq = 0;

  const deliver = (contract: EventContract, subject: string, data: Record<string, unknown>, id = randomUUID()) =>
    transport.publish([
      {
        topic: contract.topic,
        key: subject,
        envelope: {
          specversion: '1.0',
          id,
          source: '/servicecenter/requests',
          type: contract.type,
          time: new Date().toISOString(),
          subject,
          datacontenttype: 'application/json',
          sequence: formatSequence(++seq),
          data,
        },
      },
    ]);
  const product = (productId: string, name: string, savedAt: string) => ({
    productId,
    name,
    productGroupId: 'grp-payroll',
    teamId: 'team-payroll',
    savedAt,
  });
  const query = async <T>(sql: string, params: unknown[] = []) =>
    (await service.runtime().dataSource.query(sql, params)) as T[];
  const applied = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox`))[0].n;
  const refs = () => new DirectoryRefRepository(service.runtime().dataSource.manager);

  beforeAll(async () => {
    ({ db, service } = await startEscalationsService('escalations_directory_model', transport));
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('knows a product once its product-saved event arrived, applies a redelivery once and keeps the newest save', async () => {
    expect(await refs().unknownProducts(['prod-payroll'])).toEqual(['prod-payroll']);
    const first = randomUUID();
    await deliver(
      DirectoryProductSaved,
      'prod-payroll',
      product('prod-payroll', 'Payroll', '2026-03-02T09:00:00Z'),
      first,
    );
    await deliver(
      DirectoryProductSaved,
      'prod-payroll',
      product('prod-payroll', 'Payroll Cloud', '2026-03-02T10:00:00Z'),
    );
    // The first event again (a redelivery), and an older save that arrives late.
    await deliver(
      DirectoryProductSaved,
      'prod-payroll',
      product('prod-payroll', 'Payroll', '2026-03-02T09:00:00Z'),
      first,
    );
    await deliver(
      DirectoryProductSaved,
      'prod-payroll',
      product('prod-payroll', 'Payroll Old', '2026-03-01T09:00:00Z'),
    );
    // A later event of another product: once it is applied, everything before it is too.
    await deliver(DirectoryProductSaved, 'prod-hr', product('prod-hr', 'HR Core', '2026-03-02T11:00:00Z'));
    await waitFor(
      () => refs().unknownProducts(['prod-hr']),
      (u) => u.length === 0,
      { what: 'prod-hr known' },
    );

    expect(await applied()).toBe(4);
    expect(await query(`SELECT product_id, name FROM product_ref ORDER BY product_id`)).toEqual([
      { product_id: 'prod-hr', name: 'HR Core' },
      { product_id: 'prod-payroll', name: 'Payroll Cloud' },
    ]);
    expect(await refs().unknownProducts(['prod-payroll', 'prod-nobody', 'prod-hr'])).toEqual(['prod-nobody']);
  });

  it('knows the customers of the customer.saved events', async () => {
    await deliver(CustomerSaved, 'cust-acme', {
      customerId: 'cust-acme',
      name: 'Acme',
      serviceManagerId: null,
      customerSuccessManagerId: null,
      applicationServicesContract: true,
      baseBundleHours: 40,
      creditBundleHours: 0,
      language: 'EN',
      savedAt: '2026-03-02T09:00:00Z',
    });
    await waitFor(
      () => refs().unknownCustomers(['cust-acme']),
      (u) => u.length === 0,
      { what: 'cust-acme known' },
    );
    expect(await refs().unknownCustomers(['cust-globex', 'cust-acme', 'cust-ghost'])).toEqual([
      'cust-globex',
      'cust-ghost',
    ]);
  });
});
