import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePersonRefs1764000000770 implements MigrationInterface {
  name = 'CreatePersonRefs1764000000770';

  async up(q: QueryRunner): Promise<void> {
    // The directory's people, from its person-saved events: a run's testers are known people.
    await q.query(`
      CREATE TABLE person_ref (
        person_id text PRIMARY KEY,
        roles text[] NOT NULL,
        customer_id text,
        saved_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_ref`);
  }
}
