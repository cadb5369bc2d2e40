import { randomUUID } from 'node:crypto';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import {
  PAYROLL_PLAN,
  errorCode,
  mutate,
  mutation,
  readRelease,
  releaseTestingOutbox,
  runCases,
} from '../testing/release-testing-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

const RUN = 'testRun { id number status version testerIds counts { total passed failed notRun } }';
type Run = {
  id: string;
  number: number;
  status: string;
  version: number;
  testerIds: string[];
  counts: Record<string, number>;
};

/**
 * Issue 7 end to end through the gateway: a payroll release fails its critical case, the
 * coordinator decides NO-GO, the retest passes and the release goes GO; customers then read
 * its release information.
 */
describe('release testing through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z');
  let t: Record<string, string>;

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    t = await tokensFor(ts.client, ['p-uat', 'p-anna', 'p-bram', 'p-lead', 'p-po', 'u-acme']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('runs a release from NO-GO on a failed critical case through a retest to GO, and publishes it for customers', async () => {
    const request = await registerPayrollIncident(ts, t['u-acme'], 'Payroll run stops for part-time employees');

    // The coordinator plans the release and a plan with a CRITICAL and a MINOR case.
    const { release: planned } = await mutate<{ release: { id: string; status: string; version: number } }>(
      ts.client,
      'planRelease',
      {
        productId: 'prod-payroll',
        releaseVersion: '26.12',
        plannedProductionDate: '2026-12-05T06:00:00Z',
        releaseNotes: 'New tax tables for 2027; part-time hours in the payroll run.',
      },
      'release { id status version }',
      t['p-uat'],
    );
    expect(planned.status).toBe('PLANNED');
    const { testPlan } = await mutate<{ testPlan: { id: string; cases: { id: string; criticality: string }[] } }>(
      ts.client,
      'createTestPlan',
      PAYROLL_PLAN,
      'testPlan { id cases { id criticality } }',
      t['p-uat'],
    );
    expect(testPlan.cases.map((c) => c.criticality)).toEqual(['CRITICAL', 'MINOR']);

    // Only the coordinator starts runs.
    expect(
      errorCode(
        await mutation(
          ts.client,
          'startTestRun',
          { releaseId: planned.id, testPlanId: testPlan.id, testerIds: ['p-anna'] },
          'testRun { id }',
          t['p-lead'],
        ),
      ),
    ).toBe('FORBIDDEN');
    const { testRun: run1 } = await mutate<{ testRun: Run }>(
      ts.client,
      'startTestRun',
      { releaseId: planned.id, version: planned.version, testPlanId: testPlan.id, testerIds: ['p-anna'] },
      RUN,
      t['p-uat'],
    );
    expect(run1).toMatchObject({ number: 1, status: 'OPEN', testerIds: ['p-anna'], counts: { total: 2, notRun: 2 } });
    const cases = await runCases(ts.client, run1.id, t['p-uat']);
    const critical = cases['Run the monthly payroll'].caseId;
    const minor = cases['Print a payslip'].caseId;

    // The product owner reads but does not test; a consultant not assigned to the run neither.
    const record = (token: string, input: Record<string, unknown>) =>
      mutation(ts.client, 'recordTestResult', { runId: run1.id, ...input }, 'result { caseId outcome version }', token);
    expect(errorCode(await record(t['p-po'], { caseId: critical, outcome: 'PASSED' }))).toBe('FORBIDDEN');
    expect(errorCode(await record(t['p-bram'], { caseId: critical, outcome: 'PASSED' }))).toBe('FORBIDDEN');
    expect(errorCode(await record(t['p-anna'], { caseId: critical, outcome: 'FAILED' }))).toBe('BAD_USER_INPUT');

    // Anna fails the critical case with evidence and reports a blocking defect.
    const failed = await record(t['p-anna'], {
      caseId: critical,
      outcome: 'FAILED',
      note: 'The run stops at step 3 for part-time employees (PR-500).',
      evidence: [
        {
          name: 'run-log.txt',
          contentType: 'text/plain',
          url: 'https://files.example/uat/run-log.txt',
          sizeBytes: 2048,
        },
      ],
    });
    expect(failed.data?.recordTestResult).toMatchObject({ result: { outcome: 'FAILED', version: 2 } });
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: run1.id, caseId: minor, outcome: 'PASSED' },
      'result { caseId }',
      t['p-anna'],
    );
    const report = (requestId: string) =>
      mutation<{ defect: { id: string; requests: { id: string }[]; changeRefs: string[]; caseIds: string[] } }>(
        ts.client,
        'reportDefect',
        {
          runId: run1.id,
          title: 'Payroll run stops for part-time employees',
          description: 'Step 3 of the run raises PR-500 when an employee has part-time hours.',
          severity: 'BLOCKING',
          caseIds: [critical],
          requestIds: [requestId],
          changeRefs: ['PD-4711'],
        },
        'defect { id caseIds changeRefs requests { id } }',
        t['p-anna'],
      );
    // A request the Service Center does not know is refused, and nothing is written.
    const unknown = await report(randomUUID());
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].extensions?.field).toBe('input.requestIds');
    expect((await readRelease(ts.client, planned.id, t['p-uat']))?.defects.totalCount).toBe(0);
    // The customer's request reaches the release-testing read model through its events.
    const reported = await waitFor(
      () => report(request.id),
      (r) => !r.errors,
      { what: 'the defect reported once the read model knows the request' },
    );
    const defect = reported.data?.reportDefect.defect as {
      id: string;
      requests: { id: string }[];
      changeRefs: string[];
      caseIds: string[];
    };
    expect(defect).toMatchObject({ caseIds: [critical], changeRefs: ['PD-4711'], requests: [{ id: request.id }] });
    // The desk sees the release defect on the customer's request; the customer does not.
    const onRequest = (token: string) =>
      ts.client.ok<{
        request: {
          number: string;
          releaseDefects: { title: string; severity: string; release: { releaseVersion: string } }[];
        };
      }>(
        `query($id: ID) { request(id: $id) { number releaseDefects { title severity release { releaseVersion } } } }`,
        { id: request.id },
        token,
      );
    expect((await onRequest(t['p-anna'])).request).toEqual({
      number: request.number,
      releaseDefects: [
        {
          title: 'Payroll run stops for part-time employees',
          severity: 'BLOCKING',
          release: { releaseVersion: '26.12' },
        },
      ],
    });
    expect((await onRequest(t['u-acme'])).request.releaseDefects).toEqual([]);

    // The advice: NO_GO, with the failed critical case and the open blocking defect as reasons.
    const inTest = await readRelease(ts.client, planned.id, t['p-uat']);
    expect(inTest).toMatchObject({
      status: 'IN_TEST',
      advice: { outcome: 'NO_GO', coverage: 100, minCoverage: 90, counts: { total: 2, passed: 1, failed: 1 } },
    });
    expect(inTest?.advice.reasons.map((r) => [r.rule, r.caseIds, r.defectIds])).toEqual([
      ['CRITICAL_CASE_FAILED', [critical], []],
      ['SEVERE_DEFECT_OPEN', [], [defect.id]],
    ]);

    // Testers cannot decide; nobody decides while the run is open.
    const decide = (input: Record<string, unknown>, token = t['p-uat']) =>
      mutation(
        ts.client,
        'recordReleaseDecision',
        { releaseId: planned.id, ...input },
        'release { status } decision { decision deviatesFromAdvice }',
        token,
      );
    expect(errorCode(await decide({ decision: 'NO_GO', rationale: 'Critical case failed' }, t['p-anna']))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await decide({ decision: 'NO_GO', rationale: 'Critical case failed' }))).toBe(
      'INVALID_TRANSITION',
    );
    await mutate(ts.client, 'completeTestRun', { runId: run1.id }, 'testRun { status }', t['p-uat']);

    // Deciding against the advice without a reason is refused and writes nothing.
    const against = await decide({ decision: 'GO', rationale: 'Marketing wants the date' });
    expect(errorCode(against)).toBe('BAD_USER_INPUT');
    expect(against.errors?.[0].extensions?.field).toBe('input.deviationReason');
    expect(errorCode(await decide({ decision: 'NO_GO', rationale: '   ' }))).toBe('BAD_USER_INPUT');
    expect(await readRelease(ts.client, planned.id, t['p-uat'])).toMatchObject({
      status: 'IN_TEST',
      decision: null,
      decisions: [],
    });
    expect(await releaseTestingOutbox(ts, 'servicecenter.release.decided.v1')).toEqual([]);

    const noGo = await decide({ decision: 'NO_GO', rationale: 'The payroll run fails for part-time employees.' });
    expect(noGo.data?.recordReleaseDecision).toEqual({
      release: { status: 'DECIDED' },
      decision: { decision: 'NO_GO', deviatesFromAdvice: false },
    });
    const [decided] = await releaseTestingOutbox(ts, 'servicecenter.release.decided.v1');
    expect(decided.subject).toBe(planned.id);
    expect(decided.data).toMatchObject({
      releaseId: planned.id,
      productId: 'prod-payroll',
      releaseVersion: '26.12',
      decision: 'NO_GO',
      deviatesFromAdvice: false,
      deviationReason: null,
      decidedBy: 'p-uat',
      advice: { outcome: 'NO_GO', coveragePercent: 100 },
      run: { number: 1, total: 2, passed: 1, failed: 1 },
      openDefects: [{ defectId: defect.id, severity: 'BLOCKING', changeRefs: ['PD-4711'], requestIds: [request.id] }],
    });
    expect(await releaseTestingOutbox(ts, 'servicecenter.release.information-published.v1')).toEqual([]);

    // The product owner reads the release through the product of the requests subgraph.
    const { product } = await ts.client.ok<{
      product: {
        name: string;
        releases: {
          totalCount: number;
          nodes: { releaseVersion: string; status: string; decision: { decision: string } }[];
        };
      };
    }>(
      `{ product(id: "prod-payroll") { name releases { totalCount nodes { releaseVersion status decision { decision } } } } }`,
      {},
      t['p-po'],
    );
    expect(product).toEqual({
      name: 'Payroll Cloud',
      releases: {
        totalCount: 1,
        nodes: [{ releaseVersion: '26.12', status: 'DECIDED', decision: { decision: 'NO_GO' } }],
      },
    });
    // Customers see nothing of a release that is not GO.
    expect(await readRelease(ts.client, planned.id, t['u-acme'])).toBeNull();
    const customerView = await ts.client.ok<{
      product: { releases: { totalCount: number } };
      releaseInformation: { totalCount: number };
    }>(
      `{ product(id: "prod-payroll") { releases { totalCount } } releaseInformation(productId: "prod-payroll") { totalCount } }`,
      {},
      t['u-acme'],
    );
    expect(customerView).toEqual({ product: { releases: { totalCount: 0 } }, releaseInformation: { totalCount: 0 } });

    // The retest: the same plan, everything passes, the fix is confirmed.
    clock.advance(3 * 24 * 60 * 60 * 1000);
    const { testRun: run2 } = await mutate<{ testRun: Run }>(
      ts.client,
      'startTestRun',
      { releaseId: planned.id, testerIds: ['p-anna', 'p-lead'] },
      RUN,
      t['p-uat'],
    );
    expect(run2).toMatchObject({ number: 2, status: 'OPEN', counts: { total: 2, notRun: 2 } });
    const retestCases = await runCases(ts.client, run2.id, t['p-uat']);
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: run2.id, caseId: retestCases['Run the monthly payroll'].caseId, outcome: 'PASSED' },
      'result { caseId }',
      t['p-anna'],
    );
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: run2.id, caseId: retestCases['Print a payslip'].caseId, outcome: 'PASSED' },
      'result { caseId }',
      t['p-lead'],
    );
    expect((await readRelease(ts.client, planned.id, t['p-uat']))?.advice).toMatchObject({
      outcome: 'NO_GO',
      reasons: [{ rule: 'SEVERE_DEFECT_OPEN' }],
    });
    await mutate(
      ts.client,
      'resolveDefect',
      { defectId: defect.id, resolution: 'Fixed in PD-4711, confirmed in the retest.' },
      'defect { status }',
      t['p-anna'],
    );

    const retested = await readRelease(ts.client, planned.id, t['p-po']);
    expect(retested).toMatchObject({
      status: 'IN_TEST',
      advice: { outcome: 'GO', reasons: [], coverage: 100, testRun: { number: 2 } },
      defects: { nodes: [{ status: 'RESOLVED' }] },
    });
    await mutate(ts.client, 'completeTestRun', { runId: run2.id }, 'testRun { status }', t['p-uat']);
    const go = await decide({
      decision: 'GO',
      rationale: 'All cases pass; the blocking defect is fixed.',
      version: retested?.version,
    });
    expect(go.data?.recordReleaseDecision).toEqual({
      release: { status: 'DECIDED' },
      decision: { decision: 'GO', deviatesFromAdvice: false },
    });

    const final = await readRelease(ts.client, planned.id, t['p-po']);
    expect(final).toMatchObject({
      status: 'DECIDED',
      decision: { decision: 'GO', decidedBy: { id: 'p-uat', name: 'Ursula Ament' }, testRun: { number: 2 } },
      decisions: [{ decision: 'NO_GO' }, { decision: 'GO' }],
      testRuns: { totalCount: 2 },
    });
    expect(final?.publishedAt).toBe(clock.now().toISOString());
    expect((await releaseTestingOutbox(ts, 'servicecenter.release.decided.v1')).map((e) => e.data.decision)).toEqual([
      'NO_GO',
      'GO',
    ]);
    const [published] = await releaseTestingOutbox(ts, 'servicecenter.release.information-published.v1');
    expect(published.data).toMatchObject({
      releaseId: planned.id,
      decision: 'GO',
      knownIssues: [],
      releaseVersion: '26.12',
    });

    // The customer reads the release information, with the product's name from the requests subgraph.
    const { releaseInformation } = await ts.client.ok<{
      releaseInformation: { totalCount: number; nodes: Record<string, unknown>[] };
    }>(
      `{ releaseInformation(productId: "prod-payroll") { totalCount nodes { releaseVersion plannedProductionDate releaseNotes knownIssues product { id name } } } }`,
      {},
      t['u-acme'],
    );
    expect(releaseInformation).toEqual({
      totalCount: 1,
      nodes: [
        {
          releaseVersion: '26.12',
          plannedProductionDate: '2026-12-05T06:00:00.000Z',
          releaseNotes: 'New tax tables for 2027; part-time hours in the payroll run.',
          knownIssues: [],
          product: { id: 'prod-payroll', name: 'Payroll Cloud' },
        },
      ],
    });
    // ...but still none of the internals.
    expect(await readRelease(ts.client, planned.id, t['u-acme'])).toBeNull();

    // After GO the results are frozen.
    expect(
      errorCode(
        await mutation(
          ts.client,
          'startTestRun',
          { releaseId: planned.id, testerIds: ['p-anna'] },
          'testRun { id }',
          t['p-uat'],
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      errorCode(
        await mutation(
          ts.client,
          'recordTestResult',
          { runId: run2.id, caseId: retestCases['Print a payslip'].caseId, outcome: 'FAILED', note: 'late' },
          'result { caseId }',
          t['p-anna'],
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(errorCode(await decide({ decision: 'NO_GO', rationale: 'Second thoughts' }))).toBe('INVALID_TRANSITION');
  });

  it('records a decision that differs from the advice only with a deviation reason, and publishes known issues', async () => {
    const { release } = await mutate<{ release: { id: string } }>(
      ts.client,
      'planRelease',
      {
        productId: 'prod-hr',
        releaseVersion: '26.12',
        plannedProductionDate: '2026-12-12T06:00:00Z',
        releaseNotes: 'Leave requests in the app.',
      },
      'release { id }',
      t['p-uat'],
    );
    const { testPlan } = await mutate<{ testPlan: { id: string } }>(
      ts.client,
      'createTestPlan',
      {
        productId: 'prod-hr',
        name: 'HR core',
        cases: [
          {
            title: 'Request leave',
            steps: ['Open the app', 'Request a day off'],
            expectedResult: 'The manager sees the request',
            criticality: 'MAJOR',
          },
        ],
      },
      'testPlan { id }',
      t['p-uat'],
    );
    // A plan of another product does not fit.
    const { testPlan: payrollPlan } = await mutate<{ testPlan: { id: string } }>(
      ts.client,
      'createTestPlan',
      PAYROLL_PLAN,
      'testPlan { id }',
      t['p-uat'],
    );
    expect(
      errorCode(
        await mutation(
          ts.client,
          'startTestRun',
          { releaseId: release.id, testPlanId: payrollPlan.id, testerIds: ['p-bram'] },
          'testRun { id }',
          t['p-uat'],
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const { testRun } = await mutate<{ testRun: Run }>(
      ts.client,
      'startTestRun',
      { releaseId: release.id, testPlanId: testPlan.id, testerIds: ['p-bram'] },
      RUN,
      t['p-uat'],
    );
    const cases = await runCases(ts.client, testRun.id, t['p-uat']);
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: testRun.id, caseId: cases['Request leave'].caseId, outcome: 'PASSED' },
      'result { caseId }',
      t['p-bram'],
    );
    const { defect } = await mutate<{ defect: { id: string; version: number } }>(
      ts.client,
      'reportDefect',
      {
        runId: testRun.id,
        title: 'Leave balance shows one decimal too many',
        description: 'Shows 12.50 days',
        severity: 'MINOR',
      },
      'defect { id version }',
      t['p-bram'],
    );
    // A second tester joins; product development's change is linked to the defect.
    const { testRun: assigned } = await mutate<{ testRun: Run }>(
      ts.client,
      'assignTesters',
      { runId: testRun.id, version: testRun.version, testerIds: ['p-bram', 'p-anna'] },
      RUN,
      t['p-uat'],
    );
    expect(assigned).toMatchObject({ testerIds: ['p-bram', 'p-anna'], version: testRun.version + 1 });
    expect(
      errorCode(
        await mutation(
          ts.client,
          'linkDefect',
          { defectId: defect.id, changeRefs: ['not a ref'] },
          'defect { id }',
          t['p-anna'],
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const { defect: linked } = await mutate<{ defect: { changeRefs: string[]; version: number } }>(
      ts.client,
      'linkDefect',
      { defectId: defect.id, version: defect.version, changeRefs: ['PD-99'] },
      'defect { changeRefs version }',
      t['p-anna'],
    );
    expect(linked).toEqual({ changeRefs: ['PD-99'], version: defect.version + 1 });
    // The stale version of the run is a CONFLICT.
    expect(
      errorCode(
        await mutation(
          ts.client,
          'completeTestRun',
          { runId: testRun.id, version: testRun.version },
          'testRun { id }',
          t['p-uat'],
        ),
      ),
    ).toBe('CONFLICT');
    await mutate(
      ts.client,
      'completeTestRun',
      { runId: testRun.id, version: assigned.version },
      'testRun { id }',
      t['p-uat'],
    );

    const advised = await readRelease(ts.client, release.id, t['p-uat']);
    expect(advised?.advice).toMatchObject({
      outcome: 'GO_WITH_CONDITIONS',
      reasons: [{ rule: 'MINOR_DEFECT_OPEN', outcome: 'GO_WITH_CONDITIONS' }],
    });
    const decide = (input: Record<string, unknown>) =>
      mutation(
        ts.client,
        'recordReleaseDecision',
        { releaseId: release.id, ...input },
        'decision { decision deviatesFromAdvice deviationReason }',
        t['p-uat'],
      );
    expect(errorCode(await decide({ decision: 'NO_GO', rationale: 'Not convinced' }))).toBe('BAD_USER_INPUT');
    const decided = await decide({ decision: 'GO_WITH_CONDITIONS', rationale: 'Cosmetic issue only' });
    expect(decided.data?.recordReleaseDecision).toEqual({
      decision: { decision: 'GO_WITH_CONDITIONS', deviatesFromAdvice: false, deviationReason: null },
    });

    const { releaseInformation } = await ts.client.ok<{
      releaseInformation: { nodes: { releaseVersion: string; knownIssues: string[] }[] };
    }>(`{ releaseInformation(productId: "prod-hr") { nodes { releaseVersion knownIssues } } }`, {}, t['u-acme']);
    expect(releaseInformation.nodes).toEqual([
      { releaseVersion: '26.12', knownIssues: ['Leave balance shows one decimal too many'] },
    ]);

    // Every product's releases in one operation (one batch for the products of the page).
    const { products } = await ts.client.ok<{
      products: { edges: { node: { id: string; releases: { totalCount: number; nodes: { status: string }[] } } }[] };
    }>(`{ products { edges { node { id releases(first: 1) { totalCount nodes { status } } } } } }`, {}, t['p-po']);
    expect(Object.fromEntries(products.edges.map((e) => [e.node.id, e.node.releases]))).toEqual({
      'prod-payroll': { totalCount: 1, nodes: [{ status: 'DECIDED' }] },
      'prod-hr': { totalCount: 1, nodes: [{ status: 'DECIDED' }] },
    });
  });

  describe('product ids the directory never announced', () => {
    const counts = async () => ({
      ...(await ts.client.ok<{ releases: { totalCount: number }; testPlans: { totalCount: number } }>(
        `{ releases(first: 0) { totalCount } testPlans(first: 0) { totalCount } }`,
        {},
        t['p-uat'],
      )),
      planned: (await releaseTestingOutbox(ts, 'servicecenter.release.planned.v1')).length,
    });
    const refusal = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => ({
      code: r.errors?.[0]?.extensions?.code,
      field: r.errors?.[0]?.extensions?.field,
    });

    it('refuses to plan a release of an unknown product, writing nothing', async () => {
      const before = await counts();
      const result = await mutation(
        ts.client,
        'planRelease',
        {
          productId: 'prod-nobody',
          releaseVersion: '27.1',
          plannedProductionDate: '2027-01-05T06:00:00Z',
          releaseNotes: 'A product that does not exist.',
        },
        'release { id }',
        t['p-uat'],
      );
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.productId' });
      expect(await counts()).toEqual(before);
    });

    it('refuses a test plan of an unknown product, writing nothing', async () => {
      const before = await counts();
      const result = await mutation(
        ts.client,
        'createTestPlan',
        { ...PAYROLL_PLAN, productId: 'prod-nobody' },
        'testPlan { id }',
        t['p-uat'],
      );
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.productId' });
      expect(await counts()).toEqual(before);
    });
  });
});
