import { randomUUID } from 'node:crypto';
import { Topics } from '@servicecenter/contracts';
import { describeWithKafka, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { PAYROLL_PLAN, mutate, runCases } from '../testing/release-testing-e2e';
import { plainConsumer, startKafkaTestStack } from '../testing/kafka-e2e';
import type { TestStack } from '../testing/test-stack';

/**
 * Product development learns the GO / NO-GO decision from servicecenter.release-testing.v1
 * with any Kafka client: here a plain kafkajs consumer in its own group finds a self-contained
 * CloudEvent (binary mode: ce_* headers, JSON body, key = release id).
 */
describeWithKafka('release decision on Kafka', () => {
  let ts: TestStack;
  let pd: Awaited<ReturnType<typeof plainConsumer>>;

  beforeAll(async () => {
    ts = await startKafkaTestStack('release-testing-infra-test');
    pd = await plainConsumer(Topics.releaseTesting, 'pd-release-consumer');
  }, 120_000);

  afterAll(async () => {
    await pd?.stop();
    await ts?.stop();
  });

  it('publishes the NO-GO decision that product development reads without calling back', async () => {
    await createDesk(ts);
    const [uat, anna] = [await tokenFor(ts.client, 'p-uat'), await tokenFor(ts.client, 'p-anna')];
    // A release version of its own: the topic keeps earlier runs' events.
    const releaseVersion = `26.12-${randomUUID().slice(0, 8)}`;
    const { release } = await mutate<{ release: { id: string } }>(
      ts.client,
      'planRelease',
      {
        productId: 'prod-payroll',
        releaseVersion,
        plannedProductionDate: '2026-12-05T06:00:00Z',
        releaseNotes: 'New tax tables for 2027.',
      },
      'release { id }',
      uat,
    );
    const { testPlan } = await mutate<{ testPlan: { id: string } }>(
      ts.client,
      'createTestPlan',
      PAYROLL_PLAN,
      'testPlan { id }',
      uat,
    );
    const { testRun } = await mutate<{ testRun: { id: string } }>(
      ts.client,
      'startTestRun',
      { releaseId: release.id, testPlanId: testPlan.id, testerIds: ['p-anna'] },
      'testRun { id }',
      uat,
    );
    const cases = await runCases(ts.client, testRun.id, uat);
    const critical = cases['Run the monthly payroll'].caseId;
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: testRun.id, caseId: critical, outcome: 'FAILED', note: 'PR-500 at step 3' },
      'result { caseId }',
      anna,
    );
    await mutate(
      ts.client,
      'recordTestResult',
      { runId: testRun.id, caseId: cases['Print a payslip'].caseId, outcome: 'PASSED' },
      'result { caseId }',
      anna,
    );
    const { defect } = await mutate<{ defect: { id: string } }>(
      ts.client,
      'reportDefect',
      {
        runId: testRun.id,
        title: 'Payroll run stops at step 3',
        description: 'PR-500 for part-time employees',
        severity: 'BLOCKING',
        caseIds: [critical],
        changeRefs: ['PD-4711'],
      },
      'defect { id }',
      anna,
    );
    await mutate(ts.client, 'completeTestRun', { runId: testRun.id }, 'testRun { id }', uat);
    await mutate(
      ts.client,
      'recordReleaseDecision',
      { releaseId: release.id, decision: 'NO_GO', rationale: 'The payroll run fails.' },
      'release { id }',
      uat,
    );

    const isDecision = (m: (typeof pd.received)[number]) =>
      m.key === release.id && m.headers.ce_type === 'servicecenter.release.decided.v1';
    const message = await waitFor(
      async () => pd.received.find(isDecision),
      (m) => m !== undefined,
      { what: 'the decision on Kafka', timeoutMs: 60_000 },
    );
    if (!message) throw new Error('no decision');
    expect(message.headers).toMatchObject({
      ce_subject: release.id,
      ce_source: '/servicecenter/release-testing',
      ce_specversion: '1.0',
      ce_actor: 'p-uat',
    });
    expect(message.body).toMatchObject({
      releaseId: release.id,
      productId: 'prod-payroll',
      releaseVersion,
      plannedProductionDate: '2026-12-05T06:00:00.000Z',
      decision: 'NO_GO',
      rationale: 'The payroll run fails.',
      deviatesFromAdvice: false,
      advice: {
        outcome: 'NO_GO',
        reasons: [
          { rule: 'CRITICAL_CASE_FAILED', caseIds: [critical] },
          { rule: 'SEVERE_DEFECT_OPEN', defectIds: [defect.id] },
        ],
      },
      run: { runId: testRun.id, number: 1, total: 2, passed: 1, failed: 1, notRun: 0 },
      openDefects: [{ defectId: defect.id, severity: 'BLOCKING', changeRefs: ['PD-4711'] }],
    });
    // The release's events arrive in the order they happened (one key, one partition).
    const types = pd.received.filter((m) => m.key === release.id).map((m) => m.headers.ce_type);
    expect(types).toEqual([
      'servicecenter.release.planned.v1',
      'servicecenter.release.defect-reported.v1',
      'servicecenter.release.test-run-completed.v1',
      'servicecenter.release.decided.v1',
    ]);
  }, 120_000);
});
