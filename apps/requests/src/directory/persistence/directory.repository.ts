import type { EntityManager } from 'typeorm';
import type { Role } from '@servicecenter/platform-auth';
import { conflict, type DomainError } from '@servicecenter/platform-errors';
import type {
  ApplicationServicesCondition,
  Customer,
  Language,
  Person,
  Product,
  ProductGroup,
  Team,
} from '../domain/directory';
import type {
  CustomerFilter,
  DirectoryReader,
  DirectoryStore,
  Page,
  PeopleParent,
  PersonAssignments,
  PersonFilter,
  ProductFilter,
} from '../domain/ports';
import { withConstraintErrors } from './constraint-errors';
import {
  CustomerEntity,
  PersonEntity,
  PersonTeamEntity,
  ProductEntity,
  ProductGroupEntity,
  TeamEntity,
} from './directory.entities';
import { SqlWhere } from '@servicecenter/platform-database';
import { containsPattern, nameKey } from './sql';

type Row = Record<string, unknown>;

const toGroup = (r: Row): ProductGroup => ({ id: r.id as string, name: r.name as string });
const toTeam = (r: Row): Team => ({ id: r.id as string, name: r.name as string, leadId: r.lead_id as string | null });
const toProduct = (r: Row): Product => ({
  id: r.id as string,
  name: r.name as string,
  productGroupId: r.product_group_id as string,
  teamId: r.team_id as string,
});
const toCustomer = (r: Row): Customer => ({
  id: r.id as string,
  name: r.name as string,
  applicationServicesContract: r.application_services_contract as boolean,
  applicationServicesConditions: (r.application_services_conditions as ApplicationServicesCondition[] | null) ?? [],
  baseBundleHours: r.base_bundle_hours as number,
  creditBundleHours: r.credit_bundle_hours as number,
  serviceManagerId: r.service_manager_id as string | null,
  customerSuccessManagerId: r.customer_success_manager_id as string | null,
  language: r.language as Language,
});
const toPerson = (r: Row): Person => ({
  id: r.id as string,
  name: r.name as string,
  email: r.email as string,
  roles: r.roles as Role[],
  customerId: r.customer_id as string | null,
  teamIds: r.team_ids as string[],
});

// A person with their team ids in one row: the correlated ARRAY() keeps it one statement.
const PERSON_COLUMNS = `p.id, p.name, p.email, p.roles, p.customer_id,
  ARRAY(SELECT pt.team_id FROM person_team pt WHERE pt.person_id = p.id ORDER BY pt.team_id) AS team_ids`;

const duplicate = (what: string, field: string, value: string) => () =>
  conflict(`A ${what} with ${field.replace('input.', '')} "${value}" already exists`, { field });

/**
 * The directory's rows <-> domain types. Every *ByIds call and every page is one SQL
 * statement, so DataLoaders turn a GraphQL response into one query per batch.
 */
export class DirectoryRepository implements DirectoryReader, DirectoryStore {
  constructor(private readonly manager: EntityManager) {}

  private async byIds<T>(table: string, ids: readonly string[], map: (r: Row) => T): Promise<T[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await this.manager.query(`SELECT * FROM ${table} WHERE id = ANY($1::text[])`, [[...ids]]);
    return rows.map(map);
  }

  productGroupsByIds = (ids: readonly string[]) => this.byIds('product_group', ids, toGroup);
  teamsByIds = (ids: readonly string[]) => this.byIds('team', ids, toTeam);
  productsByIds = (ids: readonly string[]) => this.byIds('product', ids, toProduct);
  customersByIds = (ids: readonly string[]) => this.byIds('customer', ids, toCustomer);

  async peopleByIds(ids: readonly string[]): Promise<Person[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await this.manager.query(
      `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::text[])`,
      [[...ids]],
    );
    return rows.map(toPerson);
  }

  // ---- lists -------------------------------------------------------------------------

  private customerWhere(filter: CustomerFilter): SqlWhere {
    const where = new SqlWhere();
    if (filter.search) where.and(`c.name ILIKE ${where.param(containsPattern(filter.search))}`);
    if (filter.onlyId !== undefined) where.and(`c.id = ${where.param(filter.onlyId)}`);
    return where;
  }

  async customers(filter: CustomerFilter, page: Page): Promise<Customer[]> {
    const where = this.customerWhere(filter).after(...nameKey('c', page.after));
    const sql = `SELECT c.* FROM customer c ${where} ORDER BY c.name, c.id LIMIT ${where.param(page.limit)}`;
    return (await this.manager.query(sql, where.params)).map(toCustomer);
  }

  countCustomers = (filter: CustomerFilter) => this.count('customer c', this.customerWhere(filter));

  private productWhere(filter: ProductFilter): SqlWhere {
    const where = new SqlWhere();
    if (filter.productGroupId) where.and(`p.product_group_id = ${where.param(filter.productGroupId)}`);
    if (filter.teamId) where.and(`p.team_id = ${where.param(filter.teamId)}`);
    return where;
  }

  async products(filter: ProductFilter, page: Page): Promise<Product[]> {
    const where = this.productWhere(filter).after(...nameKey('p', page.after));
    const sql = `SELECT p.* FROM product p ${where} ORDER BY p.name, p.id LIMIT ${where.param(page.limit)}`;
    return (await this.manager.query(sql, where.params)).map(toProduct);
  }

  countProducts = (filter: ProductFilter) => this.count('product p', this.productWhere(filter));

  async productGroups(): Promise<ProductGroup[]> {
    return (await this.manager.query(`SELECT * FROM product_group ORDER BY name, id`)).map(toGroup);
  }

  async teams(): Promise<Team[]> {
    return (await this.manager.query(`SELECT * FROM team ORDER BY name, id`)).map(toTeam);
  }

  private personWhere(filter: PersonFilter): SqlWhere {
    const where = new SqlWhere();
    if (filter.role) where.and(`p.roles @> ARRAY[${where.param(filter.role)}]::text[]`);
    if (filter.customerId !== undefined) where.and(`p.customer_id = ${where.param(filter.customerId)}`);
    if (filter.teamId) {
      where.and(
        `EXISTS (SELECT 1 FROM person_team m WHERE m.person_id = p.id AND m.team_id = ${where.param(filter.teamId)})`,
      );
    }
    return where;
  }

  async people(filter: PersonFilter, page: Page): Promise<Person[]> {
    const where = this.personWhere(filter).after(...nameKey('p', page.after));
    const sql = `SELECT ${PERSON_COLUMNS} FROM person p ${where} ORDER BY p.name, p.id LIMIT ${where.param(page.limit)}`;
    return (await this.manager.query(sql, where.params)).map(toPerson);
  }

  countPeople = (filter: PersonFilter) => this.count('person p', this.personWhere(filter));

  async peopleOf(parent: PeopleParent, parentIds: readonly string[], page: Page): Promise<Map<string, Person[]>> {
    const result = new Map<string, Person[]>(parentIds.map((id) => [id, []]));
    if (parentIds.length === 0) return result;
    const [parentColumn, join] =
      parent === 'customer' ? ['p.customer_id', ''] : ['m.team_id', 'JOIN person_team m ON m.person_id = p.id'];
    const where = new SqlWhere();
    where.and(`${parentColumn} = ANY(${where.param([...parentIds])}::text[])`).after(...nameKey('p', page.after));
    // One statement for all parents: number each parent's people and keep the first `limit`.
    const rows: Row[] = await this.manager.query(
      `SELECT * FROM (
         SELECT ${PERSON_COLUMNS}, ${parentColumn} AS parent_id,
                row_number() OVER (PARTITION BY ${parentColumn} ORDER BY p.name, p.id) AS position
         FROM person p ${join} ${where}
       ) page WHERE position <= ${where.param(page.limit)} ORDER BY parent_id, position`,
      where.params,
    );
    for (const row of rows) result.get(row.parent_id as string)?.push(toPerson(row));
    return result;
  }

  async countPeopleOf(parent: PeopleParent, parentIds: readonly string[]): Promise<Map<string, number>> {
    const [table, column] = parent === 'customer' ? ['person', 'customer_id'] : ['person_team', 'team_id'];
    const rows: Row[] = parentIds.length
      ? await this.manager.query(
          `SELECT ${column} AS parent_id, count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::text[]) GROUP BY ${column}`,
          [[...parentIds]],
        )
      : [];
    const counts = new Map(rows.map((r) => [r.parent_id as string, r.n as number]));
    return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  private async count(from: string, where: SqlWhere): Promise<number> {
    const [row] = await this.manager.query(`SELECT count(*)::int AS n FROM ${from} ${where}`, where.params);
    return row.n as number;
  }

  async assignmentsOf(personId: string): Promise<PersonAssignments> {
    const [row] = await this.manager.query(
      `SELECT ARRAY(SELECT id FROM team WHERE lead_id = $1 ORDER BY id) AS led,
              ARRAY(SELECT id FROM customer WHERE service_manager_id = $1 ORDER BY id) AS sm,
              ARRAY(SELECT id FROM customer WHERE customer_success_manager_id = $1 ORDER BY id) AS csm`,
      [personId],
    );
    return { ledTeamIds: row.led, serviceManagerOfCustomerIds: row.sm, customerSuccessManagerOfCustomerIds: row.csm };
  }

  // ---- admin writes ------------------------------------------------------------------

  private write(work: () => Promise<unknown>, onConstraint: Record<string, () => DomainError>): Promise<void> {
    return withConstraintErrors(async () => void (await work()), onConstraint);
  }

  insertProductGroup(group: ProductGroup) {
    return this.write(() => this.manager.insert(ProductGroupEntity, group), {
      product_group_pkey: duplicate('product group', 'input.id', group.id),
      product_group_name_unique: duplicate('product group', 'input.name', group.name),
    });
  }

  updateProductGroup(group: ProductGroup) {
    return this.write(() => this.manager.update(ProductGroupEntity, { id: group.id }, { name: group.name }), {
      product_group_name_unique: duplicate('product group', 'input.name', group.name),
    });
  }

  insertTeam(team: Team) {
    return this.write(() => this.manager.insert(TeamEntity, team), {
      team_pkey: duplicate('team', 'input.id', team.id),
      team_name_unique: duplicate('team', 'input.name', team.name),
    });
  }

  updateTeam({ id, ...fields }: Team) {
    return this.write(() => this.manager.update(TeamEntity, { id }, fields), {
      team_name_unique: duplicate('team', 'input.name', fields.name),
    });
  }

  insertProduct(product: Product) {
    return this.write(() => this.manager.insert(ProductEntity, product), {
      product_pkey: duplicate('product', 'input.id', product.id),
      product_name_unique: duplicate('product', 'input.name', product.name),
    });
  }

  updateProduct({ id, ...fields }: Product) {
    return this.write(() => this.manager.update(ProductEntity, { id }, fields), {
      product_name_unique: duplicate('product', 'input.name', fields.name),
    });
  }

  insertCustomer(customer: Customer) {
    return this.write(() => this.manager.insert(CustomerEntity, customer), {
      customer_pkey: duplicate('customer', 'input.id', customer.id),
      customer_name_unique: duplicate('customer', 'input.name', customer.name),
    });
  }

  updateCustomer({ id, ...fields }: Customer) {
    return this.write(() => this.manager.update(CustomerEntity, { id }, fields), {
      customer_name_unique: duplicate('customer', 'input.name', fields.name),
    });
  }

  insertPerson({ teamIds, ...person }: Person) {
    return this.write(
      async () => {
        await this.manager.insert(PersonEntity, person);
        await this.insertMemberships(person.id, teamIds);
      },
      {
        person_pkey: duplicate('person', 'input.id', person.id),
        person_email_unique: duplicate('person', 'input.email', person.email),
      },
    );
  }

  updatePerson({ id, teamIds, ...fields }: Person) {
    return this.write(
      async () => {
        await this.manager.update(PersonEntity, { id }, fields);
        await this.manager.delete(PersonTeamEntity, { personId: id });
        await this.insertMemberships(id, teamIds);
      },
      { person_email_unique: duplicate('person', 'input.email', fields.email) },
    );
  }

  private async insertMemberships(personId: string, teamIds: string[]): Promise<void> {
    if (teamIds.length > 0)
      await this.manager.insert(
        PersonTeamEntity,
        teamIds.map((teamId) => ({ personId, teamId })),
      );
  }
}
