import { GraphQLEnumType } from 'graphql';
import { ANONYMOUS, ROLES, type Caller } from '@servicecenter/platform-auth';
import { directoryData } from '../testing/demo-data';
import { directoryLoaders, peopleLoaders, type DirectoryContext } from '../context';
import { directoryAdmin } from '../domain/directory-admin';
import { caller, dataOf, directorySchema, execute, type Page } from '../testing/graphql-harness';
import { InMemoryDirectory } from '../testing/in-memory-directory';

const schema = directorySchema();
const ADMIN = caller('p-wendy-kok', ['admin']);
const CONSULTANT = caller('p-anna-devries', ['support_consultant']);
const MARIEKE = caller('p-marieke-bakker', ['customer'], 'cust-bakker-logistiek');

describe('directory resolvers: who reads and writes what', () => {
  let directory: InMemoryDirectory;
  const run = <T = Record<string, unknown>>(who: Caller, source: string, variables?: Record<string, unknown>) => {
    const ctx: DirectoryContext = {
      reader: directory,
      loaders: { ...directoryLoaders(directory), ...peopleLoaders(directory) },
      admin: directoryAdmin({ uow: directory, newId: () => 'generated-id' }),
    };
    return execute<T>(schema, { caller: who, correlationId: 'spec', directory: ctx }, source, variables);
  };

  beforeEach(() => {
    directory = new InMemoryDirectory(directoryData);
  });

  it('offers exactly the roles tokens carry, as GraphQL enum values', () => {
    const role = schema.getType('Role') as GraphQLEnumType;
    expect(role.getValues().map((v) => [v.name, v.value])).toEqual(ROLES.map((r) => [r.toUpperCase(), r]));
  });

  describe('writes', () => {
    const createCustomer = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id name language applicationServicesContract serviceManager { name } } } }`;
    const input = { id: 'cust-de-vries-transport', name: 'De Vries Transport', serviceManagerId: 'p-ingrid-vos' };

    it('lets an admin create a customer, with Dutch and no Application Services contract as defaults', async () => {
      expect(dataOf(await run(ADMIN, createCustomer, { input }))).toEqual({
        createCustomer: {
          customer: {
            id: 'cust-de-vries-transport',
            name: 'De Vries Transport',
            language: 'NL',
            applicationServicesContract: false,
            serviceManager: { name: 'Ingrid Vos' },
          },
        },
      });
    });

    it.each([
      ['a support consultant', CONSULTANT, 'FORBIDDEN'],
      ['a customer user', MARIEKE, 'FORBIDDEN'],
      ['an anonymous caller', ANONYMOUS, 'UNAUTHENTICATED'],
    ])('refuses %s, and nothing is written', async (_who, who, code) => {
      const { errors } = await run(who, createCustomer, { input });
      expect(errors.map((e) => e.code)).toEqual([code]);
      expect(await directory.customersByIds(['cust-de-vries-transport'])).toEqual([]);
    });

    it('refuses a non-admin before looking at the input, so validation reveals nothing', async () => {
      const { errors } = await run(
        CONSULTANT,
        `mutation { createPerson(input: { id: "Bad Id", name: "x", email: "nope", roles: [] }) { person { id } } }`,
      );
      expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    });

    it('names the bad field: an unreadable id, or a service manager who is not one', async () => {
      const badId = await run(ADMIN, createCustomer, { input: { ...input, id: 'De Vries' } });
      expect(badId.errors).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'input.id' }]);
      const notAServiceManager = await run(ADMIN, createCustomer, {
        input: { ...input, serviceManagerId: 'p-anna-devries' },
      });
      expect(notAServiceManager.errors).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'input.serviceManagerId' }]);
      expect(notAServiceManager.errors[0].message).toContain('does not have the service_manager role');
      expect(await directory.customersByIds(['cust-de-vries-transport'])).toEqual([]);
    });

    it('generates an id when the admin gives none, and takes roles as GraphQL enum values', async () => {
      const outcome = await run(
        ADMIN,
        `mutation { createPerson(input: { name: "Tim Groot", email: "Tim.Groot@ServiceCenter.example", roles: [SUPPORT_CONSULTANT], teamIds: ["team-hr"] }) {
           person { id email roles teams { name } } } }`,
      );
      expect(dataOf(outcome)).toEqual({
        createPerson: {
          person: {
            id: 'generated-id',
            email: 'tim.groot@servicecenter.example',
            roles: ['SUPPORT_CONSULTANT'],
            teams: [{ name: 'Team HR' }],
          },
        },
      });
    });
  });

  describe('a customer user', () => {
    it('reads their own organisation with its contacts and colleagues', async () => {
      const { data } = await run(
        MARIEKE,
        `{ customer(id: "cust-bakker-logistiek") { name baseBundleHours creditBundleHours serviceManager { name email }
             users { totalCount edges { node { name } } } } }`,
      );
      expect(data?.customer).toEqual({
        name: 'Bakker Logistiek B.V.',
        baseBundleHours: 80,
        creditBundleHours: 40,
        serviceManager: { name: 'Ingrid Vos', email: 'ingrid.vos@servicecenter.example' },
        users: {
          totalCount: 2,
          edges: [{ node: { name: 'Kees van den Berg' } }, { node: { name: 'Marieke Bakker' } }],
        },
      });
    });

    it('does not see another organisation, by id, in the list or as a federated entity', async () => {
      expect((await run(MARIEKE, `{ customer(id: "cust-zorggroep-de-linde") { name } }`)).data?.customer).toBeNull();
      const list = await run(MARIEKE, `{ customers { totalCount edges { node { id } } } }`);
      expect(list.data?.customers).toEqual({ totalCount: 1, edges: [{ node: { id: 'cust-bakker-logistiek' } }] });
      const entities = await run(
        MARIEKE,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } ... on Person { id } } }`,
        {
          r: [
            { __typename: 'Customer', id: 'cust-zorggroep-de-linde' },
            { __typename: 'Person', id: 'p-anouk-willems' },
            { __typename: 'Customer', id: 'cust-bakker-logistiek' },
          ],
        },
      );
      expect(entities.data?._entities).toEqual([null, null, { id: 'cust-bakker-logistiek' }]);
    });

    it('resolves the references other subgraphs return in one batched lookup per entity type', async () => {
      const people = jest.spyOn(directory, 'peopleByIds');
      const customers = jest.spyOn(directory, 'customersByIds');
      const entities = await run(
        CONSULTANT,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } ... on Person { id } } }`,
        {
          r: [
            { __typename: 'Person', id: 'p-anouk-willems' },
            { __typename: 'Customer', id: 'cust-zorggroep-de-linde' },
            { __typename: 'Person', id: 'p-marieke-bakker' },
            { __typename: 'Customer', id: 'cust-bakker-logistiek' },
            { __typename: 'Person', id: 'p-anouk-willems' },
          ],
        },
      );
      expect(entities.data?._entities).toEqual([
        { id: 'p-anouk-willems' },
        { id: 'cust-zorggroep-de-linde' },
        { id: 'p-marieke-bakker' },
        { id: 'cust-bakker-logistiek' },
        { id: 'p-anouk-willems' },
      ]);
      expect(people).toHaveBeenCalledTimes(1);
      expect(people.mock.calls[0][0]).toEqual(['p-anouk-willems', 'p-marieke-bakker']);
      expect(customers).toHaveBeenCalledTimes(1);
    });

    it('lists only people of their own organisation, and is refused another organisation or a team', async () => {
      const own = dataOf(
        await run<{ people: Page<{ id: string }> }>(MARIEKE, `{ people { totalCount edges { node { id } } } }`),
      );
      expect(own.people.edges.map((e) => e.node.id)).toEqual(['p-kees-van-den-berg', 'p-marieke-bakker']);
      expect(
        (await run(MARIEKE, `{ people(customerId: "cust-groenveld-retail") { totalCount } }`)).errors,
      ).toMatchObject([{ code: 'FORBIDDEN' }]);
      expect((await run(MARIEKE, `{ people(teamId: "team-payroll") { totalCount } }`)).errors).toMatchObject([
        { code: 'FORBIDDEN' },
      ]);
      expect((await run(MARIEKE, `{ person(id: "p-iris-groenveld") { name } }`)).data?.person).toBeNull();
      expect((await run(MARIEKE, `{ person(id: "p-anna-devries") { name } }`)).data?.person).toBeNull();
    });

    it('sees the product catalogue but not the internal teams', async () => {
      const { data } = await run(
        MARIEKE,
        `{ product(id: "prod-loonaangifte") { name productGroup { name } team { name } } productGroups { name } team(id: "team-payroll") { name } }`,
      );
      expect(data).toEqual({
        product: { name: 'Loonaangifte', productGroup: { name: 'Payroll' }, team: null },
        productGroups: [{ name: 'HR' }, { name: 'Payroll' }, { name: 'Spend management' }],
        team: null,
      });
      expect((await run(MARIEKE, `{ teams { name } }`)).errors).toMatchObject([{ code: 'FORBIDDEN' }]);
    });

    it('finds themselves with `me`', async () => {
      const { data } = await run(MARIEKE, `{ me { name roles customer { name } teams { name } } }`);
      expect(data?.me).toEqual({
        name: 'Marieke Bakker',
        roles: ['CUSTOMER'],
        customer: { name: 'Bakker Logistiek B.V.' },
        teams: [],
      });
    });
  });

  describe('the Service Center', () => {
    it('reads every organisation, page by page, with the total', async () => {
      const query = `query($after: String) { customers(first: 3, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { name } } } }`;
      const page = async (after?: string | null) =>
        dataOf(await run<{ customers: Page<{ name: string }> }>(CONSULTANT, query, { after })).customers;
      const first = await page();
      expect(first.totalCount).toBe(4);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = await page(first.pageInfo.endCursor);
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect([...first.edges, ...second.edges].map((e) => e.node.name)).toEqual([
        'Bakker Logistiek B.V.',
        'Groenveld Retail Groep',
        'Noordzee Energie N.V.',
        'Zorggroep De Linde',
      ]);
    });

    it('sees a team with its lead and members, and people by role', async () => {
      const data = dataOf(
        await run<{ team: unknown; people: Page<{ name: string }> }>(
          CONSULTANT,
          `{ team(id: "team-payroll") { lead { name } members(first: 2) { totalCount edges { node { name } } } }
           people(role: SERVICE_MANAGER) { edges { node { name } } } }`,
        ),
      );
      expect(data.team).toEqual({
        lead: { name: 'Sanne Jansen' },
        members: { totalCount: 4, edges: [{ node: { name: 'Anna de Vries' } }, { node: { name: 'Daan Bakker' } }] },
      });
      expect(data?.people.edges.map((e) => e.node.name)).toEqual(['Bas Dekker', 'Ingrid Vos']);
    });

    it('rejects a cursor it did not hand out and a page that is too large', async () => {
      expect((await run(CONSULTANT, `{ customers(after: "bogus") { totalCount } }`)).errors).toMatchObject([
        { code: 'BAD_USER_INPUT', field: 'after' },
      ]);
      expect((await run(CONSULTANT, `{ customers(first: 1000) { totalCount } }`)).errors).toMatchObject([
        { code: 'BAD_USER_INPUT', field: 'first' },
      ]);
    });

    it('gets null for `me` when the directory does not know the caller', async () => {
      expect((await run(caller('dev-team_lead', ['team_lead']), `{ me { id } }`)).data?.me).toBeNull();
    });
  });
});
