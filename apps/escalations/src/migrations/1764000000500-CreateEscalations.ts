import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEscalations1764000000500 implements MigrationInterface {
  name = 'CreateEscalations1764000000500';

  async up(q: QueryRunner): Promise<void> {
    // The requests this service knows, from request events only (never the requests database).
    await q.query(`
      CREATE TABLE request_view (
        request_id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        type text NOT NULL,
        customer_id text NOT NULL,
        product_id text,
        product_group_id text,
        team_id text,
        requested_priority text,
        priority text,
        status text NOT NULL,
        last_public_update_at timestamptz,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX request_view_customer ON request_view (customer_id)`);
    await q.query(`
      CREATE TABLE escalation_number_counter (
        year integer PRIMARY KEY,
        last integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE escalation (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        customer_id text NOT NULL,
        status text NOT NULL,
        reason text NOT NULL,
        business_impact text NOT NULL,
        desired_outcome text NOT NULL,
        opened_by text NOT NULL,
        opened_at timestamptz NOT NULL,
        outcome text,
        closed_by text,
        closed_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX escalation_customer ON escalation (customer_id, opened_at DESC)`);
    await q.query(`CREATE INDEX escalation_status ON escalation (status, opened_at DESC)`);
    await q.query(`
      CREATE TABLE escalation_request (
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        request_id uuid NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (escalation_id, request_id)
      )`);
    await q.query(`CREATE INDEX escalation_request_request ON escalation_request (request_id)`);
    await q.query(`
      CREATE TABLE escalation_step (
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        position integer NOT NULL,
        step text NOT NULL,
        by text NOT NULL,
        at timestamptz NOT NULL,
        note text NOT NULL,
        PRIMARY KEY (escalation_id, position),
        UNIQUE (escalation_id, step)
      )`);
    await q.query(`
      CREATE TABLE request_ask (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL,
        request_id uuid NOT NULL,
        request_number text NOT NULL,
        escalation_id uuid REFERENCES escalation (id),
        priority text,
        reason text,
        question text,
        asked_by text NOT NULL,
        asked_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        decision_reason text,
        answer text,
        took_effect_at timestamptz
      )`);
    await q.query(`CREATE INDEX request_ask_request ON request_ask (request_id, asked_at DESC)`);
    await q.query(`CREATE INDEX request_ask_escalation ON request_ask (escalation_id) WHERE escalation_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE urgent_call (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL,
        request_number text NOT NULL,
        escalation_id uuid REFERENCES escalation (id),
        customer_contact text NOT NULL,
        summary text NOT NULL,
        assessed_impact text NOT NULL,
        priority_at_call text,
        impact_higher_than_priority boolean NOT NULL,
        logged_by text NOT NULL,
        logged_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX urgent_call_request ON urgent_call (request_id, logged_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'urgent_call',
      'request_ask',
      'escalation_step',
      'escalation_request',
      'escalation',
      'escalation_number_counter',
      'request_view',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
