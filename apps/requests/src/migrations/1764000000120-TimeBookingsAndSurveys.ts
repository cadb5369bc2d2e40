import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hours booked on requests (they consume the customer's bundles) and the satisfaction survey of closed requests. */
export class TimeBookingsAndSurveys1764000000120 implements MigrationInterface {
  name = 'TimeBookingsAndSurveys1764000000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_time_booking (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES request (id),
        hours numeric(6, 2) NOT NULL CHECK (hours > 0),
        work_date date NOT NULL,
        booked_by text NOT NULL,
        description text,
        booked_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX request_time_booking_request_idx ON request_time_booking (request_id, work_date)`);
    await q.query(`
      CREATE TABLE request_survey (
        request_id uuid PRIMARY KEY REFERENCES request (id),
        score int NOT NULL CHECK (score BETWEEN 0 AND 10),
        comment text,
        answered_by text NOT NULL,
        answered_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_survey`);
    await q.query(`DROP TABLE request_time_booking`);
  }
}
