import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AnnouncePeople1764000000420 } from './1764000000420-AnnouncePeople';

/**
 * Announces every person again, now with the teams they work in (`teamIds` of
 * `servicecenter.directory.person-saved.v1`): the escalations service lets only the team lead of a
 * product's team decide its asks (raci.csv row 98), and deployments where AnnouncePeople already ran
 * announced people without their teams. The same backfill, run once more; consumers apply the newest save.
 */
export class AnnouncePeopleTeams1764000000430 implements MigrationInterface {
  name = 'AnnouncePeopleTeams1764000000430';

  up(q: QueryRunner): Promise<void> {
    return new AnnouncePeople1764000000420().up(q);
  }

  async down(): Promise<void> {
    // Published events cannot be taken back; unpublished ones are harmless to keep.
  }
}
