import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReleaseTesting1764000000700 implements MigrationInterface {
  name = 'CreateReleaseTesting1764000000700';

  async up(q: QueryRunner): Promise<void> {
    // Products live in the requests service: product_id is its id, not a foreign key.
    await q.query(`
      CREATE TABLE release (
        id uuid PRIMARY KEY,
        product_id text NOT NULL,
        release_version text NOT NULL,
        planned_production_date timestamptz NOT NULL,
        release_notes text NOT NULL,
        status text NOT NULL,
        decision text,
        published_at timestamptz,
        known_issues text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        version integer NOT NULL,
        UNIQUE (product_id, release_version)
      )`);
    await q.query(`CREATE INDEX release_product_page ON release (product_id, planned_production_date DESC, id DESC)`);
    await q.query(`CREATE INDEX release_page ON release (planned_production_date DESC, id DESC)`);
    await q.query(`
      CREATE TABLE test_plan (
        id uuid PRIMARY KEY,
        product_id text NOT NULL,
        name text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX test_plan_product ON test_plan (product_id, name, id)`);
    await q.query(`
      CREATE TABLE test_case (
        id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES test_plan (id),
        position integer NOT NULL,
        title text NOT NULL,
        steps text[] NOT NULL,
        expected_result text NOT NULL,
        criticality text NOT NULL,
        UNIQUE (plan_id, position)
      )`);
    await q.query(`
      CREATE TABLE test_run (
        id uuid PRIMARY KEY,
        release_id uuid NOT NULL REFERENCES release (id),
        test_plan_id uuid NOT NULL REFERENCES test_plan (id),
        number integer NOT NULL,
        status text NOT NULL,
        tester_ids text[] NOT NULL,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL,
        completed_by text,
        completed_at timestamptz,
        version integer NOT NULL,
        UNIQUE (release_id, number)
      )`);
    // At most one open run per release, whatever races.
    await q.query(`CREATE UNIQUE INDEX test_run_one_open ON test_run (release_id) WHERE status = 'OPEN'`);
    // The cases of a run are copied from the plan when it starts: later plan edits leave history alone.
    await q.query(`
      CREATE TABLE run_case (
        run_id uuid NOT NULL REFERENCES test_run (id),
        case_id uuid NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        steps text[] NOT NULL,
        expected_result text NOT NULL,
        criticality text NOT NULL,
        outcome text,
        note text,
        evidence jsonb NOT NULL DEFAULT '[]',
        recorded_by text,
        recorded_at timestamptz,
        version integer NOT NULL,
        PRIMARY KEY (run_id, case_id)
      )`);
    await q.query(`
      CREATE TABLE defect (
        id uuid PRIMARY KEY,
        release_id uuid NOT NULL REFERENCES release (id),
        run_id uuid NOT NULL REFERENCES test_run (id),
        title text NOT NULL,
        description text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL,
        case_ids uuid[] NOT NULL DEFAULT '{}',
        request_ids uuid[] NOT NULL DEFAULT '{}',
        change_refs text[] NOT NULL DEFAULT '{}',
        reported_by text NOT NULL,
        reported_at timestamptz NOT NULL,
        resolution text,
        resolved_by text,
        resolved_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX defect_release ON defect (release_id, reported_at, id)`);
    // Request.releaseDefects: the defects whose request_ids hold a request.
    await q.query(`CREATE INDEX defect_requests ON defect USING gin (request_ids)`);
    // The requests a defect may link to: a read model fed by the requests service's events.
    await q.query(`
      CREATE TABLE request_ref (
        request_id uuid PRIMARY KEY,
        number text NOT NULL,
        customer_id text NOT NULL,
        product_id text,
        version integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE release_decision (
        id uuid PRIMARY KEY,
        release_id uuid NOT NULL REFERENCES release (id),
        run_id uuid NOT NULL REFERENCES test_run (id),
        decision text NOT NULL,
        advice jsonb NOT NULL,
        rationale text NOT NULL,
        deviation_reason text,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX release_decision_release ON release_decision (release_id, decided_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'release_decision',
      'request_ref',
      'defect',
      'run_case',
      'test_run',
      'test_case',
      'test_plan',
      'release',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
