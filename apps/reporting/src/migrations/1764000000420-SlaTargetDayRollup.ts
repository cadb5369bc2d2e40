import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA target counters per day, kept at event time (docs/reporting.md, "Rollups"): one row per
 * calendar day in the report time zone × customer × product group × product × priority ×
 * request type × target × outcome, so compliance and the High-workaround rule read a few
 * thousand rows for a year whatever the size of the desk.
 *
 * A trigger on rp_sla_target keeps them: every insert, update or delete subtracts what the
 * target's old row contributed and adds what its new row contributes, so a target settled
 * again, reopened or corrected moves exactly (the rp_sla_target row is the per-target current
 * state, i.e. what was counted). A settled target counts on the day it was completed under
 * the outcome its event gave (MET, MISSED, or any other state a target may take); a running
 * target that breached counts as RUNNING_BREACHED on the day of its breach. NULL product
 * group / product are stored as '' (a scope filter on them matches neither).
 *
 * The day is taken in the zone stored in rp_rollup_setting ('time_zone'); the reporting
 * service sets it to REPORTING_TIME_ZONE at start and recounts the days if it changed.
 */
export class SlaTargetDayRollup1764000000420 implements MigrationInterface {
  name = 'SlaTargetDayRollup1764000000420';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rp_rollup_setting (key text PRIMARY KEY, value text NOT NULL)`);
    await q.query(`INSERT INTO rp_rollup_setting (key, value) VALUES ('time_zone', 'Europe/Amsterdam')`);
    await q.query(`
      CREATE TABLE rp_sla_target_day (
        day date NOT NULL,
        customer_id text NOT NULL,
        product_group_id text NOT NULL,
        product_id text NOT NULL,
        priority text NOT NULL,
        type text NOT NULL,
        kind text NOT NULL,
        outcome text NOT NULL,
        targets integer NOT NULL,
        within_budget integer NOT NULL,
        within_hard integer NOT NULL,
        PRIMARY KEY (day, customer_id, product_group_id, product_id, priority, type, kind, outcome)
      )`);
    // What one target row contributes (none: not settled and not breached).
    await q.query(`
      CREATE FUNCTION rp_sla_target_count(t rp_sla_target, zone text, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        at timestamptz;
        state text;
        k_day date;
      BEGIN
        IF t.outcome IS NOT NULL AND t.completed_at IS NOT NULL THEN
          at := t.completed_at; state := t.outcome;
        ELSIF t.outcome IS NULL AND t.breached_at IS NOT NULL THEN
          at := t.breached_at; state := 'RUNNING_BREACHED';
        ELSE
          RETURN;
        END IF;
        k_day := (at AT TIME ZONE zone)::date;
        INSERT INTO rp_sla_target_day AS d
          (day, customer_id, product_group_id, product_id, priority, type, kind, outcome, targets, within_budget, within_hard)
        VALUES (k_day, t.customer_id, coalesce(t.product_group_id, ''), coalesce(t.product_id, ''), t.priority, t.type,
                t.kind, state, sign,
                CASE WHEN t.elapsed_ms <= t.budget_ms THEN sign ELSE 0 END,
                CASE WHEN NOT t.hard_limit_exceeded THEN sign ELSE 0 END)
        ON CONFLICT (day, customer_id, product_group_id, product_id, priority, type, kind, outcome) DO UPDATE
          SET targets = d.targets + EXCLUDED.targets,
              within_budget = d.within_budget + EXCLUDED.within_budget,
              within_hard = d.within_hard + EXCLUDED.within_hard;
        IF sign < 0 THEN
          DELETE FROM rp_sla_target_day
           WHERE day = k_day AND customer_id = t.customer_id AND product_group_id = coalesce(t.product_group_id, '')
             AND product_id = coalesce(t.product_id, '') AND priority = t.priority AND type = t.type
             AND kind = t.kind AND outcome = state AND targets = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION rp_sla_target_rollup() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT value FROM rp_rollup_setting WHERE key = 'time_zone');
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM rp_sla_target_count(OLD, zone, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          PERFORM rp_sla_target_count(NEW, zone, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER rp_sla_target_rollup AFTER INSERT OR UPDATE OR DELETE ON rp_sla_target
        FOR EACH ROW EXECUTE FUNCTION rp_sla_target_rollup()`);
    // Targets projected before this migration.
    await q.query(`SELECT rp_sla_target_count(t, 'Europe/Amsterdam', 1) FROM rp_sla_target t`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rp_sla_target_rollup ON rp_sla_target`);
    await q.query(`DROP FUNCTION rp_sla_target_rollup()`);
    await q.query(`DROP FUNCTION rp_sla_target_count(rp_sla_target, text, integer)`);
    await q.query(`DROP TABLE rp_sla_target_day`);
    await q.query(`DROP TABLE rp_rollup_setting`);
  }
}
