import { DomainError, validate } from '@servicecenter/platform-errors';
import { directoryData } from '../testing/demo-data';
import { conditionFor, type Person } from './directory';
import {
  assertHolds,
  assertKeepsAssignedRoles,
  assertPersonRules,
  CreateCustomerInputSchema,
  CreatePersonInputSchema,
  ID_PATTERN,
  UpdateCustomerInputSchema,
  UpdateTeamInputSchema,
  withChanges,
} from './directory-rules';

const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('directory input rules', () => {
  it.each(['cust-bakker-logistiek', 'p-anna-devries', 'acme', '3f6c1c9e-8a4b-4c1e-9d2a-0b7e5f1a2c3d'])(
    'accepts the readable or generated id %s',
    (id) => {
      expect(ID_PATTERN.test(id)).toBe(true);
    },
  );

  it.each(['Acme', '-acme', 'a', 'bakker logistiek', 'bakker_logistiek', `a${'b'.repeat(63)}`])(
    'refuses the id %j',
    (id) => {
      expect(failure(() => validate(CreateCustomerInputSchema, { id, name: 'Acme' })).details).toMatchObject({
        field: 'input.id',
      });
    },
  );

  it('fills a new customer with the contract defaults: no Application Services, no hours, Dutch', () => {
    expect(validate(CreateCustomerInputSchema, { name: '  Bakker Logistiek B.V. ' })).toEqual({
      name: 'Bakker Logistiek B.V.',
      applicationServicesContract: false,
      applicationServicesConditions: [],
      baseBundleHours: 0,
      creditBundleHours: 0,
      language: 'NL',
    });
  });

  it('wants bundles in whole, non-negative hours', () => {
    expect(failure(() => validate(CreateCustomerInputSchema, { name: 'Acme', baseBundleHours: 7.5 })).message).toBe(
      'input.baseBundleHours: must be whole hours',
    );
    expect(
      failure(() => validate(CreateCustomerInputSchema, { name: 'Acme', creditBundleHours: -1 })).details,
    ).toMatchObject({ field: 'input.creditBundleHours' });
  });

  it('stores e-mail addresses lowercase and roles once each', () => {
    const person = validate(CreatePersonInputSchema, {
      name: 'Anna de Vries',
      email: ' Anna.deVries@Example.NL ',
      roles: ['support_consultant', 'support_consultant'],
    });
    expect(person).toMatchObject({ email: 'anna.devries@example.nl', roles: ['support_consultant'], teamIds: [] });
  });

  it('refuses an unknown role and an empty role list, naming the field', () => {
    expect(
      failure(() => validate(CreatePersonInputSchema, { name: 'Anna', email: 'a@b.nl', roles: ['wizard'] })).details,
    ).toMatchObject({ field: 'input.roles.0' });
    expect(
      failure(() => validate(CreatePersonInputSchema, { name: 'Anna', email: 'a@b.nl', roles: [] })).details,
    ).toMatchObject({ field: 'input.roles' });
  });

  it('tells "leave as is" (left out) from "clear" (null) in an update', () => {
    const team = { id: 'team-hr', name: 'Team HR', leadId: 'p-mark-visser' };
    expect(withChanges(team, validate(UpdateTeamInputSchema, { id: 'team-hr', name: 'Team HR & Verzuim' }))).toEqual({
      ...team,
      name: 'Team HR & Verzuim',
    });
    expect(withChanges(team, validate(UpdateTeamInputSchema, { id: 'team-hr', leadId: null }))).toEqual({
      ...team,
      leadId: null,
    });
  });
});

describe('person rules', () => {
  const customerUser = { roles: ['customer'], customerId: 'cust-bakker-logistiek', teamIds: [] } as Pick<
    Person,
    'roles' | 'customerId' | 'teamIds'
  >;

  it('accepts a customer user of one organisation and an internal person in teams', () => {
    expect(() => assertPersonRules(customerUser)).not.toThrow();
    expect(() =>
      assertPersonRules({ roles: ['support_consultant'], customerId: null, teamIds: ['team-hr'] }),
    ).not.toThrow();
  });

  it.each([
    ['a customer user without organisation', { ...customerUser, customerId: null }, 'input.customerId'],
    [
      'a consultant in a customer organisation',
      { roles: ['support_consultant'], customerId: 'cust-bakker-logistiek', teamIds: [] },
      'input.roles',
    ],
    ['a customer user with a desk role too', { ...customerUser, roles: ['customer', 'team_lead'] }, 'input.roles'],
    ['a customer user in a Service Center team', { ...customerUser, teamIds: ['team-hr'] }, 'input.teamIds'],
  ] as const)('refuses %s', (_what, person, field) => {
    expect(failure(() => assertPersonRules(person as Pick<Person, 'roles' | 'customerId' | 'teamIds'>))).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field },
    });
  });

  it('wants a team lead, service manager or CSM to hold that role', () => {
    const anna = directoryData.people.find((p) => p.id === 'p-anna-devries');
    expect(failure(() => assertHolds(anna, 'team_lead', 'input.leadId', 'p-anna-devries')).message).toBe(
      'Anna de Vries (p-anna-devries) does not have the team_lead role',
    );
    expect(failure(() => assertHolds(undefined, 'team_lead', 'input.leadId', 'p-nobody')).message).toBe(
      'No person p-nobody in the directory',
    );
  });

  it('keeps a role while the person is still assigned in that capacity', () => {
    const assigned = {
      ledTeamIds: [],
      serviceManagerOfCustomerIds: ['cust-bakker-logistiek'],
      customerSuccessManagerOfCustomerIds: [],
    };
    expect(failure(() => assertKeepsAssignedRoles(['manager_service_management'], assigned)).message).toContain(
      'is service manager of cust-bakker-logistiek',
    );
    expect(() => assertKeepsAssignedRoles(['service_manager', 'manager_service_management'], assigned)).not.toThrow();
  });

  it('holds for the whole demo data set', () => {
    for (const person of directoryData.people) expect(() => assertPersonRules(person)).not.toThrow();
  });
});

describe('the Application Services conditions (raci.csv row 87)', () => {
  const acme = { applicationServicesContract: true, applicationServicesConditions: [] };

  it('defaults to none, and keeps kinds as lowercase tokens with a known priority', () => {
    expect(validate(CreateCustomerInputSchema, { name: 'Acme' }).applicationServicesConditions).toEqual([]);
    expect(
      validate(UpdateCustomerInputSchema, {
        id: 'acme',
        applicationServicesConditions: [{ mutationKind: ' User-Account ', priority: 'HIGH' }],
      }).applicationServicesConditions,
    ).toEqual([{ mutationKind: 'user-account', priority: 'HIGH' }]);
  });

  it.each([
    ['a kind that is not a token', [{ mutationKind: 'drop table;', priority: 'HIGH' }]],
    ['an empty kind', [{ mutationKind: '', priority: 'HIGH' }]],
    ['an unknown priority', [{ mutationKind: 'price-list', priority: 'URGENT' }]],
    [
      'a kind twice',
      [
        { mutationKind: 'price-list', priority: 'HIGH' },
        { mutationKind: 'Price-List', priority: 'LOW' },
      ],
    ],
    ['more than 50', Array.from({ length: 51 }, (_, i) => ({ mutationKind: `kind-${i}`, priority: 'LOW' }))],
  ])('refuses %s', (_, applicationServicesConditions) => {
    const error = failure(() => validate(UpdateCustomerInputSchema, { id: 'acme', applicationServicesConditions }));
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  it('finds the condition of a covered kind only under a contract', () => {
    const conditions = [
      { mutationKind: 'user-account', priority: 'HIGH' as const },
      { mutationKind: 'price-list', priority: 'LOW' as const },
    ];
    expect(conditionFor({ ...acme, applicationServicesConditions: conditions }, 'price-list')).toEqual(conditions[1]);
    expect(conditionFor({ ...acme, applicationServicesConditions: conditions }, 'salary-change')).toBeUndefined();
    expect(conditionFor({ ...acme, applicationServicesConditions: conditions }, null)).toBeUndefined();
    expect(
      conditionFor({ applicationServicesContract: false, applicationServicesConditions: conditions }, 'user-account'),
    ).toBeUndefined();
  });
});
