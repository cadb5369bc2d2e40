import type { DataSource } from 'typeorm';
import { DomainError } from '@servicecenter/platform-errors';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { directoryData } from '../testing/demo-data';
import { openDirectoryDatabase, outboxEvents, seedDirectoryWithOutbox } from '../testing/directory-outbox';
import { directoryUnitOfWork } from '../context';
import { directoryAdmin, type DirectoryAdmin } from '../domain/directory-admin';
import { seedDirectory, SEED_ADMIN } from '../domain/seed-directory';
import { CreateDirectory1764000000300 } from '../migrations/1764000000300-CreateDirectory';
import { ApplicationServicesConditions1764000000487 } from '../migrations/1764000000487-ApplicationServicesConditions';

const PRODUCT_SAVED = 'servicecenter.directory.product-saved.v1';
const CUSTOMER_SAVED = 'servicecenter.customer.saved.v1';

/** product-saved goes to the outbox in the transaction of the admin write: both or neither. */
describe('directory product-saved events on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let admin: DirectoryAdmin;
  const savedAt = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase('directory_product_events');
    dataSource = await openDirectoryDatabase(db, 'directory-product-events-spec');
    admin = await seedDirectoryWithOutbox(dataSource, savedAt);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('announces every created product with its group and team, keyed by the product id', async () => {
    const events = await outboxEvents(dataSource, PRODUCT_SAVED);
    expect(events.map((e) => e.message_key)).toEqual(directoryData.products.map((p) => p.id));
    const first = directoryData.products[0];
    expect(events[0].envelope.data).toEqual({
      productId: first.id,
      name: first.name,
      productGroupId: first.productGroupId,
      teamId: first.teamId,
      savedAt: savedAt.toISOString(),
    });
    expect(events[0].envelope.actor).toBe(SEED_ADMIN.id);
  });

  it('announces an update with the product after the change, and nothing when the update is refused', async () => {
    const product = directoryData.products[0];
    const before = (await outboxEvents(dataSource, PRODUCT_SAVED)).length;
    await expect(admin.updateProduct(SEED_ADMIN, { id: product.id, teamId: 'team-nobody' })).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(await outboxEvents(dataSource, PRODUCT_SAVED)).toHaveLength(before);
    await admin.updateProduct(SEED_ADMIN, { id: product.id, name: 'Salarisverwerking Cloud' });
    const events = await outboxEvents(dataSource, PRODUCT_SAVED);
    expect(events).toHaveLength(before + 1);
    expect(events[before].envelope.data).toMatchObject({ productId: product.id, name: 'Salarisverwerking Cloud' });
  });
});

/**
 * A deployment older than the directory's events: its products and customers are announced
 * once, by the AnnounceDirectory migration, so consumers know what was created before.
 */
describe('announcing an existing directory (migration AnnounceDirectory)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('directory_backfill');
    // The schema as it was: outbox and directory, the directory filled without events (with today's
    // customer columns, which the seed through today's admin writes).
    const old = await openDirectoryDatabase(db, 'directory-backfill-spec', [
      CreateDirectory1764000000300,
      ApplicationServicesConditions1764000000487,
    ]);
    await seedDirectory(directoryAdmin({ uow: directoryUnitOfWork(old) }), directoryData);
    await old.destroy();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const upgrade = () => openDirectoryDatabase(db, 'directory-backfill-spec');

  it('writes one product-saved per product and one customer.saved per customer into the outbox, once', async () => {
    const dataSource = await upgrade();
    try {
      const products = await outboxEvents(dataSource, PRODUCT_SAVED);
      const customers = await outboxEvents(dataSource, CUSTOMER_SAVED);
      expect(products.map((e) => e.message_key).sort()).toEqual(directoryData.products.map((p) => p.id).sort());
      expect(customers.map((e) => e.message_key).sort()).toEqual(directoryData.customers.map((c) => c.id).sort());
      const payroll = directoryData.products[0];
      expect(products.find((e) => e.message_key === payroll.id)?.envelope).toMatchObject({
        source: '/servicecenter/requests',
        actor: 'system:requests',
        data: {
          productId: payroll.id,
          name: payroll.name,
          productGroupId: payroll.productGroupId,
          teamId: payroll.teamId,
        },
      });
      const customer = directoryData.customers[0];
      expect(customers.find((e) => e.message_key === customer.id)?.envelope.data).toMatchObject({
        customerId: customer.id,
        name: customer.name,
        serviceManagerId: customer.serviceManagerId ?? null,
      });
    } finally {
      await dataSource.destroy();
    }
    // A restart finds the migration applied and writes nothing more.
    const again = await upgrade();
    try {
      expect(await outboxEvents(again, PRODUCT_SAVED)).toHaveLength(directoryData.products.length);
      expect(await outboxEvents(again, CUSTOMER_SAVED)).toHaveLength(directoryData.customers.length);
    } finally {
      await again.destroy();
    }
  });
});
