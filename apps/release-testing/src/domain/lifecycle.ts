import { badInput, conflict, invalidTransition } from '@servicecenter/platform-errors';
import type {
  Advice,
  CaseResult,
  Defect,
  Evidence,
  Outcome,
  Release,
  ReleaseDecision,
  Severity,
  TestOutcome,
  TestRun,
} from './model';

/**
 * Release: PLANNED → IN_TEST (first run started) → DECIDED. A NO_GO decision allows a retest
 * (back to IN_TEST with a new run); GO and GO_WITH_CONDITIONS are final: results, defects and
 * runs of the release are frozen.
 */
export const isFinal = (r: Pick<Release, 'status' | 'decision'>) => r.status === 'DECIDED' && r.decision !== 'NO_GO';

export function mustMatchVersion(what: string, current: number, expected: number | null | undefined): void {
  if (expected !== null && expected !== undefined && expected !== current)
    throw conflict(`${what} changed meanwhile (version ${current}, you read ${expected}); read it again`, {
      currentVersion: current,
    });
}

export function mustNotBeFinal(release: Release, action: string): void {
  if (isFinal(release))
    throw invalidTransition(`DECIDED_${release.decision}`, action, [], {
      reason: `release ${release.releaseVersion} is decided ${release.decision}: its test results are frozen`,
    });
}

/** A new run: the first test (PLANNED), or a retest after NO_GO; never while another run is open. */
export function startRun(release: Release, runs: readonly TestRun[]): Release {
  mustNotBeFinal(release, 'START_TEST_RUN');
  const open = runs.find((r) => r.status === 'OPEN');
  if (open)
    throw invalidTransition('IN_TEST', 'START_TEST_RUN', ['COMPLETE_TEST_RUN'], {
      reason: `test run ${open.number} is still open`,
    });
  return { ...release, status: 'IN_TEST', version: release.version + 1 };
}

export function mustBeOpen(run: TestRun, action: string): void {
  if (run.status !== 'OPEN')
    throw invalidTransition(run.status, action, [], { reason: `test run ${run.number} is completed` });
}

export function recordResult(
  result: CaseResult,
  fields: { outcome: TestOutcome; note: string | null; evidence: Evidence[]; by: string; now: Date },
): CaseResult {
  if ((fields.outcome === 'FAILED' || fields.outcome === 'BLOCKED') && !fields.note)
    throw badInput('input.note', `A ${fields.outcome.toLowerCase()} case needs a note saying what happened`);
  return {
    ...result,
    outcome: fields.outcome,
    note: fields.note,
    evidence: fields.evidence,
    recordedBy: fields.by,
    recordedAt: fields.now,
    version: result.version + 1,
  };
}

/** Completing with unexecuted cases is allowed: they count against the coverage. */
export function completeRun(run: TestRun, by: string, now: Date): TestRun {
  mustBeOpen(run, 'COMPLETE');
  return { ...run, status: 'COMPLETED', completedBy: by, completedAt: now, version: run.version + 1 };
}

export function resolveDefect(defect: Defect, fields: { resolution: string; by: string; now: Date }): Defect {
  if (defect.status !== 'OPEN')
    throw invalidTransition(defect.status, 'RESOLVED', [], { reason: 'the defect is already resolved' });
  return {
    ...defect,
    status: 'RESOLVED',
    resolution: fields.resolution,
    resolvedBy: fields.by,
    resolvedAt: fields.now,
    version: defect.version + 1,
  };
}

const merge = (a: readonly string[], b: readonly string[] | null | undefined) => [...new Set([...a, ...(b ?? [])])];

export function linkDefect(
  defect: Defect,
  links: { caseIds?: string[] | null; requestIds?: string[] | null; changeRefs?: string[] | null },
): Defect {
  const next = {
    ...defect,
    caseIds: merge(defect.caseIds, links.caseIds),
    requestIds: merge(defect.requestIds, links.requestIds),
    changeRefs: merge(defect.changeRefs, links.changeRefs),
  };
  const same =
    next.caseIds.length === defect.caseIds.length &&
    next.requestIds.length === defect.requestIds.length &&
    next.changeRefs.length === defect.changeRefs.length;
  return same ? defect : { ...next, version: defect.version + 1 };
}

/**
 * The coordinator's decision on the latest completed run. The rationale is always required; a
 * decision that differs from the computed advice needs a deviation reason as well.
 */
export function decide(
  release: Release,
  latestRun: TestRun | undefined,
  advice: Advice,
  fields: {
    id: string;
    decision: Outcome;
    rationale: string;
    deviationReason: string | null;
    by: string;
    now: Date;
    knownIssues: string[];
  },
): { release: Release; decision: ReleaseDecision } {
  mustNotBeFinal(release, 'DECIDE');
  if (!latestRun)
    throw invalidTransition(release.status, 'DECIDE', ['START_TEST_RUN'], {
      reason: 'the release has not been tested yet',
    });
  if (latestRun.status !== 'COMPLETED')
    throw invalidTransition(release.status, 'DECIDE', ['COMPLETE_TEST_RUN'], {
      reason: `test run ${latestRun.number} is still open`,
    });
  if (release.status === 'DECIDED')
    throw invalidTransition('DECIDED', 'DECIDE', ['START_TEST_RUN'], {
      reason: 'the NO_GO decision stands until a retest',
    });
  if (!fields.rationale) throw badInput('input.rationale', 'A decision needs a rationale');
  const deviates = fields.decision !== advice.outcome;
  if (deviates && !fields.deviationReason) {
    throw badInput(
      'input.deviationReason',
      `The advice is ${advice.outcome}; deciding ${fields.decision} needs a deviation reason`,
      { advice: advice.outcome },
    );
  }
  const published = fields.decision !== 'NO_GO';
  return {
    release: {
      ...release,
      status: 'DECIDED',
      decision: fields.decision,
      publishedAt: published ? fields.now : null,
      knownIssues: fields.decision === 'GO_WITH_CONDITIONS' ? fields.knownIssues : [],
      version: release.version + 1,
    },
    decision: {
      id: fields.id,
      releaseId: release.id,
      runId: latestRun.id,
      decision: fields.decision,
      advice,
      rationale: fields.rationale,
      deviationReason: deviates ? fields.deviationReason : fields.deviationReason || null,
      decidedBy: fields.by,
      decidedAt: fields.now,
    },
  };
}

/** The latest run of a release (the highest number), open or completed. */
export const latestRun = (runs: readonly TestRun[]): TestRun | undefined =>
  runs.reduce<TestRun | undefined>((l, r) => (!l || r.number > l.number ? r : l), undefined);

export const SEVERITY_ORDER: Record<Severity, number> = { BLOCKING: 0, CRITICAL: 1, MAJOR: 2, MINOR: 3 };
