import { computeAdvice } from './advice';
import { decide, linkDefect, recordResult, startRun } from './lifecycle';
import type { CaseResult, Defect, Release, TestRun } from './model';

const now = new Date('2026-11-23T10:00:00Z');
const release = (over: Partial<Release> = {}): Release => ({
  id: 'rel-1',
  productId: 'prod-payroll',
  releaseVersion: '26.12',
  plannedProductionDate: new Date('2026-12-05T06:00:00Z'),
  releaseNotes: 'notes',
  status: 'IN_TEST',
  decision: null,
  publishedAt: null,
  knownIssues: [],
  createdBy: 'p-uat',
  createdAt: now,
  version: 3,
  ...over,
});
const run = (over: Partial<TestRun> = {}): TestRun => ({
  id: 'run-1',
  releaseId: 'rel-1',
  testPlanId: 'plan-1',
  number: 1,
  status: 'COMPLETED',
  testerIds: ['p-anna'],
  startedBy: 'p-uat',
  startedAt: now,
  completedBy: 'p-uat',
  completedAt: now,
  version: 2,
  ...over,
});
const passed: CaseResult = {
  id: 'c1',
  position: 1,
  title: 'Run payroll',
  steps: ['run'],
  expectedResult: 'ok',
  criticality: 'CRITICAL',
  runId: 'run-1',
  outcome: 'PASSED',
  note: null,
  evidence: [],
  recordedBy: 'p-anna',
  recordedAt: now,
  version: 2,
};
const minorDefect = { id: 'd1', title: 'Typo on the payslip', severity: 'MINOR', status: 'OPEN' } as Defect;
const go = computeAdvice({ run: { id: 'run-1', cases: [passed] }, openDefects: [], minCoveragePercent: 90 });
const withConditions = computeAdvice({
  run: { id: 'run-1', cases: [passed] },
  openDefects: [minorDefect],
  minCoveragePercent: 90,
});
const fields = (over: Partial<Parameters<typeof decide>[3]> = {}) => ({
  id: 'dec-1',
  decision: 'GO' as const,
  rationale: 'All good',
  deviationReason: null,
  by: 'p-uat',
  now,
  knownIssues: [],
  ...over,
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, details: (e as { details: Record<string, unknown> }).details };
  }
  return null;
};

describe('the release decision', () => {
  it('records a decision that follows the advice, and publishes a GO release', () => {
    const { release: after, decision } = decide(release(), run(), go, fields());
    expect(after).toMatchObject({ status: 'DECIDED', decision: 'GO', publishedAt: now, version: 4 });
    expect(decision).toMatchObject({
      decision: 'GO',
      runId: 'run-1',
      deviationReason: null,
      advice: { outcome: 'GO' },
    });
  });

  it('needs a rationale', () => {
    expect(code(() => decide(release(), run(), go, fields({ rationale: '' })))).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'input.rationale' },
    });
  });

  it('needs a deviation reason for a decision that differs from the advice, either way', () => {
    expect(code(() => decide(release(), run(), withConditions, fields({ decision: 'GO' })))).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'input.deviationReason', advice: 'GO_WITH_CONDITIONS' },
    });
    expect(code(() => decide(release(), run(), go, fields({ decision: 'NO_GO' })))).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'input.deviationReason' },
    });
    const { decision } = decide(
      release(),
      run(),
      go,
      fields({ decision: 'NO_GO', deviationReason: 'Payroll freeze in December' }),
    );
    expect(decision).toMatchObject({ decision: 'NO_GO', deviationReason: 'Payroll freeze in December' });
  });

  it('keeps the open defects as known issues of a GO WITH CONDITIONS release', () => {
    const { release: after } = decide(
      release(),
      run(),
      withConditions,
      fields({ decision: 'GO_WITH_CONDITIONS', knownIssues: ['Typo on the payslip'] }),
    );
    expect(after).toMatchObject({
      decision: 'GO_WITH_CONDITIONS',
      knownIssues: ['Typo on the payslip'],
      publishedAt: now,
    });
  });

  it('does not publish a NO_GO release', () => {
    const noGo = computeAdvice({
      run: { id: 'run-1', cases: [{ ...passed, outcome: 'FAILED' }] },
      openDefects: [],
      minCoveragePercent: 90,
    });
    expect(decide(release(), run(), noGo, fields({ decision: 'NO_GO' })).release).toMatchObject({
      status: 'DECIDED',
      decision: 'NO_GO',
      publishedAt: null,
    });
  });

  it('is taken on a completed run only, once per run', () => {
    expect(code(() => decide(release({ status: 'PLANNED' }), undefined, go, fields()))?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(code(() => decide(release(), run({ status: 'OPEN' }), go, fields()))?.code).toBe('INVALID_TRANSITION');
    expect(code(() => decide(release({ status: 'DECIDED', decision: 'NO_GO' }), run(), go, fields()))?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(code(() => decide(release({ status: 'DECIDED', decision: 'GO' }), run(), go, fields()))?.code).toBe(
      'INVALID_TRANSITION',
    );
  });
});

describe('runs and results', () => {
  it('starts the first run and a retest after NO_GO, never after GO or beside an open run', () => {
    expect(startRun(release({ status: 'PLANNED' }), [])).toMatchObject({ status: 'IN_TEST', version: 4 });
    expect(startRun(release({ status: 'DECIDED', decision: 'NO_GO' }), [run()])).toMatchObject({ status: 'IN_TEST' });
    expect(code(() => startRun(release({ status: 'DECIDED', decision: 'GO' }), [run()]))?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(code(() => startRun(release({ status: 'DECIDED', decision: 'GO_WITH_CONDITIONS' }), [run()]))?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(code(() => startRun(release(), [run({ status: 'OPEN' })]))).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { allowedTransitions: ['COMPLETE_TEST_RUN'] },
    });
  });

  it('needs a note for a failed or blocked case', () => {
    const open = { ...passed, outcome: null };
    expect(
      code(() => recordResult(open, { outcome: 'FAILED', note: null, evidence: [], by: 'p-anna', now })),
    ).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.note' } });
    expect(recordResult(open, { outcome: 'SKIPPED', note: null, evidence: [], by: 'p-anna', now })).toMatchObject({
      outcome: 'SKIPPED',
      version: 3,
    });
  });

  it('links a defect once per reference', () => {
    const defect = { ...minorDefect, caseIds: [], requestIds: ['r1'], changeRefs: [], version: 1 } as Defect;
    expect(linkDefect(defect, { requestIds: ['r1'] })).toBe(defect);
    expect(linkDefect(defect, { changeRefs: ['PD-1'], requestIds: ['r1', 'r2'] })).toMatchObject({
      requestIds: ['r1', 'r2'],
      changeRefs: ['PD-1'],
      version: 2,
    });
  });
});
