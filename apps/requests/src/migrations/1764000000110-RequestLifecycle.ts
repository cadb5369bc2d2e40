import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The full request model, its conversation, history and product-development changes. */
export class RequestLifecycle1764000000110 implements MigrationInterface {
  name = 'RequestLifecycle1764000000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE request
        ADD COLUMN business_impact text,
        ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN priority text,
        ADD COLUMN priority_justification text,
        ADD COLUMN category text,
        ADD COLUMN product_id text,
        ADD COLUMN team_id text,
        ADD COLUMN assignee_id text,
        ADD COLUMN resume_status text,
        ADD COLUMN wait_reason text,
        ADD COLUMN missing_information jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN waiting_since timestamptz,
        ADD COLUMN reminders_sent int NOT NULL DEFAULT 0,
        ADD COLUMN waited_ms bigint NOT NULL DEFAULT 0,
        ADD COLUMN handover_target text,
        ADD COLUMN handed_over_at timestamptz,
        ADD COLUMN change_ref text,
        ADD COLUMN solution text,
        ADD COLUMN solution_kind text,
        ADD COLUMN solution_article_id text,
        ADD COLUMN solution_proposed_at timestamptz,
        ADD COLUMN mutation_executed_by text,
        ADD COLUMN mutation_description text,
        ADD COLUMN completion_reason text,
        ADD COLUMN previous_completion_reason text,
        ADD COLUMN follow_up_of_id uuid REFERENCES request (id),
        ADD COLUMN reopen_count int NOT NULL DEFAULT 0,
        ADD COLUMN first_response_at timestamptz,
        ADD COLUMN assigned_at timestamptz,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN updated_at timestamptz`);
    await q.query(`UPDATE request SET updated_at = registered_at`);
    await q.query(`ALTER TABLE request ALTER COLUMN updated_at SET NOT NULL`);
    // The queue order (High to Low, then oldest first) as a column an index can serve.
    await q.query(`
      ALTER TABLE request ADD COLUMN priority_rank smallint GENERATED ALWAYS AS (
        CASE COALESCE(priority, requested_priority) WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END) STORED`);
    // 'simple' configuration: texts are Dutch and English, no stemming beats a wrong one.
    await q.query(`
      ALTER TABLE request ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(number, '') || ' ' || coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED`);
    await q.query(`CREATE INDEX request_search ON request USING gin (search)`);
    await q.query(
      `CREATE INDEX request_open_queue ON request (priority_rank, registered_at, id) WHERE status <> 'CLOSED'`,
    );
    await q.query(
      `CREATE INDEX request_team_queue ON request (team_id, priority_rank, registered_at, id) WHERE status <> 'CLOSED'`,
    );
    await q.query(
      `CREATE INDEX request_assignee_queue ON request (assignee_id, priority_rank, registered_at, id) WHERE status <> 'CLOSED'`,
    );
    await q.query(`CREATE INDEX request_registered ON request (registered_at DESC, id DESC)`);
    await q.query(`CREATE INDEX request_status ON request (status, registered_at DESC)`);
    await q.query(`CREATE INDEX request_product ON request (product_id, registered_at DESC)`);
    await q.query(`CREATE INDEX request_change_ref ON request (change_ref) WHERE change_ref IS NOT NULL`);

    await q.query(`
      CREATE TABLE request_reply (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        request_id uuid NOT NULL REFERENCES request (id),
        author_id text NOT NULL,
        side text NOT NULL,
        visibility text NOT NULL,
        kind text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX request_reply_request ON request_reply (request_id, seq)`);
    await q.query(`
      CREATE TABLE request_history (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        request_id uuid NOT NULL REFERENCES request (id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_id text NOT NULL,
        at timestamptz NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX request_history_request ON request_history (request_id, seq)`);
    await q.query(`
      CREATE TABLE product_change (
        ref text PRIMARY KEY,
        title text,
        kind text NOT NULL,
        linked_by text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      `ALTER TABLE request ADD CONSTRAINT request_change_ref_fk FOREIGN KEY (change_ref) REFERENCES product_change (ref)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request DROP CONSTRAINT request_change_ref_fk`);
    await q.query('DROP TABLE product_change');
    await q.query('DROP TABLE request_history');
    await q.query('DROP TABLE request_reply');
    for (const index of [
      'request_search',
      'request_open_queue',
      'request_team_queue',
      'request_assignee_queue',
      'request_registered',
      'request_status',
      'request_product',
      'request_change_ref',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`
      ALTER TABLE request
        DROP COLUMN search, DROP COLUMN priority_rank, DROP COLUMN business_impact, DROP COLUMN evidence, DROP COLUMN priority,
        DROP COLUMN priority_justification, DROP COLUMN category, DROP COLUMN product_id, DROP COLUMN team_id, DROP COLUMN assignee_id,
        DROP COLUMN resume_status, DROP COLUMN wait_reason, DROP COLUMN missing_information, DROP COLUMN waiting_since,
        DROP COLUMN reminders_sent, DROP COLUMN waited_ms, DROP COLUMN handover_target, DROP COLUMN handed_over_at,
        DROP COLUMN change_ref, DROP COLUMN solution, DROP COLUMN solution_kind, DROP COLUMN solution_article_id,
        DROP COLUMN solution_proposed_at, DROP COLUMN mutation_executed_by, DROP COLUMN mutation_description,
        DROP COLUMN completion_reason, DROP COLUMN previous_completion_reason, DROP COLUMN follow_up_of_id,
        DROP COLUMN reopen_count, DROP COLUMN first_response_at, DROP COLUMN assigned_at, DROP COLUMN accepted_at,
        DROP COLUMN closed_at, DROP COLUMN updated_at`);
  }
}
