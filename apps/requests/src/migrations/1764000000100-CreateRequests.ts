import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRequests1764000000100 implements MigrationInterface {
  name = 'CreateRequests1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        type text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL,
        requested_priority text NOT NULL,
        customer_id text NOT NULL,
        requester_id text NOT NULL,
        registered_at timestamptz NOT NULL,
        version int NOT NULL
      )`);
    await q.query(`CREATE INDEX request_customer_registered ON request (customer_id, registered_at DESC)`);
    await q.query(`CREATE TABLE request_number_counter (year int PRIMARY KEY, last_number int NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE request_number_counter');
    await q.query('DROP TABLE request');
  }
}
