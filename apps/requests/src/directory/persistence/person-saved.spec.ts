import type { DataSource } from 'typeorm';
import { DomainError } from '@servicecenter/platform-errors';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { directoryData } from '../testing/demo-data';
import { openDirectoryDatabase, outboxEvents, seedDirectoryWithOutbox } from '../testing/directory-outbox';
import { directoryUnitOfWork } from '../context';
import { directoryAdmin, type DirectoryAdmin } from '../domain/directory-admin';
import { seedDirectory, SEED_ADMIN } from '../domain/seed-directory';
import { AnnounceDirectory1764000000410 } from '../migrations/1764000000410-AnnounceDirectory';
import { CreateDirectory1764000000300 } from '../migrations/1764000000300-CreateDirectory';
import { ApplicationServicesConditions1764000000487 } from '../migrations/1764000000487-ApplicationServicesConditions';

const PERSON_SAVED = 'servicecenter.directory.person-saved.v1';

const outboxOf = (dataSource: DataSource) => outboxEvents(dataSource, PERSON_SAVED);

/** person-saved goes to the outbox in the transaction of the admin write: both or neither; no contact details. */
describe('directory person-saved events on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let admin: DirectoryAdmin;
  const savedAt = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase('directory_person_events');
    dataSource = await openDirectoryDatabase(db, 'directory-person-events-spec');
    admin = await seedDirectoryWithOutbox(dataSource, savedAt);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('announces every created person with roles and organisation, keyed by the person id, without name or email', async () => {
    const events = await outboxOf(dataSource);
    expect(events.map((e) => e.message_key)).toEqual(directoryData.people.map((p) => p.id));
    const user = directoryData.people.find((p) => p.customerId) ?? directoryData.people[0];
    expect(events.find((e) => e.message_key === user.id)?.envelope.data).toEqual({
      personId: user.id,
      roles: [...user.roles],
      customerId: user.customerId,
      teamIds: [...user.teamIds],
      savedAt: savedAt.toISOString(),
    });
    expect(events[0].envelope.actor).toBe(SEED_ADMIN.id);
  });

  it('announces an update, and nothing when the update is refused', async () => {
    const staff = directoryData.people.find((p) => !p.customerId) ?? directoryData.people[0];
    const before = (await outboxOf(dataSource)).length;
    await expect(admin.updatePerson(SEED_ADMIN, { id: staff.id, teamIds: ['team-nobody'] })).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(await outboxOf(dataSource)).toHaveLength(before);
    await admin.updatePerson(SEED_ADMIN, { id: staff.id, name: 'Renamed' });
    expect(await outboxOf(dataSource)).toHaveLength(before + 1);
  });
});

/** A deployment older than person-saved: its people are announced once, by the AnnouncePeople migration. */
describe('announcing existing people (migration AnnouncePeople)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('directory_people_backfill');
    const old = await openDirectoryDatabase(db, 'directory-people-backfill-spec', [
      CreateDirectory1764000000300,
      AnnounceDirectory1764000000410,
      // Today's customer columns, which the seed through today's admin writes.
      ApplicationServicesConditions1764000000487,
    ]);
    await seedDirectory(directoryAdmin({ uow: directoryUnitOfWork(old) }), directoryData);
    await old.destroy();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const upgrade = () => openDirectoryDatabase(db, 'directory-people-backfill-spec');

  it('writes person-saved per person into the outbox, once by AnnouncePeople and once with the teams by AnnouncePeopleTeams', async () => {
    const ids = directoryData.people.map((p) => p.id);
    const dataSource = await upgrade();
    try {
      const events = await outboxOf(dataSource);
      expect(events.map((e) => e.message_key).sort()).toEqual([...ids, ...ids].sort());
      expect(events[0].envelope.actor).toBe('system:requests');
      // The newest announcement of each person carries its teams (raci.csv row 98 needs them in escalations).
      const staff = directoryData.people.find((p) => p.teamIds.length > 0) ?? directoryData.people[0];
      const last = events.filter((e) => e.message_key === staff.id).pop();
      expect(last?.envelope.data).toMatchObject({ personId: staff.id, teamIds: [...staff.teamIds] });
    } finally {
      await dataSource.destroy();
    }
    const again = await upgrade();
    try {
      expect(await outboxOf(again)).toHaveLength(2 * directoryData.people.length);
    } finally {
      await again.destroy();
    }
  });
});
