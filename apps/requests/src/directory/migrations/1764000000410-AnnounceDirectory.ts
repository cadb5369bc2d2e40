import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sourceOf } from '@servicecenter/contracts';
import { systemActor } from '@servicecenter/platform-auth';
import { OutboxWriter, type NewEvent } from '@servicecenter/platform-events';
import { customerSavedEvent, productSavedEvent } from '../directory-events';
import { DirectoryRepository } from '../persistence/directory.repository';

/** Rows read and announced per statement. */
const CHUNK = 500;

/**
 * The backfill of the directory's events for deployments older than them: one
 * `servicecenter.directory.product-saved.v1` per product and one
 * `servicecenter.customer.saved.v1` per customer already in the directory, written to the
 * outbox in the migration's transaction, so the escalations and release-testing services
 * learn the products and customers created before they listened (their read models refuse
 * ids no event announced). The relay publishes them like any other event; consumers apply
 * the newest save, so a customer announced twice changes nothing. On an empty directory (a
 * new deployment) it writes nothing. Runs once, like every migration.
 */
export class AnnounceDirectory1764000000410 implements MigrationInterface {
  name = 'AnnounceDirectory1764000000410';

  async up(q: QueryRunner): Promise<void> {
    const directory = new DirectoryRepository(q.manager);
    const outbox = new OutboxWriter(sourceOf('requests'));
    const savedAt = new Date();
    const announce = async (table: 'product' | 'customer', events: (ids: string[]) => Promise<NewEvent[]>) => {
      const ids = ((await q.query(`SELECT id FROM ${table} ORDER BY id`)) as { id: string }[]).map((r) => r.id);
      for (let i = 0; i < ids.length; i += CHUNK)
        await outbox.append(q.manager, await events(ids.slice(i, i + CHUNK)), { actor: systemActor('requests') });
    };
    await announce('product', async (ids) =>
      (await directory.productsByIds(ids)).map((p) => productSavedEvent(p, savedAt)),
    );
    await announce('customer', async (ids) =>
      (await directory.customersByIds(ids)).map((c) => customerSavedEvent(c, savedAt)),
    );
  }

  async down(): Promise<void> {
    // Published events cannot be taken back; unpublished ones are harmless to keep.
  }
}
