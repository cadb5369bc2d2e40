/** DOMAIN.md "Release testing (UAT)": releases, test plans, runs, results, defects, decisions. */
export const RELEASE_STATUSES = ['PLANNED', 'IN_TEST', 'DECIDED'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export const OUTCOMES = ['GO', 'GO_WITH_CONDITIONS', 'NO_GO'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const CRITICALITIES = ['CRITICAL', 'MAJOR', 'MINOR'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
export const TEST_OUTCOMES = ['PASSED', 'FAILED', 'BLOCKED', 'SKIPPED'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];
export const RUN_STATUSES = ['OPEN', 'COMPLETED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const SEVERITIES = ['BLOCKING', 'CRITICAL', 'MAJOR', 'MINOR'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DEFECT_STATUSES = ['OPEN', 'RESOLVED'] as const;
export type DefectStatus = (typeof DEFECT_STATUSES)[number];

export interface Release {
  id: string;
  productId: string;
  releaseVersion: string;
  plannedProductionDate: Date;
  releaseNotes: string;
  status: ReleaseStatus;
  /** The latest decision (null until the first one). */
  decision: Outcome | null;
  /** When the release information became readable by customers (a GO decision). */
  publishedAt: Date | null;
  /** Titles of the defects open at a GO WITH CONDITIONS decision, shown to customers. */
  knownIssues: string[];
  createdBy: string;
  createdAt: Date;
  version: number;
}

export interface TestCase {
  id: string;
  position: number;
  title: string;
  steps: string[];
  expectedResult: string;
  criticality: Criticality;
}

export interface TestPlan {
  id: string;
  productId: string;
  name: string;
  cases: TestCase[];
  createdBy: string;
  createdAt: Date;
  version: number;
}

export interface Evidence {
  name: string;
  contentType: string | null;
  url: string | null;
  sizeBytes: number | null;
  description: string | null;
}

/** A case of a run: a copy of the plan's case when the run started, and its result. */
export interface CaseResult extends TestCase {
  runId: string;
  outcome: TestOutcome | null;
  note: string | null;
  evidence: Evidence[];
  recordedBy: string | null;
  recordedAt: Date | null;
  version: number;
}

export interface TestRun {
  id: string;
  releaseId: string;
  testPlanId: string;
  number: number;
  status: RunStatus;
  testerIds: string[];
  startedBy: string;
  startedAt: Date;
  completedBy: string | null;
  completedAt: Date | null;
  version: number;
}

export interface Defect {
  id: string;
  releaseId: string;
  runId: string;
  title: string;
  description: string;
  severity: Severity;
  status: DefectStatus;
  caseIds: string[];
  requestIds: string[];
  changeRefs: string[];
  reportedBy: string;
  reportedAt: Date;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  version: number;
}

export interface AdviceReason {
  rule: AdviceRule;
  /** What this rule alone advises. */
  outcome: Outcome;
  message: string;
  caseIds: string[];
  defectIds: string[];
}

export type AdviceRule =
  | 'NO_TEST_RUN'
  | 'CRITICAL_CASE_FAILED'
  | 'CRITICAL_CASE_NOT_EXECUTED'
  | 'SEVERE_DEFECT_OPEN'
  | 'COVERAGE_BELOW_THRESHOLD'
  | 'NON_CRITICAL_CASE_FAILED'
  | 'MINOR_DEFECT_OPEN';

export interface RunCounts {
  total: number;
  passed: number;
  failed: number;
  blocked: number;
  skipped: number;
  notRun: number;
}

export interface Advice {
  outcome: Outcome;
  reasons: AdviceReason[];
  runId: string | null;
  counts: RunCounts;
  /** Executed (PASSED + FAILED) of all cases, 0..100. */
  coveragePercent: number;
  minCoveragePercent: number;
}

export interface ReleaseDecision {
  id: string;
  releaseId: string;
  runId: string;
  decision: Outcome;
  advice: Advice;
  rationale: string;
  deviationReason: string | null;
  decidedBy: string;
  decidedAt: Date;
}
