import type { DataSource } from 'typeorm';
import { openDataSource } from '@servicecenter/platform-database';
import { DomainError } from '@servicecenter/platform-errors';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { directoryData } from '../testing/demo-data';
import { directoryContextFactory, directoryLoaders, directoryUnitOfWork } from '../context';
import { directoryAdmin, type DirectoryAdmin } from '../domain/directory-admin';
import { seedDirectory, SEED_ADMIN } from '../domain/seed-directory';
import { directoryMigrations } from '../index';
import { caller, dataOf, directorySchema, execute, type Outcome, type Page } from '../testing/graphql-harness';
import { directoryEntities } from './directory.entities';
import { DirectoryRepository } from './directory.repository';

const rejection = async (work: Promise<unknown>): Promise<DomainError> => {
  try {
    await work;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('directory on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repo: DirectoryRepository;
  let admin: DirectoryAdmin;

  beforeAll(async () => {
    db = await createTestDatabase('directory');
    dataSource = await openDataSource({
      url: db.url,
      entities: directoryEntities,
      migrations: directoryMigrations,
      applicationName: 'directory-spec',
    });
    repo = new DirectoryRepository(dataSource.manager);
    admin = directoryAdmin({ uow: directoryUnitOfWork(dataSource) });
    await seedDirectory(admin, directoryData);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** Counts the SQL statements `work` sends through the shared manager. */
  const statementsOf = async (work: () => Promise<unknown>) => {
    const spy = jest.spyOn(dataSource.manager, 'query');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  };

  it('holds the whole demo data set, written through the admin rules', async () => {
    expect(await repo.countCustomers({})).toBe(4);
    expect(await repo.countPeople({})).toBe(directoryData.people.length);
    expect(await repo.countProducts({ productGroupId: 'pg-payroll' })).toBe(2);
    const [sanne] = await repo.peopleByIds(['p-sanne-jansen']);
    expect(sanne).toEqual({
      id: 'p-sanne-jansen',
      name: 'Sanne Jansen',
      email: 'sanne.jansen@servicecenter.example',
      roles: ['team_lead'],
      customerId: null,
      teamIds: ['team-payroll'],
    });
    expect(await repo.teamsByIds(['team-payroll'])).toEqual([
      { id: 'team-payroll', name: 'Team Payroll', leadId: 'p-sanne-jansen' },
    ]);
  });

  it('answers a DataLoader batch with one statement', async () => {
    const loaders = directoryLoaders(repo);
    const ids = ['p-anna-devries', 'p-marieke-bakker', 'p-nobody', 'p-ingrid-vos'];
    let people: unknown[] = [];
    expect(
      await statementsOf(async () => (people = await Promise.all(ids.map((id) => loaders.personById.load(id))))),
    ).toBe(1);
    expect(people.map((p) => (p as { name?: string } | null)?.name ?? null)).toEqual([
      'Anna de Vries',
      'Marieke Bakker',
      null,
      'Ingrid Vos',
    ]);
  });

  it('resolves a nested GraphQL page with a fixed number of statements, however many rows (no N+1)', async () => {
    const schema = directorySchema();
    const query = `query($first: Int) { customers(first: $first) { totalCount edges { node { name serviceManager { name }
      users(first: 1) { totalCount edges { node { name teams { name } } } } } } } }`;
    const run = (first: number) => {
      const ctx = {
        caller: caller('p-ruud-hendriks', ['manager_service_center']),
        correlationId: 'spec',
        directory: directoryContextFactory(dataSource)(),
      };
      return execute<{ customers: Page<unknown> }>(schema, ctx, query, { first });
    };
    // customers page, its count, service managers, users page, users count (teams of customer users are never looked up).
    expect(await statementsOf(() => run(1))).toBe(5);
    let result: Outcome<{ customers: Page<unknown> }> = { data: null, errors: [] };
    expect(await statementsOf(async () => (result = await run(4)))).toBe(5);
    expect(dataOf(result).customers.edges[1].node).toEqual({
      name: 'Groenveld Retail Groep',
      serviceManager: { name: 'Ingrid Vos' },
      users: { totalCount: 2, edges: [{ node: { name: 'Iris Groenveld', teams: [] } }] },
    });
  });

  it('searches customer names by part, case-insensitively, with LIKE wildcards taken literally', async () => {
    const names = async (search: string) => (await repo.customers({ search }, { limit: 10 })).map((c) => c.name);
    expect(await names('LINDE')).toEqual(['Zorggroep De Linde']);
    expect(await names('b.v.')).toEqual(['Bakker Logistiek B.V.']);
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);
  });

  it('pages through people in name order without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: { name: string; id: string } | undefined;
    for (;;) {
      const page = await repo.people({}, { limit: 7, after });
      if (page.length === 0) break;
      seen.push(...page.map((p) => p.id));
      after = page[page.length - 1];
    }
    expect(seen).toHaveLength(directoryData.people.length);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await repo.people({}, { limit: 100 });
    expect(seen).toEqual(all.map((p) => p.id));
  });

  it('filters people by role, team and organisation', async () => {
    const ids = async (filter: Parameters<DirectoryRepository['people']>[0]) =>
      (await repo.people(filter, { limit: 50 })).map((p) => p.id).sort();
    expect(await ids({ role: 'service_manager' })).toEqual(['p-bas-dekker', 'p-ingrid-vos']);
    expect(await ids({ teamId: 'team-hr' })).toEqual([
      'p-emma-van-dijk',
      'p-mark-visser',
      'p-noah-bos',
      'p-thomas-mulder',
    ]);
    expect(await ids({ customerId: 'cust-noordzee-energie', role: 'customer' })).toEqual([
      'p-olivia-hughes',
      'p-pieter-de-wit',
    ]);
  });

  it('gives every parent its own page of people in one statement', async () => {
    let pages = new Map<string, { id: string }[]>();
    expect(
      await statementsOf(
        async () => (pages = await repo.peopleOf('team', ['team-hr', 'team-spend', 'team-none'], { limit: 2 })),
      ),
    ).toBe(1);
    expect(pages.get('team-hr')).toHaveLength(2);
    expect(pages.get('team-spend')).toHaveLength(2);
    expect(pages.get('team-none')).toEqual([]);
    expect(await repo.countPeopleOf('customer', ['cust-bakker-logistiek', 'cust-none'])).toEqual(
      new Map([
        ['cust-bakker-logistiek', 2],
        ['cust-none', 0],
      ]),
    );
  });

  describe('admin writes', () => {
    it('refuses a duplicate id, name (any case) or e-mail as CONFLICT naming the field', async () => {
      await expect(
        rejection(admin.createTeam(SEED_ADMIN, { id: 'team-hr', name: 'Team Onboarding' })),
      ).resolves.toMatchObject({ code: 'CONFLICT', details: { field: 'input.id' } });
      await expect(rejection(admin.createTeam(SEED_ADMIN, { name: 'team payroll' }))).resolves.toMatchObject({
        code: 'CONFLICT',
        details: { field: 'input.name' },
      });
      const dupEmail = await rejection(
        admin.createPerson(SEED_ADMIN, {
          name: 'Anna Other',
          email: 'ANNA.DEVRIES@servicecenter.example',
          roles: ['support_consultant'],
        }),
      );
      expect(dupEmail).toMatchObject({ code: 'CONFLICT', details: { field: 'input.email' } });
      expect(await repo.countPeople({})).toBe(directoryData.people.length);
    });

    it('refuses references to records that do not exist, writing nothing', async () => {
      const error = await rejection(
        admin.createProduct(SEED_ADMIN, {
          id: 'prod-roosters',
          name: 'Roosters',
          productGroupId: 'pg-planning',
          teamId: 'team-hr',
        }),
      );
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.productGroupId' } });
      const teams = await rejection(
        admin.createPerson(SEED_ADMIN, {
          name: 'Tim Groot',
          email: 'tim@servicecenter.example',
          roles: ['support_consultant'],
          teamIds: ['team-hr', 'team-x'],
        }),
      );
      expect(teams).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'input.teamIds' },
        message: 'No team team-x in the directory',
      });
      expect(await repo.productsByIds(['prod-roosters'])).toEqual([]);
      expect(await repo.countPeople({ teamId: 'team-hr' })).toBe(4);
    });

    it('rolls the whole update back when one part fails', async () => {
      const error = await rejection(
        admin.updatePerson(SEED_ADMIN, {
          id: 'p-noah-bos',
          name: 'Noah Bos-de Groot',
          teamIds: ['team-spend'],
          email: 'anna.devries@servicecenter.example',
        }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(await repo.peopleByIds(['p-noah-bos'])).toMatchObject([{ name: 'Noah Bos', teamIds: ['team-hr'] }]);
    });

    it('moves a person between teams and clears a team lead', async () => {
      await admin.updatePerson(SEED_ADMIN, { id: 'p-julia-peters', teamIds: ['team-hr', 'team-spend'] });
      expect(await repo.countPeopleOf('team', ['team-hr'])).toEqual(new Map([['team-hr', 5]]));
      await admin.updateTeam(SEED_ADMIN, { id: 'team-spend', leadId: null });
      expect(await repo.teamsByIds(['team-spend'])).toMatchObject([{ leadId: null, name: 'Team Spend management' }]);
      await admin.updateTeam(SEED_ADMIN, { id: 'team-spend', leadId: 'p-fatima-el-amrani' });
    });

    it('keeps the service manager role while the person serves customers', async () => {
      const error = await rejection(
        admin.updatePerson(SEED_ADMIN, { id: 'p-ingrid-vos', roles: ['manager_service_management'] }),
      );
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.roles' } });
      expect(error.message).toContain('cust-bakker-logistiek, cust-groenveld-retail');
      await admin.updateCustomer(SEED_ADMIN, {
        id: 'cust-bakker-logistiek',
        serviceManagerId: 'p-bas-dekker',
        creditBundleHours: 60,
      });
      expect(await repo.customersByIds(['cust-bakker-logistiek'])).toMatchObject([
        { serviceManagerId: 'p-bas-dekker', creditBundleHours: 60, baseBundleHours: 80 },
      ]);
    });

    it('answers NOT_FOUND for an update of a record that does not exist', async () => {
      await expect(
        rejection(admin.updateCustomer(SEED_ADMIN, { id: 'cust-nobody', name: 'Nobody' })),
      ).resolves.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
