import type { Advice, AdviceReason, CaseResult, Defect, Outcome, RunCounts } from './model';

/** The default of RELEASE_TESTING_MIN_COVERAGE_PERCENT: exactly this much passes. */
export const DEFAULT_MIN_COVERAGE_PERCENT = 90;

const RANK: Record<Outcome, number> = { GO: 0, GO_WITH_CONDITIONS: 1, NO_GO: 2 };
export const worst = (outcomes: Outcome[]): Outcome =>
  outcomes.reduce<Outcome>((w, o) => (RANK[o] > RANK[w] ? o : w), 'GO');

export function countResults(cases: readonly Pick<CaseResult, 'outcome'>[]): RunCounts {
  const count = (o: CaseResult['outcome']) => cases.filter((c) => c.outcome === o).length;
  return {
    total: cases.length,
    passed: count('PASSED'),
    failed: count('FAILED'),
    blocked: count('BLOCKED'),
    skipped: count('SKIPPED'),
    notRun: count(null),
  };
}

/** PASSED and FAILED cases were executed; BLOCKED, SKIPPED and not-run cases were not. */
export const coveragePercent = (c: RunCounts) =>
  c.total === 0 ? 0 : Math.round(((c.passed + c.failed) * 10000) / c.total) / 100;

const ids = <T extends { id: string }>(xs: readonly T[]) => xs.map((x) => x.id);
const titles = (xs: readonly { title: string }[]) => xs.map((x) => `"${x.title}"`).join(', ');

/**
 * The GO / GO WITH CONDITIONS / NO-GO advice of docs/release-testing.md. Inputs: the cases of
 * the assessed run (the latest run of the release, open or completed; null when there is
 * none) and the defects of the release that are still open. Every rule that fires is a
 * reason; the advice is the worst outcome among them (GO when none fires).
 */
export function computeAdvice(input: {
  run: { id: string; cases: readonly CaseResult[] } | null;
  openDefects: readonly Defect[];
  minCoveragePercent: number;
}): Advice {
  const { run, openDefects, minCoveragePercent } = input;
  const reasons: AdviceReason[] = [];
  const reason = (
    rule: AdviceReason['rule'],
    outcome: Outcome,
    message: string,
    caseIds: string[] = [],
    defectIds: string[] = [],
  ) => reasons.push({ rule, outcome, message, caseIds, defectIds });
  const cases = run?.cases ?? [];
  const counts = countResults(cases);
  const coverage = coveragePercent(counts);

  if (!run || cases.length === 0)
    reason('NO_TEST_RUN', 'NO_GO', run ? 'The test run has no test cases' : 'The release has not been tested yet');

  const critical = cases.filter((c) => c.criticality === 'CRITICAL');
  const criticalFailed = critical.filter((c) => c.outcome === 'FAILED' || c.outcome === 'BLOCKED');
  if (criticalFailed.length)
    reason(
      'CRITICAL_CASE_FAILED',
      'NO_GO',
      `Critical test case(s) failed or blocked: ${titles(criticalFailed)}`,
      ids(criticalFailed),
    );
  const criticalUnexecuted = critical.filter((c) => c.outcome === null || c.outcome === 'SKIPPED');
  if (criticalUnexecuted.length)
    reason(
      'CRITICAL_CASE_NOT_EXECUTED',
      'NO_GO',
      `Critical test case(s) not executed: ${titles(criticalUnexecuted)}`,
      ids(criticalUnexecuted),
    );

  const severe = openDefects.filter((d) => d.severity === 'BLOCKING' || d.severity === 'CRITICAL');
  if (severe.length)
    reason('SEVERE_DEFECT_OPEN', 'NO_GO', `Blocking or critical defect(s) open: ${titles(severe)}`, [], ids(severe));

  // Integer arithmetic: exactly the threshold passes, however many cases there are.
  if (cases.length > 0 && (counts.passed + counts.failed) * 100 < minCoveragePercent * counts.total) {
    const unexecuted = cases.filter((c) => c.outcome !== 'PASSED' && c.outcome !== 'FAILED');
    reason(
      'COVERAGE_BELOW_THRESHOLD',
      'NO_GO',
      `Coverage ${coverage}% is below the minimum of ${minCoveragePercent}% (${counts.passed + counts.failed} of ${counts.total} cases executed)`,
      ids(unexecuted),
    );
  }

  const otherFailed = cases.filter(
    (c) => c.criticality !== 'CRITICAL' && (c.outcome === 'FAILED' || c.outcome === 'BLOCKED'),
  );
  if (otherFailed.length)
    reason(
      'NON_CRITICAL_CASE_FAILED',
      'GO_WITH_CONDITIONS',
      `Non-critical test case(s) failed or blocked: ${titles(otherFailed)}`,
      ids(otherFailed),
    );
  const minor = openDefects.filter((d) => d.severity === 'MAJOR' || d.severity === 'MINOR');
  if (minor.length)
    reason(
      'MINOR_DEFECT_OPEN',
      'GO_WITH_CONDITIONS',
      `Major or minor defect(s) open: ${titles(minor)}`,
      [],
      ids(minor),
    );

  return {
    outcome: worst(reasons.map((r) => r.outcome)),
    reasons,
    runId: run?.id ?? null,
    counts,
    coveragePercent: coverage,
    minCoveragePercent,
  };
}
