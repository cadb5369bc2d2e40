import type { DataSource } from 'typeorm';
import { DomainError } from '@servicecenter/platform-errors';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { directoryData } from '../testing/demo-data';
import { openDirectoryDatabase, outboxEvents, seedDirectoryWithOutbox } from '../testing/directory-outbox';
import { type DirectoryAdmin } from '../domain/directory-admin';
import { SEED_ADMIN } from '../domain/seed-directory';

/** customer.saved goes to the outbox in the transaction of the admin write: both or neither. */
describe('directory customer.saved events on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let admin: DirectoryAdmin;
  const savedAt = new Date('2026-11-23T09:00:00Z');

  const saved = () => outboxEvents(dataSource, 'servicecenter.customer.saved.v1');

  beforeAll(async () => {
    db = await createTestDatabase('directory_events');
    dataSource = await openDirectoryDatabase(db, 'directory-events-spec');
    admin = await seedDirectoryWithOutbox(dataSource, savedAt);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('announces every created customer with its service manager', async () => {
    const events = await saved();
    expect(events.map((e) => e.message_key)).toEqual(directoryData.customers.map((c) => c.id));
    const first = directoryData.customers[0];
    expect(events[0].envelope.data).toMatchObject({
      customerId: first.id,
      name: first.name,
      serviceManagerId: first.serviceManagerId ?? null,
      savedAt: savedAt.toISOString(),
    });
  });

  it('announces an update with the customer after the change, and nothing when the update is refused', async () => {
    const customer = directoryData.customers[0];
    const before = (await saved()).length;
    await expect(
      admin.updateCustomer(SEED_ADMIN, { id: customer.id, serviceManagerId: 'p-anna-devries' }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await saved()).toHaveLength(before);
    await admin.updateCustomer(SEED_ADMIN, { id: customer.id, serviceManagerId: 'p-bas-dekker' });
    const events = await saved();
    expect(events).toHaveLength(before + 1);
    expect(events[before].envelope.data).toMatchObject({ customerId: customer.id, serviceManagerId: 'p-bas-dekker' });
    expect(events[before].envelope.actor).toBe(SEED_ADMIN.id);
  });
});
