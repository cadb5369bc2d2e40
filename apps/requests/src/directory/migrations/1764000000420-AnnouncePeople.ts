import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sourceOf } from '@servicecenter/contracts';
import { systemActor } from '@servicecenter/platform-auth';
import { OutboxWriter } from '@servicecenter/platform-events';
import { personSavedEvent } from '../directory-events';
import { DirectoryRepository } from '../persistence/directory.repository';

/** Rows read and announced per statement. */
const CHUNK = 500;

/**
 * The backfill of `servicecenter.directory.person-saved.v1` for deployments older than it:
 * one event per person already in the directory, written to the outbox in the migration's
 * transaction, so release testing learns the people created before it listened (it refuses
 * testers no event announced). Like AnnounceDirectory: consumers apply the newest save, an
 * empty directory writes nothing, and it runs once.
 */
export class AnnouncePeople1764000000420 implements MigrationInterface {
  name = 'AnnouncePeople1764000000420';

  async up(q: QueryRunner): Promise<void> {
    const directory = new DirectoryRepository(q.manager);
    const outbox = new OutboxWriter(sourceOf('requests'));
    const savedAt = new Date();
    const ids = ((await q.query(`SELECT id FROM person ORDER BY id`)) as { id: string }[]).map((r) => r.id);
    for (let i = 0; i < ids.length; i += CHUNK)
      await outbox.append(
        q.manager,
        (await directory.peopleByIds(ids.slice(i, i + CHUNK))).map((p) => personSavedEvent(p, savedAt)),
        { actor: systemActor('requests') },
      );
  }

  async down(): Promise<void> {
    // Published events cannot be taken back; unpublished ones are harmless to keep.
  }
}
