import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * More counters kept at event time, in the pattern of rp_sla_target_day (migration
 * 1764000000420): a trigger on the projection subtracts what a row's old version contributed
 * and adds what its new version contributes, so late and corrected events (a reopened
 * request, a survey answered again, a booking moved) adjust them exactly. Days are calendar
 * days in the zone of rp_rollup_setting; NULL dimensions are stored as ''.
 *
 * - rp_request_day: requests per registration day × customer × team × product group ×
 *   product × effective priority × type × completion reason, with how many were solved on
 *   their day of registration (the same-day resolution report).
 * - rp_survey_day: survey answers per answer day × customer × product group × product ×
 *   priority × score (0–10), so promoters, passives, detractors and the average add up, with
 *   how many carry a comment (the comment list's total).
 * - rp_booking_day: hours booked per customer and work date (a date already: no zone).
 */
export class RequestSurveyBookingRollups1764000000430 implements MigrationInterface {
  name = 'RequestSurveyBookingRollups1764000000430';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rp_request_day (
        day date NOT NULL,
        customer_id text NOT NULL,
        team_id text NOT NULL,
        product_group_id text NOT NULL,
        product_id text NOT NULL,
        priority text NOT NULL,
        type text NOT NULL,
        completion_reason text NOT NULL,
        registered integer NOT NULL,
        solved_same_day integer NOT NULL,
        PRIMARY KEY (day, customer_id, team_id, product_group_id, product_id, priority, type, completion_reason)
      )`);
    await q.query(`
      CREATE FUNCTION rp_request_count(t rp_request, zone text, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        k_day date := (t.registered_at AT TIME ZONE zone)::date;
        same integer := CASE
          WHEN (t.first_solution_at AT TIME ZONE zone)::date = k_day
            OR (t.status = 'CLOSED' AND t.completion_reason IN ('SOLVED', 'WORKAROUND') AND (t.closed_at AT TIME ZONE zone)::date = k_day)
          THEN sign ELSE 0 END;
      BEGIN
        INSERT INTO rp_request_day AS d
          (day, customer_id, team_id, product_group_id, product_id, priority, type, completion_reason, registered, solved_same_day)
        VALUES (k_day, t.customer_id, coalesce(t.team_id, ''), coalesce(t.product_group_id, ''), coalesce(t.product_id, ''),
                t.effective_priority, t.type, coalesce(t.completion_reason, ''), sign, same)
        ON CONFLICT (day, customer_id, team_id, product_group_id, product_id, priority, type, completion_reason) DO UPDATE
          SET registered = d.registered + EXCLUDED.registered, solved_same_day = d.solved_same_day + EXCLUDED.solved_same_day;
        IF sign < 0 THEN
          DELETE FROM rp_request_day
           WHERE day = k_day AND customer_id = t.customer_id AND team_id = coalesce(t.team_id, '')
             AND product_group_id = coalesce(t.product_group_id, '') AND product_id = coalesce(t.product_id, '')
             AND priority = t.effective_priority AND type = t.type AND completion_reason = coalesce(t.completion_reason, '')
             AND registered = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE TABLE rp_survey_day (
        day date NOT NULL,
        customer_id text NOT NULL,
        product_group_id text NOT NULL,
        product_id text NOT NULL,
        priority text NOT NULL,
        score integer NOT NULL,
        answers integer NOT NULL,
        commented integer NOT NULL,
        PRIMARY KEY (day, customer_id, product_group_id, product_id, priority, score)
      )`);
    await q.query(`
      CREATE FUNCTION rp_survey_count(t rp_survey, zone text, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        k_day date := (t.answered_at AT TIME ZONE zone)::date;
      BEGIN
        INSERT INTO rp_survey_day AS d (day, customer_id, product_group_id, product_id, priority, score, answers, commented)
        VALUES (k_day, t.customer_id, coalesce(t.product_group_id, ''), coalesce(t.product_id, ''), coalesce(t.priority, ''), t.score, sign,
                CASE WHEN t.comment IS NOT NULL AND t.comment <> '' THEN sign ELSE 0 END)
        ON CONFLICT (day, customer_id, product_group_id, product_id, priority, score) DO UPDATE
          SET answers = d.answers + EXCLUDED.answers, commented = d.commented + EXCLUDED.commented;
        IF sign < 0 THEN
          DELETE FROM rp_survey_day
           WHERE day = k_day AND customer_id = t.customer_id AND product_group_id = coalesce(t.product_group_id, '')
             AND product_id = coalesce(t.product_id, '') AND priority = coalesce(t.priority, '') AND score = t.score AND answers = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE TABLE rp_booking_day (
        customer_id text NOT NULL,
        work_date date NOT NULL,
        hours numeric(14, 2) NOT NULL,
        bookings integer NOT NULL,
        PRIMARY KEY (customer_id, work_date)
      )`);
    await q.query(`
      CREATE FUNCTION rp_booking_count(t rp_booking, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO rp_booking_day AS d (customer_id, work_date, hours, bookings)
        VALUES (t.customer_id, t.work_date, sign * t.hours, sign)
        ON CONFLICT (customer_id, work_date) DO UPDATE SET hours = d.hours + EXCLUDED.hours, bookings = d.bookings + EXCLUDED.bookings;
        IF sign < 0 THEN
          DELETE FROM rp_booking_day WHERE customer_id = t.customer_id AND work_date = t.work_date AND bookings = 0;
        END IF;
      END $$`);
    // One trigger function per table; the WHEN clauses skip updates that change nothing counted.
    for (const [table, count] of [
      ['rp_request', `rp_request_count(%s, (SELECT value FROM rp_rollup_setting WHERE key = 'time_zone'), %d)`],
      ['rp_survey', `rp_survey_count(%s, (SELECT value FROM rp_rollup_setting WHERE key = 'time_zone'), %d)`],
      ['rp_booking', `rp_booking_count(%s, %d)`],
    ] as const) {
      const call = (row: string, sign: number) => count.replace('%s', row).replace('%d', String(sign));
      await q.query(`
        CREATE FUNCTION ${table}_rollup() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM ${call('OLD', -1)}; END IF;
          IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM ${call('NEW', 1)}; END IF;
          RETURN NULL;
        END $$`);
    }
    await q.query(`
      CREATE TRIGGER rp_request_rollup AFTER INSERT OR DELETE ON rp_request
        FOR EACH ROW EXECUTE FUNCTION rp_request_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_request_rollup_update AFTER UPDATE ON rp_request FOR EACH ROW
        WHEN ((OLD.registered_at, OLD.customer_id, OLD.team_id, OLD.product_group_id, OLD.product_id, OLD.effective_priority,
               OLD.type, OLD.completion_reason, OLD.status, OLD.first_solution_at, OLD.closed_at)
              IS DISTINCT FROM
              (NEW.registered_at, NEW.customer_id, NEW.team_id, NEW.product_group_id, NEW.product_id, NEW.effective_priority,
               NEW.type, NEW.completion_reason, NEW.status, NEW.first_solution_at, NEW.closed_at))
        EXECUTE FUNCTION rp_request_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_survey_rollup AFTER INSERT OR DELETE OR UPDATE ON rp_survey FOR EACH ROW
        EXECUTE FUNCTION rp_survey_rollup()`);
    await q.query(`
      CREATE TRIGGER rp_booking_rollup AFTER INSERT OR DELETE OR UPDATE ON rp_booking FOR EACH ROW
        EXECUTE FUNCTION rp_booking_rollup()`);
    // Rows projected before this migration.
    const zone = `(SELECT value FROM rp_rollup_setting WHERE key = 'time_zone')`;
    await q.query(`SELECT rp_request_count(t, ${zone}, 1) FROM rp_request t`);
    await q.query(`SELECT rp_survey_count(t, ${zone}, 1) FROM rp_survey t`);
    await q.query(`SELECT rp_booking_count(t, 1) FROM rp_booking t`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rp_booking_rollup ON rp_booking`);
    await q.query(`DROP TRIGGER rp_survey_rollup ON rp_survey`);
    await q.query(`DROP TRIGGER rp_request_rollup_update ON rp_request`);
    await q.query(`DROP TRIGGER rp_request_rollup ON rp_request`);
    for (const table of ['rp_booking', 'rp_survey', 'rp_request']) await q.query(`DROP FUNCTION ${table}_rollup()`);
    await q.query(`DROP FUNCTION rp_booking_count(rp_booking, integer)`);
    await q.query(`DROP FUNCTION rp_survey_count(rp_survey, text, integer)`);
    await q.query(`DROP FUNCTION rp_request_count(rp_request, text, integer)`);
    for (const table of ['rp_booking_day', 'rp_survey_day', 'rp_request_day']) await q.query(`DROP TABLE ${table}`);
  }
}
