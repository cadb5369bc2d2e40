import { randomUUID } from 'node:crypto';
import type { SubgraphName } from '@servicecenter/platform-config';
import { TestClock } from '@servicecenter/testing';
import { createDesk, directoryKnown } from '../testing/desk-fixture';
import { tokensFor } from '../testing/escalations-e2e';
import { PAYROLL_PLAN } from '../testing/release-testing-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const SAVE_AGREEMENT = graphql(`
  mutation RefsSaveAgreement($input: SaveSlaAgreementInput!) { saveSlaAgreement(input: $input) { agreement { id customerId } } }`);
const PLAN_RELEASE = graphql(`
  mutation RefsPlanRelease($input: PlanReleaseInput!) { planRelease(input: $input) { release { id version } } }`);
const CREATE_TEST_PLAN = graphql(`
  mutation RefsCreateTestPlan($input: CreateTestPlanInput!) { createTestPlan(input: $input) { testPlan { id } } }`);
const START_TEST_RUN = graphql(`
  mutation RefsStartTestRun($input: StartTestRunInput!) { startTestRun(input: $input) { testRun { id version } } }`);
const ASSIGN_TESTERS = graphql(`
  mutation RefsAssignTesters($input: AssignTestersInput!) { assignTesters(input: $input) { testRun { id testerIds } } }`);
const CREATE_PERSON = graphql(`
  mutation RefsCreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`);

interface Refusal {
  code?: string;
  field?: string;
  unknown?: string[];
  message: string;
}

/**
 * References across services (issue 15): a mutation that names a customer or a person of the
 * directory checks the id against the facts its own service holds (read models fed by the
 * directory's events), refuses an unknown one with BAD_USER_INPUT naming the field and the
 * unknown ids, and writes nothing. The cases the audit of every mutation found unchecked
 * (docs/architecture.md, "Directory events and reference checks").
 */
describe('references to the directory across services', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z');
  let t: Record<string, string>;
  let admin: string;

  const count = async (service: SubgraphName, sql: string, params: unknown[] = []) =>
    (
      (await ts.stack.services[service]
        .runtime()
        .dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params)) as {
        n: number;
      }[]
    )[0].n;
  const refusal = (r: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }): Refusal => {
    const e = r.errors?.[0];
    return {
      code: e?.extensions?.code as string | undefined,
      field: e?.extensions?.field as string | undefined,
      unknown: e?.extensions?.unknown as string[] | undefined,
      message: e?.message ?? '(no error)',
    };
  };

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    t = await tokensFor(ts.client, ['p-uat']);
    admin = await ts.client.token('admin', { sub: 'p-admin' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('saveSlaAgreement refuses a customer the directory never announced, and saves nothing', async () => {
    const ghost = `cust-${randomUUID()}`;
    const result = await ts.client.request(
      SAVE_AGREEMENT,
      { input: { id: 'ghost', name: 'Nobody', customerId: ghost, targets: [] } },
      admin,
    );
    expect(result.data).toBeNull();
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customerId', unknown: [ghost] });
    expect(refusal(result).message).toContain('try again shortly');
    expect(await count('sla', `sla_agreement WHERE id = 'ghost' OR customer_id = $1`, [ghost])).toBe(0);

    // A customer of the directory is known once its event arrived.
    const ok = await ts.client.ok(
      SAVE_AGREEMENT,
      { input: { id: 'globex', name: 'Globex', customerId: 'cust-globex', targets: [] } },
      admin,
    );
    expect(ok.saveSlaAgreement.agreement.customerId).toBe('cust-globex');
  });

  it('startTestRun and assignTesters refuse a tester the directory never announced, and write nothing', async () => {
    const {
      planRelease: { release },
    } = await ts.client.ok(
      PLAN_RELEASE,
      {
        input: {
          productId: 'prod-payroll',
          releaseVersion: '26.12-refs',
          plannedProductionDate: '2026-12-05T06:00:00Z',
          releaseNotes: 'Tax tables 2027.',
        },
      },
      t['p-uat'],
    );
    const {
      createTestPlan: { testPlan },
    } = await ts.client.ok(CREATE_TEST_PLAN, { input: PAYROLL_PLAN }, t['p-uat']);
    const ghost = `p-${randomUUID()}`;

    const refused = await ts.client.request(
      START_TEST_RUN,
      { input: { releaseId: release.id, testPlanId: testPlan.id, testerIds: ['p-anna', ghost] } },
      t['p-uat'],
    );
    expect(refusal(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.testerIds.1', unknown: [ghost] });
    expect(await count('release-testing', `test_run WHERE release_id = $1`, [release.id])).toBe(0);
    expect(await count('release-testing', `release WHERE id = $1 AND status = 'PLANNED'`, [release.id])).toBe(1);

    const {
      startTestRun: { testRun },
    } = await ts.client.ok(
      START_TEST_RUN,
      { input: { releaseId: release.id, testPlanId: testPlan.id, testerIds: ['p-anna'] } },
      t['p-uat'],
    );
    const reassigned = await ts.client.request(
      ASSIGN_TESTERS,
      { input: { runId: testRun.id, version: testRun.version, testerIds: [ghost] } },
      t['p-uat'],
    );
    expect(refusal(reassigned)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.testerIds.0', unknown: [ghost] });
    expect(
      await count('release-testing', `test_run WHERE id = $1 AND tester_ids = ARRAY['p-anna'] AND version = $2`, [
        testRun.id,
        testRun.version,
      ]),
    ).toBe(1);

    // A person the admin creates is a valid tester once the directory's event reached release testing.
    await ts.client.ok(
      CREATE_PERSON,
      {
        input: {
          id: 'p-tess',
          name: 'Tess Tester',
          email: 'p-tess@customer.example',
          roles: ['CUSTOMER'],
          customerId: 'cust-acme',
        },
      },
      admin,
    );
    await directoryKnown(ts.stack, { personIds: ['p-tess'] });
    const assigned = await ts.client.ok(
      ASSIGN_TESTERS,
      { input: { runId: testRun.id, version: testRun.version, testerIds: ['p-anna', 'p-tess'] } },
      t['p-uat'],
    );
    expect(assigned.assignTesters.testRun.testerIds).toEqual(['p-anna', 'p-tess']);
  });
});
