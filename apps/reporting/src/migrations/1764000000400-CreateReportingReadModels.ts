import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporting service's own copy of the events it consumed (event_journal, append-only)
 * and the projections the reports aggregate over (rp_*). Projections can be truncated and
 * rebuilt from the journal or the topics at any time; the journal is never truncated.
 */
export class CreateReportingReadModels1764000000400 implements MigrationInterface {
  name = 'CreateReportingReadModels1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_journal (
        position bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        sequence text NOT NULL,
        time timestamptz NOT NULL,
        topic text NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE rp_freshness (
        topic text PRIMARY KEY,
        last_event_id text NOT NULL,
        last_event_type text NOT NULL,
        last_event_time timestamptz NOT NULL,
        last_sequence text NOT NULL,
        events_applied bigint NOT NULL DEFAULT 0,
        applied_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rp_request (
        request_id uuid PRIMARY KEY,
        number text NOT NULL,
        type text NOT NULL,
        customer_id text NOT NULL,
        product_id text,
        product_group_id text,
        team_id text,
        requested_priority text NOT NULL,
        priority text,
        effective_priority text NOT NULL,
        status text NOT NULL,
        title text,
        registered_at timestamptz NOT NULL,
        first_response_at timestamptz,
        first_solution_at timestamptz,
        handed_over_to text,
        handed_over_version integer,
        change_ref text,
        change_customer_count integer,
        change_version integer,
        closed_at timestamptz,
        completion_reason text,
        closed_version integer,
        version integer NOT NULL,
        sequence text NOT NULL
      )`);
    // The open-work reports scan open requests by group and priority; history by registration time.
    await q.query(
      `CREATE INDEX rp_request_open ON rp_request (product_group_id, effective_priority, registered_at) WHERE status <> 'CLOSED'`,
    );
    await q.query(`CREATE INDEX rp_request_open_age ON rp_request (registered_at) WHERE status <> 'CLOSED'`);
    await q.query(`CREATE INDEX rp_request_customer ON rp_request (customer_id, status)`);
    await q.query(`CREATE INDEX rp_request_registered ON rp_request (registered_at)`);
    await q.query(`CREATE INDEX rp_request_change ON rp_request (change_ref) WHERE change_ref IS NOT NULL`);
    await q.query(`
      CREATE TABLE rp_booking (
        booking_id uuid PRIMARY KEY,
        request_id uuid NOT NULL,
        customer_id text NOT NULL,
        product_group_id text,
        product_id text,
        hours numeric(10, 2) NOT NULL,
        work_date date NOT NULL,
        booked_by text NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_booking_customer_date ON rp_booking (customer_id, work_date)`);
    await q.query(`
      CREATE TABLE rp_survey (
        request_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        product_group_id text,
        product_id text,
        priority text,
        score integer NOT NULL,
        comment text,
        answered_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_survey_answered ON rp_survey (answered_at)`);
    await q.query(`
      CREATE TABLE rp_customer (
        customer_id text PRIMARY KEY,
        name text NOT NULL,
        service_manager_id text,
        customer_success_manager_id text,
        base_bundle_hours numeric(10, 2) NOT NULL,
        credit_bundle_hours numeric(10, 2) NOT NULL,
        language text NOT NULL,
        saved_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rp_sla_target (
        request_id uuid NOT NULL,
        kind text NOT NULL,
        customer_id text NOT NULL,
        product_id text,
        product_group_id text,
        type text NOT NULL,
        priority text NOT NULL,
        outcome text,
        started_at timestamptz,
        completed_at timestamptz,
        due_at timestamptz,
        elapsed_ms double precision,
        paused_ms double precision,
        budget_ms double precision NOT NULL,
        hard_limit_ms double precision,
        hard_limit_exceeded boolean NOT NULL DEFAULT false,
        breached_at timestamptz,
        request_version integer NOT NULL DEFAULT 0,
        sequence text NOT NULL DEFAULT '',
        PRIMARY KEY (request_id, kind)
      )`);
    await q.query(`CREATE INDEX rp_sla_target_completed ON rp_sla_target (completed_at) WHERE outcome IS NOT NULL`);
    await q.query(
      `CREATE INDEX rp_sla_target_breached ON rp_sla_target (breached_at) WHERE outcome IS NULL AND breached_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE rp_escalation (
        escalation_id uuid PRIMARY KEY,
        number text NOT NULL,
        customer_id text NOT NULL,
        request_ids uuid[] NOT NULL,
        status text NOT NULL,
        opened_at timestamptz,
        closed_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_escalation_customer ON rp_escalation (customer_id, opened_at)`);
    await q.query(`
      CREATE TABLE rp_escalation_activity (
        event_id text PRIMARY KEY,
        kind text NOT NULL,
        customer_id text NOT NULL,
        request_id uuid,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_escalation_activity_customer ON rp_escalation_activity (customer_id, occurred_at)`);
    await q.query(`
      CREATE TABLE rp_disruption (
        notice_id uuid PRIMARY KEY,
        number text NOT NULL,
        product_id text NOT NULL,
        title text NOT NULL,
        status text NOT NULL,
        started_at timestamptz,
        published_at timestamptz,
        resolved_at timestamptz,
        affected_customer_ids text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_disruption_customers ON rp_disruption USING gin (affected_customer_ids)`);
    // Promised updates (nextUpdateDueAt of a published/updated notice) and the updates given.
    await q.query(`
      CREATE TABLE rp_disruption_promise (
        notice_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        promised_at timestamptz NOT NULL,
        overdue boolean NOT NULL DEFAULT false,
        PRIMARY KEY (notice_id, due_at)
      )`);
    await q.query(`
      CREATE TABLE rp_disruption_update (
        notice_id uuid NOT NULL,
        given_at timestamptz NOT NULL,
        PRIMARY KEY (notice_id, given_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'rp_disruption_update',
      'rp_disruption_promise',
      'rp_disruption',
      'rp_escalation_activity',
      'rp_escalation',
      'rp_sla_target',
      'rp_customer',
      'rp_survey',
      'rp_booking',
      'rp_request',
      'rp_freshness',
      'event_journal',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
