import type { Role } from '@servicecenter/platform-auth';
import { waitFor, type GraphClient } from '@servicecenter/testing';
import type { RunningStack } from '../stack';
import { graphql } from '../e2e/generated';
import type { Role as GraphRole } from '../e2e/generated/graphql';

/**
 * A small desk created through the admin mutations of the graph, the way an operator sets
 * one up: two product groups, a team per group, products, two customers (one with an
 * Application Services contract), their users, and the Service Center people.
 */
export const DESK = {
  groups: [
    { id: 'grp-payroll', name: 'Payroll' },
    { id: 'grp-hr', name: 'HR' },
  ],
  teams: [
    { id: 'team-payroll', name: 'Team Payroll' },
    { id: 'team-hr', name: 'Team HR' },
  ],
  products: [
    { id: 'prod-payroll', name: 'Payroll Cloud', productGroupId: 'grp-payroll', teamId: 'team-payroll' },
    { id: 'prod-hr', name: 'HR Core', productGroupId: 'grp-hr', teamId: 'team-hr' },
  ],
  staff: [
    { id: 'p-anna', name: 'Anna de Vries', roles: ['support_consultant'], teamIds: ['team-payroll'] },
    { id: 'p-bram', name: 'Bram Jansen', roles: ['support_consultant'], teamIds: ['team-hr'] },
    { id: 'p-lead', name: 'Lotte Smit', roles: ['team_lead'], teamIds: ['team-payroll'] },
    { id: 'p-msc', name: 'Mark Visser', roles: ['manager_service_center'], teamIds: [] },
    { id: 'p-sm', name: 'Sanne Bos', roles: ['service_manager'], teamIds: [] },
    { id: 'p-pd', name: 'Pieter Dekker', roles: ['pd_change_coordinator'], teamIds: [] },
    { id: 'p-po', name: 'Priya Oosterhout', roles: ['pd_product_owner'], teamIds: [] },
    { id: 'p-msm', name: 'Maarten Smits', roles: ['manager_service_management'], teamIds: [] },
    { id: 'p-uat', name: 'Ursula Ament', roles: ['uat_coordinator'], teamIds: [] },
  ],
  customers: [
    {
      id: 'cust-acme',
      name: 'Acme Logistiek',
      applicationServicesContract: true,
      baseBundleHours: 40,
      creditBundleHours: 20,
      serviceManagerId: 'p-sm',
      language: 'EN',
    },
    {
      id: 'cust-globex',
      name: 'Globex Zorg',
      applicationServicesContract: false,
      baseBundleHours: 20,
      creditBundleHours: 0,
      language: 'NL',
    },
  ],
  users: [
    { id: 'u-acme', name: 'Alice Acme', customerId: 'cust-acme' },
    { id: 'u-acme-2', name: 'Arjen Acme', customerId: 'cust-acme' },
    { id: 'u-globex', name: 'Gerda Globex', customerId: 'cust-globex' },
  ],
} as const;

const gql = (role: string) => role.toUpperCase() as GraphRole;

const CREATE_PRODUCT_GROUP = graphql(`
  mutation DeskCreateProductGroup($input: CreateProductGroupInput!) { createProductGroup(input: $input) { __typename } }`);
const CREATE_TEAM = graphql(`
  mutation DeskCreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { __typename } }`);
const UPDATE_TEAM = graphql(`
  mutation DeskUpdateTeam($input: UpdateTeamInput!) { updateTeam(input: $input) { __typename } }`);
const CREATE_PERSON = graphql(`
  mutation DeskCreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { __typename } }`);
const CREATE_PRODUCT = graphql(`
  mutation DeskCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { __typename } }`);
const CREATE_CUSTOMER = graphql(`
  mutation DeskCreateCustomer($input: CreateCustomerInput!) { createCustomer(input: $input) { __typename } }`);

/**
 * Creates the desk and waits until the services that check product, customer and person ids against
 * their own copy of the directory (escalations, release testing, sla) have received it: the
 * directory's events travel through the outbox, so a release planned a few milliseconds
 * after `createProduct` could otherwise find the product not yet known.
 */
export async function createDesk(ts: { client: GraphClient; stack: RunningStack }): Promise<void> {
  await createDeskRecords(ts.client);
  await directoryKnown(ts.stack, {
    productIds: DESK.products.map((p) => p.id),
    customerIds: DESK.customers.map((c) => c.id),
    personIds: [...DESK.staff, ...DESK.users].map((p) => p.id),
  });
}

/** Waits until escalations, release testing and sla know these products, customers and people (and their teams) from the directory's events. */
export async function directoryKnown(
  stack: RunningStack,
  {
    productIds = [],
    customerIds = [],
    personIds = [],
  }: { productIds?: readonly string[]; customerIds?: readonly string[]; personIds?: readonly string[] },
): Promise<void> {
  const count = async (
    service: 'escalations' | 'release-testing' | 'sla',
    table: string,
    column: string,
    ids: readonly string[],
  ) =>
    (
      (await stack.services[service]
        .runtime()
        .dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::text[])`, [ids])) as {
        n: number;
      }[]
    )[0].n;
  await waitFor(
    async () => [
      await count('escalations', 'product_ref', 'product_id', productIds),
      await count('release-testing', 'product_ref', 'product_id', productIds),
      await count('escalations', 'customer_relation', 'customer_id', customerIds),
      await count('sla', 'customer_ref', 'customer_id', customerIds),
      await count('release-testing', 'person_ref', 'person_id', personIds),
      // The teams of the people, for the team lead deciding its own product's asks (raci.csv row 98).
      await count('escalations', 'person_team', 'person_id', personIds),
    ],
    ([escalations, releaseTesting, customers, slaCustomers, people, teams]) =>
      escalations === productIds.length &&
      releaseTesting === productIds.length &&
      customers === customerIds.length &&
      slaCustomers === customerIds.length &&
      people === personIds.length &&
      teams === personIds.length,
    { what: 'the directory to reach escalations, release testing and sla' },
  );
}

async function createDeskRecords(client: GraphClient): Promise<void> {
  const admin = await client.token('admin', { sub: 'p-admin' });
  for (const g of DESK.groups) await client.ok(CREATE_PRODUCT_GROUP, { input: g }, admin);
  for (const t of DESK.teams) await client.ok(CREATE_TEAM, { input: t }, admin);
  for (const p of DESK.staff)
    await client.ok(
      CREATE_PERSON,
      {
        input: {
          id: p.id,
          name: p.name,
          email: `${p.id}@servicecenter.example`,
          roles: p.roles.map(gql),
          teamIds: [...p.teamIds],
        },
      },
      admin,
    );
  await client.ok(UPDATE_TEAM, { input: { id: 'team-payroll', leadId: 'p-lead' } }, admin);
  for (const p of DESK.products) await client.ok(CREATE_PRODUCT, { input: p }, admin);
  for (const c of DESK.customers) await client.ok(CREATE_CUSTOMER, { input: c }, admin);
  for (const u of DESK.users)
    await client.ok(
      CREATE_PERSON,
      {
        input: {
          id: u.id,
          name: u.name,
          email: `${u.id}@customer.example`,
          roles: ['CUSTOMER'],
          customerId: u.customerId,
        },
      },
      admin,
    );
}

/** A bearer token for a person of the fixture (their roles and organisation). */
export function tokenFor(client: GraphClient, personId: string): Promise<string> {
  const staff = DESK.staff.find((p) => p.id === personId);
  if (staff) return client.token([...staff.roles] as Role[], { sub: staff.id, name: staff.name });
  const user = DESK.users.find((u) => u.id === personId);
  if (user) return client.token('customer', { sub: user.id, customerId: user.customerId, name: user.name });
  throw new Error(`no person ${personId} in the fixture`);
}
