import { computeAdvice, coveragePercent, countResults } from './advice';
import type { CaseResult, Criticality, Defect, Severity, TestOutcome } from './model';

let n = 0;
const testCase = (criticality: Criticality, outcome: TestOutcome | null): CaseResult => {
  n += 1;
  return {
    id: `case-${n}`,
    position: n,
    title: `Case ${n}`,
    steps: ['do it'],
    expectedResult: 'it works',
    criticality,
    runId: 'run-1',
    outcome,
    note: null,
    evidence: [],
    recordedBy: null,
    recordedAt: null,
    version: 1,
  };
};
const many = (count: number, criticality: Criticality, outcome: TestOutcome | null) =>
  Array.from({ length: count }, () => testCase(criticality, outcome));
const defect = (severity: Severity, status: Defect['status'] = 'OPEN'): Defect => ({
  id: `defect-${severity}`,
  releaseId: 'rel-1',
  runId: 'run-1',
  title: `${severity} defect`,
  description: '',
  severity,
  status,
  caseIds: [],
  requestIds: [],
  changeRefs: [],
  reportedBy: 'p-anna',
  reportedAt: new Date('2026-11-01T10:00:00Z'),
  resolution: null,
  resolvedBy: null,
  resolvedAt: null,
  version: 1,
});
const open = (defects: Defect[]) => defects.filter((d) => d.status === 'OPEN');
const advise = (cases: CaseResult[], defects: Defect[] = [], minCoveragePercent = 90) =>
  computeAdvice({ run: { id: 'run-1', cases }, openDefects: open(defects), minCoveragePercent });
const rules = (a: ReturnType<typeof advise>) => a.reasons.map((r) => r.rule);

describe('the GO / NO-GO advice', () => {
  it('advises GO when every case passed and nothing is open, with no reasons', () => {
    const advice = advise([...many(2, 'CRITICAL', 'PASSED'), ...many(3, 'MINOR', 'PASSED')]);
    expect(advice).toMatchObject({
      outcome: 'GO',
      reasons: [],
      coveragePercent: 100,
      counts: { total: 5, passed: 5, notRun: 0 },
    });
  });

  it('advises NO_GO for a release without a test run', () => {
    const advice = computeAdvice({ run: null, openDefects: [], minCoveragePercent: 90 });
    expect(advice.outcome).toBe('NO_GO');
    expect(rules(advice)).toEqual(['NO_TEST_RUN']);
  });

  describe('critical cases', () => {
    it('one failed critical case is NO_GO, naming the case', () => {
      const failed = testCase('CRITICAL', 'FAILED');
      const advice = advise([failed, ...many(9, 'MINOR', 'PASSED')]);
      expect(advice.outcome).toBe('NO_GO');
      expect(advice.reasons).toEqual([
        expect.objectContaining({ rule: 'CRITICAL_CASE_FAILED', outcome: 'NO_GO', caseIds: [failed.id] }),
      ]);
    });

    it('a blocked critical case is NO_GO (and not executed, so it also costs coverage)', () => {
      const blocked = testCase('CRITICAL', 'BLOCKED');
      const advice = advise([blocked, ...many(9, 'MINOR', 'PASSED')]);
      expect(advice.outcome).toBe('NO_GO');
      expect(rules(advice)).toEqual(['CRITICAL_CASE_FAILED']);
      expect(advice.coveragePercent).toBe(90);
    });

    it('a skipped or unrun critical case is NO_GO', () => {
      expect(rules(advise([testCase('CRITICAL', 'SKIPPED'), ...many(19, 'MINOR', 'PASSED')]))).toEqual([
        'CRITICAL_CASE_NOT_EXECUTED',
      ]);
      expect(rules(advise([testCase('CRITICAL', null), ...many(19, 'MINOR', 'PASSED')]))).toEqual([
        'CRITICAL_CASE_NOT_EXECUTED',
      ]);
    });

    it('a failed MAJOR or MINOR case is only a condition', () => {
      const advice = advise([
        ...many(2, 'CRITICAL', 'PASSED'),
        testCase('MAJOR', 'FAILED'),
        testCase('MINOR', 'BLOCKED'),
        ...many(16, 'MINOR', 'PASSED'),
      ]);
      expect(advice.outcome).toBe('GO_WITH_CONDITIONS');
      expect(rules(advice)).toEqual(['NON_CRITICAL_CASE_FAILED']);
      expect(advice.reasons[0].caseIds).toHaveLength(2);
    });
  });

  describe('coverage at the threshold (executed = PASSED + FAILED)', () => {
    it('exactly 90% executed passes', () => {
      const advice = advise([...many(9, 'MINOR', 'PASSED'), testCase('MINOR', 'SKIPPED')]);
      expect(advice.coveragePercent).toBe(90);
      expect(advice.outcome).toBe('GO');
    });

    it('just under 90% is NO_GO, naming the unexecuted cases', () => {
      // 179 of 200 = 89.5%
      const unexecuted = many(21, 'MINOR', null);
      const advice = advise([...many(179, 'MINOR', 'PASSED'), ...unexecuted]);
      expect(advice.coveragePercent).toBe(89.5);
      expect(advice.outcome).toBe('NO_GO');
      expect(advice.reasons).toEqual([
        expect.objectContaining({ rule: 'COVERAGE_BELOW_THRESHOLD', caseIds: unexecuted.map((c) => c.id) }),
      ]);
    });

    it('counts a failed case as executed and blocked or skipped ones as not executed', () => {
      expect(
        coveragePercent(
          countResults([...many(8, 'MINOR', 'PASSED'), testCase('MINOR', 'FAILED'), testCase('MINOR', 'BLOCKED')]),
        ),
      ).toBe(90);
      expect(
        rules(advise([...many(8, 'MINOR', 'PASSED'), testCase('MINOR', 'BLOCKED'), testCase('MINOR', 'SKIPPED')])),
      ).toContain('COVERAGE_BELOW_THRESHOLD');
    });

    it('follows a configured threshold: 100% needs every case executed', () => {
      expect(advise([...many(9, 'MINOR', 'PASSED'), testCase('MINOR', 'SKIPPED')], [], 100).outcome).toBe('NO_GO');
      expect(advise(many(10, 'MINOR', 'PASSED'), [], 100).outcome).toBe('GO');
      expect(advise([...many(1, 'MINOR', 'PASSED'), ...many(9, 'MINOR', 'SKIPPED')], [], 10).outcome).toBe('GO');
    });
  });

  describe('defects', () => {
    const allPassed = () => many(10, 'MINOR', 'PASSED');

    it.each(['BLOCKING', 'CRITICAL'] as const)('an open %s defect is NO_GO', (severity) => {
      const advice = advise(allPassed(), [defect(severity)]);
      expect(advice.outcome).toBe('NO_GO');
      expect(advice.reasons).toEqual([
        expect.objectContaining({ rule: 'SEVERE_DEFECT_OPEN', defectIds: [`defect-${severity}`] }),
      ]);
    });

    it('a resolved blocking defect no longer counts', () => {
      expect(advise(allPassed(), [defect('BLOCKING', 'RESOLVED')]).outcome).toBe('GO');
    });

    it.each(['MAJOR', 'MINOR'] as const)('only an open %s defect is GO_WITH_CONDITIONS', (severity) => {
      const advice = advise(allPassed(), [defect(severity)]);
      expect(advice.outcome).toBe('GO_WITH_CONDITIONS');
      expect(rules(advice)).toEqual(['MINOR_DEFECT_OPEN']);
    });

    it('reports every rule that fires; the worst decides', () => {
      const advice = advise(
        [testCase('CRITICAL', 'FAILED'), testCase('MAJOR', 'FAILED'), ...many(8, 'MINOR', 'PASSED')],
        [defect('BLOCKING'), defect('MINOR')],
      );
      expect(advice.outcome).toBe('NO_GO');
      expect(rules(advice)).toEqual([
        'CRITICAL_CASE_FAILED',
        'SEVERE_DEFECT_OPEN',
        'NON_CRITICAL_CASE_FAILED',
        'MINOR_DEFECT_OPEN',
      ]);
    });
  });
});
