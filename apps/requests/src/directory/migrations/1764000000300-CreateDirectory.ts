import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory: product groups, teams, products, customers with their contract facts,
 * people and team memberships. Constraint and index names matter: the repository turns
 * unique violations into CONFLICT errors naming the input field by them.
 */
export class CreateDirectory1764000000300 implements MigrationInterface {
  name = 'CreateDirectory1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE product_group (id text PRIMARY KEY, name text NOT NULL)`);
    // Names are unique ignoring case: "Payroll" and "payroll" would confuse everyone choosing one.
    await q.query(`CREATE UNIQUE INDEX product_group_name_unique ON product_group (lower(name))`);

    await q.query(`CREATE TABLE team (id text PRIMARY KEY, name text NOT NULL, lead_id text)`);
    await q.query(`CREATE UNIQUE INDEX team_name_unique ON team (lower(name))`);

    await q.query(`
      CREATE TABLE person (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        customer_id text
      )`);
    await q.query(`CREATE UNIQUE INDEX person_email_unique ON person (lower(email))`);
    // Lists are in name order, paged by (name, id); customer users are listed per organisation.
    await q.query(`CREATE INDEX person_name ON person (name, id)`);
    await q.query(`CREATE INDEX person_customer_name ON person (customer_id, name, id) WHERE customer_id IS NOT NULL`);
    // people(role: ...) filters with roles @> ARRAY[role], which a GIN index serves.
    await q.query(`CREATE INDEX person_roles ON person USING gin (roles)`);

    await q.query(`
      CREATE TABLE customer (
        id text PRIMARY KEY,
        name text NOT NULL,
        application_services_contract boolean NOT NULL,
        base_bundle_hours int NOT NULL CHECK (base_bundle_hours >= 0),
        credit_bundle_hours int NOT NULL CHECK (credit_bundle_hours >= 0),
        service_manager_id text REFERENCES person (id),
        customer_success_manager_id text REFERENCES person (id),
        language text NOT NULL CHECK (language IN ('NL', 'EN'))
      )`);
    await q.query(`CREATE UNIQUE INDEX customer_name_unique ON customer (lower(name))`);
    await q.query(`CREATE INDEX customer_name ON customer (name, id)`);
    await q.query(
      `CREATE INDEX customer_service_manager ON customer (service_manager_id) WHERE service_manager_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX customer_csm ON customer (customer_success_manager_id) WHERE customer_success_manager_id IS NOT NULL`,
    );

    // person and customer point at each other (users, contacts), and team at its lead:
    // these keys are added once all tables exist.
    await q.query(
      `ALTER TABLE person ADD CONSTRAINT person_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id)`,
    );
    await q.query(`ALTER TABLE team ADD CONSTRAINT team_lead_fk FOREIGN KEY (lead_id) REFERENCES person (id)`);
    await q.query(`CREATE INDEX team_lead ON team (lead_id) WHERE lead_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE product (
        id text PRIMARY KEY,
        name text NOT NULL,
        product_group_id text NOT NULL REFERENCES product_group (id),
        team_id text NOT NULL REFERENCES team (id)
      )`);
    await q.query(`CREATE UNIQUE INDEX product_name_unique ON product (lower(name))`);
    await q.query(`CREATE INDEX product_name ON product (name, id)`);
    await q.query(`CREATE INDEX product_group_name ON product (product_group_id, name, id)`);
    await q.query(`CREATE INDEX product_team_name ON product (team_id, name, id)`);

    await q.query(`
      CREATE TABLE person_team (
        person_id text NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        team_id text NOT NULL REFERENCES team (id) ON DELETE CASCADE,
        PRIMARY KEY (person_id, team_id)
      )`);
    // Team.members and people(teamId: ...) go from the team to its people.
    await q.query(`CREATE INDEX person_team_team ON person_team (team_id, person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person_team');
    await q.query('DROP TABLE product');
    await q.query('ALTER TABLE team DROP CONSTRAINT team_lead_fk');
    await q.query('ALTER TABLE person DROP CONSTRAINT person_customer_fk');
    await q.query('DROP TABLE customer');
    await q.query('DROP TABLE person');
    await q.query('DROP TABLE team');
    await q.query('DROP TABLE product_group');
  }
}
