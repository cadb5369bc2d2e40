import { RACI_MATRIX, ROLES, actorsOf, rolesWith, type Role } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import { authorise, canRead, rolesFor, rightsFor, TYPE_OF_PROCESS, type Actor } from './authorisation';
import {
  CONSULTED_ONLY,
  CONTRIBUTIONS,
  PERMISSION_OPERATION,
  REQUEST_PERMISSIONS,
  type RequestPermission,
} from './permissions';
import { RACI_ROWS } from './raci-rows';
import { REQUEST_TYPES, type RequestType } from './request';

type Subject = Parameters<typeof authorise>[2];
const on = (type: RequestType, overrides: Partial<Subject> = {}): Subject => ({
  type,
  customerId: 'acme',
  teamId: 't-payroll',
  handedOverAt: null,
  handoverTarget: null,
  productDevelopmentAskedAt: null,
  ...overrides,
});
const handedOver = (type: RequestType) =>
  on(type, { handedOverAt: new Date('2026-11-20T10:00:00Z'), handoverTarget: 'PRODUCT_DEVELOPMENT' });

const actorAs = (role: Role, overrides: Partial<Actor> = {}): Actor => ({
  caller: { id: `p-${role}`, roles: [role], customerId: role === 'customer' ? 'acme' : undefined },
  person: {
    id: `p-${role}`,
    name: role,
    email: `${role}@example.com`,
    roles: [role],
    customerId: null,
    teamIds: ['t-payroll'],
  },
  relationCustomerIds: ['acme'],
  ...overrides,
});
const may = (permission: RequestPermission, role: Role | Actor, subject: Subject) => {
  try {
    authorise(permission, typeof role === 'string' ? actorAs(role) : role, subject);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'FORBIDDEN') return false;
    throw error;
  }
};

describe('the rows of raci.csv the requests service carries (raci-rows.ts)', () => {
  const inRange = RACI_MATRIX.filter((r) => TYPE_OF_PROCESS[r.process] !== undefined);

  it('declares every row of the processes incident, change, information and application_service exactly once (row 13 is the sla service’s)', () => {
    const declared = RACI_ROWS.map((r) => r.row);
    expect(declared.filter((row, i) => declared.indexOf(row) !== i)).toEqual([]);
    expect(inRange.map((r) => r.row).filter((row) => !declared.includes(row))).toEqual([13]);
    expect(declared.filter((row) => !inRange.some((r) => r.row === row))).toEqual([]);
  });

  it('names for each permission of a row the operation that carries it, and nothing else', () => {
    for (const row of RACI_ROWS) {
      const expected = [...new Set(row.permissions.map((p) => PERMISSION_OPERATION[p]))].sort();
      expect({ row: row.row, operations: [...row.operations].sort() }).toEqual({ row: row.row, operations: expected });
    }
  });

  it('gives every row an operation, an automatic step or a reason it is not carried', () => {
    for (const row of RACI_ROWS)
      expect({ row: row.row, carried: row.operations.length > 0 || Boolean(row.automatic || row.notCarried) }).toEqual({
        row: row.row,
        carried: true,
      });
  });

  it('says how the Informed of every row hear of it', () => {
    for (const row of RACI_ROWS)
      if (rolesWith(row.row, ['I']).length > 0)
        expect({ row: row.row, informedBy: Boolean(row.informedBy) }).toEqual({ row: row.row, informedBy: true });
  });
});

describe('rights derived from raci.csv per request type', () => {
  const cases = REQUEST_TYPES.flatMap((type) => REQUEST_PERMISSIONS.map((p) => [type, p] as const));

  it.each(cases)(
    '%s %s: the R and A of its rows (C for input), the rows’ named exceptions, nobody else',
    (type, permission) => {
      const rows = RACI_ROWS.filter(
        (r) => r.permissions.includes(permission) && TYPE_OF_PROCESS[RACI_MATRIX[r.row - 1].process] === type,
      );
      const expected = new Set<Role>();
      for (const r of rows) {
        if (!CONSULTED_ONLY.includes(permission)) actorsOf(r.row).forEach((role) => expected.add(role));
        if (CONTRIBUTIONS.includes(permission)) rolesWith(r.row, ['C']).forEach((role) => expected.add(role));
        (r.exceptions ?? []).filter((e) => e.as === 'act').forEach((e) => expected.add(e.role));
      }
      expect(rolesFor(type, permission).sort()).toEqual([...expected].sort());
      for (const role of ROLES.filter((x) => !expected.has(x))) {
        const subject = type === 'INFORMATION' ? on(type, { productDevelopmentAskedAt: new Date() }) : handedOver(type);
        expect({ role, allowed: may(permission, role, subject) }).toEqual({ role, allowed: false });
      }
    },
  );
});

describe('no rights from the union over request types (issue 18)', () => {
  it('refuses the manager Service Center accepting an incident (row 14: consultant R, team lead A)', () => {
    expect(may('ACCEPT', 'manager_service_center', on('INCIDENT'))).toBe(false);
    expect(may('ACCEPT', 'support_consultant', on('INCIDENT'))).toBe(true);
    expect(may('ACCEPT', 'team_lead', on('INCIDENT'))).toBe(true);
    // …while row 40 makes them Accountable for accepting a change request
    expect(may('ACCEPT', 'manager_service_center', on('CHANGE'))).toBe(true);
  });

  it('refuses the team lead closing an information request (row 79: consultant R, manager Service Center A)', () => {
    expect(may('CLOSE', 'team_lead', on('INFORMATION'))).toBe(false);
    expect(may('CLOSE', 'manager_service_center', on('INFORMATION'))).toBe(true);
    expect(may('CLOSE', 'team_lead', on('APPLICATION_SERVICE'))).toBe(true); // row 93
  });

  it('refuses the service manager and the manager Service Management internal notes (rows 20, 69 give them nothing)', () => {
    for (const type of REQUEST_TYPES) {
      expect(may('ADD_NOTE', 'service_manager', on(type))).toBe(false);
      expect(may('ADD_NOTE', 'manager_service_management', on(type))).toBe(false);
    }
    expect(may('ADD_NOTE', 'team_lead', on('INFORMATION'))).toBe(true); // row 69
  });

  it('refuses anyone the application-service steps the manager Service Center has no letter in', () => {
    for (const p of ['ASSIGN', 'PRIORITISE', 'ACCEPT', 'EXECUTE_MUTATION', 'CLOSE'] as const)
      expect({ p, allowed: may(p, 'manager_service_center', on('APPLICATION_SERVICE')) }).toEqual({
        p,
        allowed: false,
      });
  });
});

describe('product development (rows 24, 25, 44, 71)', () => {
  it('lets the PD change coordinator write internal notes and link a change on requests handed over to it only', () => {
    expect(may('ADD_NOTE', 'pd_change_coordinator', handedOver('INCIDENT'))).toBe(true);
    expect(may('LINK_CHANGE', 'pd_change_coordinator', handedOver('CHANGE'))).toBe(true);
    expect(may('ADD_NOTE', 'pd_change_coordinator', on('INCIDENT'))).toBe(false);
    expect(may('REPLY', 'pd_change_coordinator', handedOver('INCIDENT'))).toBe(false); // no public replies to the customer
    expect(may('ADD_NOTE', 'pd_product_owner', handedOver('INCIDENT'))).toBe(false);
  });

  it('lets the desk ask product development on an information request, and the change coordinator answer (Consulted)', () => {
    expect(rolesFor('INFORMATION', 'ASK_PRODUCT_DEVELOPMENT').sort()).toEqual(['support_consultant', 'team_lead']);
    expect(rolesFor('INFORMATION', 'ANSWER_PRODUCT_DEVELOPMENT_QUESTION')).toEqual(['pd_change_coordinator']);
    expect(rightsFor('INFORMATION', 'ANSWER_PRODUCT_DEVELOPMENT_QUESTION')[0]).toMatchObject({
      rows: [71],
      byException: [],
    });
    const asked = on('INFORMATION', { productDevelopmentAskedAt: new Date('2026-11-20T10:00:00Z') });
    expect(may('ANSWER_PRODUCT_DEVELOPMENT_QUESTION', 'pd_change_coordinator', asked)).toBe(true);
    expect(may('ANSWER_PRODUCT_DEVELOPMENT_QUESTION', 'pd_change_coordinator', on('INFORMATION'))).toBe(false);
    expect(may('ASK_PRODUCT_DEVELOPMENT', 'support_consultant', on('INCIDENT'))).toBe(false);
  });

  it('shows product development the requests handed over to it or asked of it, not those at Consulting', () => {
    const pd = actorAs('pd_change_coordinator');
    expect(canRead(pd, handedOver('INCIDENT'))).toBe(true);
    expect(canRead(pd, on('INFORMATION', { productDevelopmentAskedAt: new Date() }))).toBe(true);
    expect(canRead(pd, on('INFORMATION'))).toBe(false);
    expect(canRead(pd, on('CHANGE', { handedOverAt: new Date(), handoverTarget: 'CONSULTING' }))).toBe(false);
  });
});

describe('context narrows the rights', () => {
  it('keeps a customer of another organisation out of everything, also reading', () => {
    const globex = actorAs('customer', { caller: { id: 'u-globex', roles: ['customer'], customerId: 'globex' } });
    expect(REQUEST_PERMISSIONS.filter((p) => may(p, globex, on('INCIDENT')))).toEqual([]);
    expect(canRead(globex, on('INCIDENT'))).toBe(false);
    expect(canRead(actorAs('customer'), on('INCIDENT'))).toBe(true);
  });

  it('lets consultants and team leads act on their own team’s requests only; the manager Service Center on all', () => {
    const otherTeam = on('INCIDENT', { teamId: 't-hr' });
    expect(may('START_HANDLING', 'support_consultant', otherTeam)).toBe(false);
    expect(may('PRIORITISE', 'team_lead', otherTeam)).toBe(false);
    expect(may('START_HANDLING', 'manager_service_center', otherTeam)).toBe(true);
    expect(may('START_HANDLING', 'support_consultant', on('INCIDENT', { teamId: null }))).toBe(true);
  });

  it('names the rows when it refuses', () => {
    expect(() => authorise('ACCEPT', actorAs('manager_service_center'), on('INCIDENT'))).toThrow(
      /accept on an incident; raci.csv row 14 gives it to: support_consultant, team_lead/,
    );
  });
});
