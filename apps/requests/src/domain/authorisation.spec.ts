import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROLES, type Role } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import {
  authorise,
  canRead,
  PERMISSIONS,
  RACI_ADDITIONS,
  RACI_STEPS,
  type Actor,
  type RequestPermission,
} from './authorisation';

const raci: Record<string, string>[] = parse(readFileSync(join(__dirname, 'raci.csv'), 'utf8'), { columns: true });
const rowKey = (r: Record<string, string>) => `${r.process}/${r.phase}/${r.step}`;
const permissions = Object.keys(PERMISSIONS) as RequestPermission[];

const request: {
  customerId: string;
  teamId: string | null;
  handedOverAt: Date | null;
  handoverTarget: 'PRODUCT_DEVELOPMENT' | 'CONSULTING' | null;
} = {
  customerId: 'acme',
  teamId: 't-payroll',
  handedOverAt: new Date('2026-11-20T10:00:00Z'),
  handoverTarget: 'PRODUCT_DEVELOPMENT',
};
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
const may = (permission: RequestPermission, actor: Actor, on = request) => {
  try {
    authorise(permission, actor, on);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'FORBIDDEN') return false;
    throw error;
  }
};

describe('rights derived from raci.csv', () => {
  it('refers only to steps that exist in the RACI table', () => {
    const keys = new Set(raci.map(rowKey));
    for (const steps of Object.values(RACI_STEPS))
      for (const step of steps) expect({ step, exists: keys.has(step) }).toEqual({ step, exists: true });
  });

  it.each(permissions)(
    '%s: every Responsible or Accountable role of its steps may do it, plus only the documented additions',
    (permission) => {
      const rows = raci.filter((r) => RACI_STEPS[permission].includes(rowKey(r)));
      const responsible = new Set(ROLES.filter((role) => rows.some((r) => /[RA]/.test(r[role] ?? ''))));
      const expected = new Set([...responsible, ...Object.keys(RACI_ADDITIONS[permission] ?? {})]);
      expect([...new Set(PERMISSIONS[permission])].sort()).toEqual([...expected].sort());
    },
  );
});

describe('who may do what on a handed-over request of customer acme, team t-payroll', () => {
  const DESK: RequestPermission[] = permissions;
  const EXPECTED: Record<Role, RequestPermission[]> = {
    customer: ['REGISTER', 'UPDATE', 'REPLY', 'RESUME', 'ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'CLOSE', 'REOPEN'],
    support_consultant: DESK,
    team_lead: DESK,
    manager_service_center: DESK,
    service_manager: ['ADD_NOTE'],
    manager_service_management: ['ADD_NOTE'],
    customer_success_manager: [],
    csm_director: [],
    customer_success_director: [],
    pd_change_coordinator: ['LINK_CHANGE'],
    pd_product_owner: [],
    product_manager: [],
    productline_manager: [],
    development_manager: [],
    labs_director: [],
    uat_coordinator: [],
    admin: [],
  };

  it.each(ROLES.map((role) => [role]))('%s', (role) => {
    const allowed = permissions.filter((p) => may(p, actorAs(role)));
    expect(allowed.sort()).toEqual([...EXPECTED[role]].sort());
  });

  it('keeps a customer of another organisation out of everything, also reading', () => {
    const globex = actorAs('customer', { caller: { id: 'u-globex', roles: ['customer'], customerId: 'globex' } });
    expect(permissions.filter((p) => may(p, globex))).toEqual([]);
    expect(canRead(globex, request)).toBe(false);
    expect(canRead(actorAs('customer'), request)).toBe(true);
  });

  it('lets consultants and team leads act on their own team’s requests only; the manager Service Center on all', () => {
    const otherTeam = { ...request, teamId: 't-hr' };
    expect(may('START_HANDLING', actorAs('support_consultant'), otherTeam)).toBe(false);
    expect(may('PRIORITISE', actorAs('team_lead'), otherTeam)).toBe(false);
    expect(may('PRIORITISE', actorAs('manager_service_center'), otherTeam)).toBe(true);
    expect(may('START_HANDLING', actorAs('support_consultant'), { ...request, teamId: null })).toBe(true);
  });

  it('shows product development only handed-over requests, and service managers only their own customers', () => {
    const notHandedOver = { ...request, handedOverAt: null, handoverTarget: null };
    expect(canRead(actorAs('pd_change_coordinator'), request)).toBe(true);
    expect(canRead(actorAs('pd_change_coordinator'), notHandedOver)).toBe(false);
    expect(may('LINK_CHANGE', actorAs('pd_change_coordinator'), notHandedOver)).toBe(false);
    const atConsulting = { ...request, handoverTarget: 'CONSULTING' as const };
    expect(canRead(actorAs('pd_change_coordinator'), atConsulting)).toBe(false);
    expect(may('LINK_CHANGE', actorAs('pd_change_coordinator'), atConsulting)).toBe(false);
    expect(canRead(actorAs('service_manager'), notHandedOver)).toBe(true);
    expect(canRead(actorAs('service_manager', { relationCustomerIds: ['globex'] }), notHandedOver)).toBe(false);
  });
});
