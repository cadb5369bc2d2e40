import { RACI_ROLES, rolesWith, type RaciRole, type Role } from '@servicecenter/platform-auth';
import { SLA_RACI_ROWS } from '@servicecenter/sla';
import { startTestStack, type TestStack } from '../testing/test-stack';

/** How each operation the sla service declares is called (its rows decide who may). */
const CALLS: Record<string, string> = {
  slaAtRisk: `{ slaAtRisk(first: 1) { totalCount } }`,
};

/**
 * The row walk of the rows the sla service carries (today row 13, the manual check that requests
 * are assigned within one working day, read as slaAtRisk): each role the row gives R or A, and each
 * named exception, may; every other RACI role is refused with FORBIDDEN. The expectation comes from
 * raci.csv and the row declarations, not from the service's own rights table.
 */
describe('the RACI matrix as the rule: sla rows through the gateway', () => {
  let ts: TestStack;
  const tokens = {} as Record<RaciRole, string>;

  beforeAll(async () => {
    ts = await startTestStack();
    for (const role of RACI_ROLES)
      tokens[role] = await ts.client.token(role as Role, {
        sub: `raci-${role}`,
        ...(role === 'customer' ? { customerId: 'cust-acme' } : {}),
      });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('declares an operation with a call for every sla row', () => {
    expect(SLA_RACI_ROWS.map((r) => r.row)).toEqual([13]);
    for (const row of SLA_RACI_ROWS) for (const op of row.operations) expect(CALLS[op]).toBeDefined();
  });

  for (const declared of SLA_RACI_ROWS)
    for (const operation of declared.operations)
      it(`row ${declared.row}: ${operation} is for the row's R and A and its exceptions, refused to every other role`, async () => {
        const allowed = new Set<string>([
          ...rolesWith(declared.row, ['R', 'A']),
          ...(declared.exceptions ?? []).map((e) => e.role),
        ]);
        const outcome: Record<string, string> = {};
        for (const role of RACI_ROLES) {
          const result = await ts.client.request(CALLS[operation], {}, tokens[role]);
          outcome[role] = result.errors?.[0]?.extensions?.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'ALLOWED';
          if (allowed.has(role)) expect(result.errors).toBeUndefined();
        }
        expect(outcome).toEqual(
          Object.fromEntries(RACI_ROLES.map((role) => [role, allowed.has(role) ? 'ALLOWED' : 'FORBIDDEN'])),
        );
        // Row 13 is the desk's: the support consultant (R) and the team lead (A) at least.
        expect([...allowed]).toEqual(expect.arrayContaining(['support_consultant', 'team_lead']));
      });
});
