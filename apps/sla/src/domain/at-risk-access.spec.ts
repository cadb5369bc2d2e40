import { ROLES, raciRow, type Caller, type Role } from '@servicecenter/platform-auth';
import { AT_RISK_READERS, mayReadAtRisk } from './at-risk-access';

const caller = (role: Role): Caller => ({ id: `p-${role}`, roles: [role] });

describe('who reads slaAtRisk (raci.csv row 13 and the other SLA-watch rows)', () => {
  it('row 13 is the manual check that requests are assigned within 1 working day', () => {
    expect(raciRow(13).step).toBe('Manual check that requests are assigned within 1 working day');
  });

  it('the desk roles with a letter on the watch rows read it', () => {
    expect([...AT_RISK_READERS].sort()).toEqual(['manager_service_center', 'support_consultant', 'team_lead']);
    for (const role of AT_RISK_READERS) expect(mayReadAtRisk(caller(role))).toBe(true);
  });

  it('every other role is refused, internal ones included', () => {
    const refused = ROLES.filter((role) => !(AT_RISK_READERS as readonly string[]).includes(role));
    expect(refused).toEqual(expect.arrayContaining(['customer', 'service_manager', 'pd_product_owner', 'admin']));
    for (const role of refused) expect(mayReadAtRisk(caller(role))).toBe(false);
  });
});
