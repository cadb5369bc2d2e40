import type { DataSource } from 'typeorm';
import { openDataSource } from '@servicecenter/platform-database';
import {
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InboxEntity,
  OutboxEntity,
  OutboxWriter,
  UnitOfWork,
  OUTBOX_ENVELOPE_SQL,
} from '@servicecenter/platform-events';
import type { TestDatabase } from '@servicecenter/testing';
import { directoryUnitOfWork } from '../context';
import { directoryAdmin, type DirectoryAdmin } from '../domain/directory-admin';
import { seedDirectory } from '../domain/seed-directory';
import { directoryMigrations } from '../index';
import { directoryEntities } from '../persistence/directory.entities';
import { directoryData } from './demo-data';

/** The directory's tables and an outbox on a test database; `migrations` replaces the directory's own (an older deployment). */
export const openDirectoryDatabase = (
  db: TestDatabase,
  applicationName: string,
  migrations: Function[] = directoryMigrations,
): Promise<DataSource> =>
  openDataSource({
    url: db.url,
    entities: [...directoryEntities, OutboxEntity, InboxEntity],
    migrations: [
      EventsOutboxInbox1764000000000,
      OutboxPendingTable1764000000005,
      OutboxTextRows1764000000006,
      ...migrations,
    ],
    applicationName,
  });

/** The demo directory saved through the admin use cases, each write with its events in the outbox at `savedAt`. */
export async function seedDirectoryWithOutbox(dataSource: DataSource, savedAt: Date): Promise<DirectoryAdmin> {
  const uow = new UnitOfWork(dataSource, new OutboxWriter('/servicecenter/requests', () => savedAt));
  const admin = directoryAdmin({ uow: directoryUnitOfWork(dataSource, { uow, clock: () => savedAt }) });
  await seedDirectory(admin, directoryData);
  return admin;
}

export interface OutboxEvent {
  event_type: string;
  message_key: string;
  envelope: { actor?: string; source: string; data: Record<string, unknown> };
}

/** The outbox rows of one event type, in the order they were written. */
export const outboxEvents = async (dataSource: DataSource, type: string) =>
  (await dataSource.query(
    `SELECT event_type, message_key, ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox WHERE event_type = $1 ORDER BY seq`,
    [type],
  )) as OutboxEvent[];
