import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open requests as a maintained current-state table (docs/reporting.md, "Rollups"): the
 * "as of now" reports (open requests, response time, open by status, the oldest open) read
 * this narrow table of open requests only, instead of picking the open ones out of every
 * request ever registered. A trigger on rp_request keeps it: a request is in it while its
 * status is not CLOSED (a reopened request comes back), with the columns those reports use.
 *
 * With it, rp_open_day counts the open requests per day of registration (UTC days: the age
 * buckets are durations, not calendar days) × customer × product group × product × priority ×
 * status: the open-requests report sums whole days and reads only the requests of the (at
 * most four) days its age-bucket edges (1, 3, 7, 30 days ago) fall in, so its counts stay
 * exact at any moment of the query.
 */
export class OpenRequestState1764000000440 implements MigrationInterface {
  name = 'OpenRequestState1764000000440';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rp_open_request (
        request_id uuid PRIMARY KEY,
        number text NOT NULL,
        type text NOT NULL,
        customer_id text NOT NULL,
        product_id text,
        product_group_id text,
        effective_priority text NOT NULL,
        status text NOT NULL,
        title text,
        registered_at timestamptz NOT NULL,
        first_response_at timestamptz,
        change_ref text
      )`);
    await q.query(
      `CREATE INDEX rp_open_request_group ON rp_open_request (product_group_id, effective_priority, registered_at)`,
    );
    await q.query(`CREATE INDEX rp_open_request_age ON rp_open_request (registered_at, number)`);
    await q.query(`CREATE INDEX rp_open_request_customer ON rp_open_request (customer_id)`);
    await q.query(`
      CREATE TABLE rp_open_day (
        day timestamptz NOT NULL,
        customer_id text NOT NULL,
        product_group_id text NOT NULL,
        product_id text NOT NULL,
        effective_priority text NOT NULL,
        status text NOT NULL,
        requests integer NOT NULL,
        PRIMARY KEY (day, customer_id, product_group_id, product_id, effective_priority, status)
      )`);
    await q.query(`
      CREATE FUNCTION rp_open_count(t rp_request, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        k_day timestamptz := date_trunc('day', t.registered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
      BEGIN
        IF t.status = 'CLOSED' THEN RETURN; END IF;
        INSERT INTO rp_open_day AS h (day, customer_id, product_group_id, product_id, effective_priority, status, requests)
        VALUES (k_day, t.customer_id, coalesce(t.product_group_id, ''), coalesce(t.product_id, ''), t.effective_priority, t.status, sign)
        ON CONFLICT (day, customer_id, product_group_id, product_id, effective_priority, status) DO UPDATE
          SET requests = h.requests + EXCLUDED.requests;
        IF sign < 0 THEN
          DELETE FROM rp_open_day
           WHERE day = k_day AND customer_id = t.customer_id AND product_group_id = coalesce(t.product_group_id, '')
             AND product_id = coalesce(t.product_id, '') AND effective_priority = t.effective_priority AND status = t.status
             AND requests = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION rp_open_request_keep() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM rp_open_count(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM rp_open_count(NEW, 1); END IF;
        IF TG_OP = 'DELETE' OR NEW.status = 'CLOSED' THEN
          DELETE FROM rp_open_request WHERE request_id = OLD.request_id;
          IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.request_id <> NEW.request_id THEN
          DELETE FROM rp_open_request WHERE request_id = OLD.request_id;
        END IF;
        IF NEW.status <> 'CLOSED' THEN
          INSERT INTO rp_open_request AS o (request_id, number, type, customer_id, product_id, product_group_id, effective_priority,
                                            status, title, registered_at, first_response_at, change_ref)
          VALUES (NEW.request_id, NEW.number, NEW.type, NEW.customer_id, NEW.product_id, NEW.product_group_id, NEW.effective_priority,
                  NEW.status, NEW.title, NEW.registered_at, NEW.first_response_at, NEW.change_ref)
          ON CONFLICT (request_id) DO UPDATE SET number = EXCLUDED.number, type = EXCLUDED.type, customer_id = EXCLUDED.customer_id,
            product_id = EXCLUDED.product_id, product_group_id = EXCLUDED.product_group_id,
            effective_priority = EXCLUDED.effective_priority, status = EXCLUDED.status, title = EXCLUDED.title,
            registered_at = EXCLUDED.registered_at, first_response_at = EXCLUDED.first_response_at, change_ref = EXCLUDED.change_ref;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER rp_open_request_keep AFTER INSERT OR DELETE ON rp_request
        FOR EACH ROW EXECUTE FUNCTION rp_open_request_keep()`);
    await q.query(`
      CREATE TRIGGER rp_open_request_keep_update AFTER UPDATE ON rp_request FOR EACH ROW
        WHEN ((OLD.request_id, OLD.number, OLD.type, OLD.customer_id, OLD.product_id, OLD.product_group_id, OLD.effective_priority,
               OLD.status, OLD.title, OLD.registered_at, OLD.first_response_at, OLD.change_ref)
              IS DISTINCT FROM
              (NEW.request_id, NEW.number, NEW.type, NEW.customer_id, NEW.product_id, NEW.product_group_id, NEW.effective_priority,
               NEW.status, NEW.title, NEW.registered_at, NEW.first_response_at, NEW.change_ref))
        EXECUTE FUNCTION rp_open_request_keep()`);
    await q.query(`INSERT INTO rp_open_request ${OPEN_REQUEST_SELECT}`);
    await q.query(OPEN_DAY_RECOUNT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rp_open_request_keep_update ON rp_request`);
    await q.query(`DROP TRIGGER rp_open_request_keep ON rp_request`);
    await q.query(`DROP FUNCTION rp_open_request_keep()`);
    await q.query(`DROP FUNCTION rp_open_count(rp_request, integer)`);
    await q.query(`DROP TABLE rp_open_day`);
    await q.query(`DROP TABLE rp_open_request`);
  }
}

/** The open requests from scratch (the migration's fill; the bench and the specs use it too). */
export const OPEN_REQUEST_SELECT = `
  SELECT request_id, number, type, customer_id, product_id, product_group_id, effective_priority, status, title,
         registered_at, first_response_at, change_ref
    FROM rp_request WHERE status <> 'CLOSED'`;

/** The open requests per day of registration from scratch. */
export const OPEN_DAY_RECOUNT = `
  INSERT INTO rp_open_day (day, customer_id, product_group_id, product_id, effective_priority, status, requests)
  SELECT date_trunc('day', registered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', customer_id, coalesce(product_group_id, ''),
         coalesce(product_id, ''), effective_priority, status, count(*)::int
    FROM rp_request WHERE status <> 'CLOSED' GROUP BY 1, 2, 3, 4, 5, 6`;
