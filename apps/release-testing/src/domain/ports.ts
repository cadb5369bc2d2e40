import type { NewEvent } from '@servicecenter/platform-events';
import type { CaseResult, Defect, Release, ReleaseDecision, TestPlan, TestRun } from './model';

/** What the use cases need from storage; the PostgreSQL repositories implement it. */
export interface ReleaseTestingTransaction {
  releases: {
    insert(r: Release): Promise<void>;
    update(before: Release, after: Release): Promise<void>;
    findById(id: string, lock?: boolean): Promise<Release | null>;
  };
  plans: {
    insert(p: TestPlan): Promise<void>;
    /** Adds the cases `after` has beyond `before` and bumps the version. */
    update(before: TestPlan, after: TestPlan): Promise<void>;
    findById(id: string, lock?: boolean): Promise<TestPlan | null>;
  };
  runs: {
    insert(run: TestRun, cases: CaseResult[]): Promise<void>;
    update(before: TestRun, after: TestRun): Promise<void>;
    /** `share` lets testers record side by side while keeping the run from completing meanwhile. */
    findById(id: string, lock?: boolean | 'share'): Promise<TestRun | null>;
    ofRelease(releaseId: string): Promise<TestRun[]>;
    cases(runId: string): Promise<CaseResult[]>;
    findCase(runId: string, caseId: string): Promise<CaseResult | null>;
    updateCase(before: CaseResult, after: CaseResult): Promise<void>;
  };
  defects: {
    insert(d: Defect): Promise<void>;
    update(before: Defect, after: Defect): Promise<void>;
    findById(id: string, lock?: boolean): Promise<Defect | null>;
    openOfRelease(releaseId: string): Promise<Defect[]>;
  };
  decisions: { insert(d: ReleaseDecision): Promise<void> };
  /** The request read model (requests service events). */
  requests: { unknown(ids: readonly string[]): Promise<string[]> };
  /** The product read model (the directory's product-saved events). */
  products: { unknown(ids: readonly string[]): Promise<string[]> };
  /** The directory's people this service knows (from person-saved events): testers are known people. */
  people: { unknown(ids: readonly string[]): Promise<string[]> };
  publish(...events: NewEvent[]): void;
}

export interface ReleaseTestingUnitOfWork {
  run<T>(
    meta: { actor?: string; correlationId?: string },
    work: (tx: ReleaseTestingTransaction) => Promise<T>,
  ): Promise<T>;
}

export interface ReleaseTestingDeps {
  uow: ReleaseTestingUnitOfWork;
  now(): Date;
  newId(): string;
  minCoveragePercent: number;
}
