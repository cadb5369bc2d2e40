import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The response-time report from maintained state (docs/reporting.md, "Rollups"): instead of
 * aggregating every open request at each query, it reads
 *
 * - rp_open_response: per customer × product group × product × priority (the report filters),
 *   the open requests responded to with the sum of their response times, and those waiting with
 *   the sum of their registration times (exact numeric sums: the averages are sum / count, the
 *   average wait `now − sum / count`).
 * - rp_open_response_bucket: the responded ones counted per response-time bucket (16 per
 *   e-fold of seconds, about 6 % wide: at most ~300 buckets), with the same dimensions. The
 *   median's position falls in one bucket; the one or two middle values are read by an
 *   index-only scan from that bucket's start, never from the shortest response.
 * - rp_open_request.response_seconds and .response_bucket (generated columns) and two partial
 *   indexes per product group: the longest response and the longest wait are an index's first
 *   entry.
 *
 * A trigger on rp_open_request keeps both tables, so they follow the open requests through
 * reopenings, late first responses and closings.
 */
export class OpenResponseCounters1764000000460 implements MigrationInterface {
  name = 'OpenResponseCounters1764000000460';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rp_open_request ADD COLUMN response_seconds numeric
        GENERATED ALWAYS AS (extract(epoch FROM first_response_at - registered_at)) STORED`);
    // Monotonic in the response time (negative for a response recorded before the registration).
    await q.query(`
      ALTER TABLE rp_open_request ADD COLUMN response_bucket integer
        GENERATED ALWAYS AS ((sign(extract(epoch FROM first_response_at - registered_at))
                              * floor(16 * ln(1 + abs(extract(epoch FROM first_response_at - registered_at)))))::integer) STORED`);
    await q.query(`
      CREATE INDEX rp_open_request_response ON rp_open_request ((coalesce(product_group_id, '')), response_bucket, response_seconds)
        INCLUDE (product_group_id, customer_id, product_id, effective_priority) WHERE first_response_at IS NOT NULL`);
    await q.query(`
      CREATE INDEX rp_open_request_waiting ON rp_open_request ((coalesce(product_group_id, '')), registered_at)
        INCLUDE (product_group_id, customer_id, product_id, effective_priority) WHERE first_response_at IS NULL`);
    await q.query(`
      CREATE TABLE rp_open_response (
        product_group_id text NOT NULL,
        customer_id text NOT NULL,
        product_id text NOT NULL,
        effective_priority text NOT NULL,
        responded integer NOT NULL,
        response_seconds numeric(24, 6) NOT NULL,
        waiting integer NOT NULL,
        waiting_registered_epoch numeric(24, 6) NOT NULL,
        PRIMARY KEY (product_group_id, customer_id, product_id, effective_priority)
      )`);
    await q.query(`
      CREATE TABLE rp_open_response_bucket (
        product_group_id text NOT NULL,
        customer_id text NOT NULL,
        product_id text NOT NULL,
        effective_priority text NOT NULL,
        bucket integer NOT NULL,
        responded integer NOT NULL,
        PRIMARY KEY (product_group_id, customer_id, product_id, effective_priority, bucket)
      )`);
    await q.query(`
      CREATE FUNCTION rp_open_response_count(o rp_open_request, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        answered boolean := o.first_response_at IS NOT NULL;
      BEGIN
        INSERT INTO rp_open_response AS c (product_group_id, customer_id, product_id, effective_priority,
                                           responded, response_seconds, waiting, waiting_registered_epoch)
        VALUES (coalesce(o.product_group_id, ''), o.customer_id, coalesce(o.product_id, ''), o.effective_priority,
                CASE WHEN answered THEN sign ELSE 0 END,
                CASE WHEN answered THEN sign * o.response_seconds ELSE 0 END,
                CASE WHEN answered THEN 0 ELSE sign END,
                CASE WHEN answered THEN 0 ELSE sign * extract(epoch FROM o.registered_at) END)
        ON CONFLICT (product_group_id, customer_id, product_id, effective_priority) DO UPDATE
          SET responded = c.responded + EXCLUDED.responded, response_seconds = c.response_seconds + EXCLUDED.response_seconds,
              waiting = c.waiting + EXCLUDED.waiting,
              waiting_registered_epoch = c.waiting_registered_epoch + EXCLUDED.waiting_registered_epoch;
        IF sign < 0 THEN
          DELETE FROM rp_open_response
           WHERE product_group_id = coalesce(o.product_group_id, '') AND customer_id = o.customer_id
             AND product_id = coalesce(o.product_id, '') AND effective_priority = o.effective_priority
             AND responded = 0 AND waiting = 0;
        END IF;
        IF NOT answered THEN RETURN; END IF;
        INSERT INTO rp_open_response_bucket AS b (product_group_id, customer_id, product_id, effective_priority, bucket, responded)
        VALUES (coalesce(o.product_group_id, ''), o.customer_id, coalesce(o.product_id, ''), o.effective_priority, o.response_bucket, sign)
        ON CONFLICT (product_group_id, customer_id, product_id, effective_priority, bucket) DO UPDATE
          SET responded = b.responded + EXCLUDED.responded;
        IF sign < 0 THEN
          DELETE FROM rp_open_response_bucket
           WHERE product_group_id = coalesce(o.product_group_id, '') AND customer_id = o.customer_id
             AND product_id = coalesce(o.product_id, '') AND effective_priority = o.effective_priority
             AND bucket = o.response_bucket AND responded = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION rp_open_response_keep() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM rp_open_response_count(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM rp_open_response_count(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER rp_open_response_keep AFTER INSERT OR DELETE ON rp_open_request
        FOR EACH ROW EXECUTE FUNCTION rp_open_response_keep()`);
    await q.query(`
      CREATE TRIGGER rp_open_response_keep_update AFTER UPDATE ON rp_open_request FOR EACH ROW
        WHEN ((OLD.customer_id, OLD.product_id, OLD.product_group_id, OLD.effective_priority, OLD.registered_at, OLD.first_response_at)
              IS DISTINCT FROM
              (NEW.customer_id, NEW.product_id, NEW.product_group_id, NEW.effective_priority, NEW.registered_at, NEW.first_response_at))
        EXECUTE FUNCTION rp_open_response_keep()`);
    await q.query(OPEN_RESPONSE_RECOUNT);
    await q.query(OPEN_RESPONSE_BUCKET_RECOUNT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rp_open_response_keep_update ON rp_open_request`);
    await q.query(`DROP TRIGGER rp_open_response_keep ON rp_open_request`);
    await q.query(`DROP FUNCTION rp_open_response_keep()`);
    await q.query(`DROP FUNCTION rp_open_response_count(rp_open_request, integer)`);
    await q.query(`DROP TABLE rp_open_response_bucket`);
    await q.query(`DROP TABLE rp_open_response`);
    await q.query(`DROP INDEX rp_open_request_waiting`);
    await q.query(`DROP INDEX rp_open_request_response`);
    await q.query(`ALTER TABLE rp_open_request DROP COLUMN response_bucket`);
    await q.query(`ALTER TABLE rp_open_request DROP COLUMN response_seconds`);
  }
}

/** rp_open_response from scratch, over the open requests. */
export const OPEN_RESPONSE_RECOUNT = `
  INSERT INTO rp_open_response (product_group_id, customer_id, product_id, effective_priority,
                                responded, response_seconds, waiting, waiting_registered_epoch)
  SELECT coalesce(product_group_id, ''), customer_id, coalesce(product_id, ''), effective_priority,
         count(first_response_at)::int, coalesce(sum(response_seconds), 0),
         count(*) FILTER (WHERE first_response_at IS NULL)::int,
         coalesce(sum(extract(epoch FROM registered_at)) FILTER (WHERE first_response_at IS NULL), 0)
    FROM rp_open_request GROUP BY 1, 2, 3, 4`;

/** rp_open_response_bucket from scratch, over the open requests responded to. */
export const OPEN_RESPONSE_BUCKET_RECOUNT = `
  INSERT INTO rp_open_response_bucket (product_group_id, customer_id, product_id, effective_priority, bucket, responded)
  SELECT coalesce(product_group_id, ''), customer_id, coalesce(product_id, ''), effective_priority, response_bucket, count(*)::int
    FROM rp_open_request WHERE first_response_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`;
