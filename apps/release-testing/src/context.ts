import DataLoader from 'dataloader';
import { customerScope, type Caller } from '@servicecenter/platform-auth';
import { byId, childrenLoader, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from '@servicecenter/platform-service';
import type { CaseResult, Defect, Release, ReleaseDecision, TestPlan, TestRun } from './domain/model';
import type { ReleaseUseCases } from './domain/release-use-cases';
import type { RunUseCases } from './domain/run-use-cases';
import type { DecisionRepository, ReleaseRepository } from './persistence/release.repository';
import type { RequestRefRepository } from './persistence/request-ref.repository';
import type { DefectRepository, PlanRepository, RunRepository } from './persistence/test.repository';

export interface Repositories {
  releases: ReleaseRepository;
  decisions: DecisionRepository;
  plans: PlanRepository;
  runs: RunRepository;
  defects: DefectRepository;
}

export interface ReleaseTestingContext extends RequestContext {
  loaders: ReturnType<typeof releaseTestingLoaders>;
  repos: Repositories;
  releaseUseCases: ReleaseUseCases;
  runUseCases: RunUseCases;
  minCoveragePercent: number;
  /** Whether the graph's visibility rule lets the caller see a request (Defect.requests), batched. */
  requestVisible: DataLoader<string, boolean>;
  status(): Promise<ServiceStatus>;
}

/** The caller's view of linked requests: every one for those who see every customer, else one query per batch. */
export function requestVisibilityLoader(refs: RequestRefRepository, caller: Caller | undefined) {
  const scope = caller ? customerScope(caller) : null;
  return new DataLoader<string, boolean>(async (ids) => {
    if (!scope) return ids.map(() => false);
    if (scope.all) return ids.map(() => true);
    const visible = await refs.visibleAmong(ids, scope);
    return ids.map((id) => visible.has(id));
  });
}

/** One set of DataLoaders per GraphQL operation: one query per batch, no cache across callers. */
export function releaseTestingLoaders(repos: Repositories) {
  return {
    releaseById: byId<Release>((ids) => repos.releases.findByIds(ids)),
    planById: byId<TestPlan>((ids) => repos.plans.findByIds(ids)),
    runById: byId<TestRun>((ids) => repos.runs.findByIds(ids)),
    defectById: byId<Defect>((ids) => repos.defects.findByIds(ids)),
    /** Runs of a release by number (a handful per release). */
    runsByRelease: childrenLoader<TestRun>(
      (ids) => repos.runs.ofReleases(ids),
      (r) => r.releaseId,
    ),
    /** Cases with results of a run in plan order (bounded by the plan's size). */
    casesByRun: childrenLoader<CaseResult>(
      (ids) => repos.runs.casesOfRuns(ids),
      (c) => c.runId,
    ),
    defectsByRelease: childrenLoader<Defect>(
      (ids) => repos.defects.ofReleases(ids),
      (d) => d.releaseId,
    ),
    /** Request.releaseDefects: every defect linked to a request of the batch. */
    defectsByRequest: new DataLoader<string, Defect[]>(async (ids) => {
      const defects = await repos.defects.ofRequests(ids);
      return ids.map((id) => defects.filter((d) => d.requestIds.includes(id)));
    }),
    decisionsByRelease: childrenLoader<ReleaseDecision>(
      (ids) => repos.decisions.ofReleases(ids),
      (d) => d.releaseId,
    ),
    /** Product.releases pages, one loader per argument set (the batch shares first/after/status). */
    releasePages: new Map<string, DataLoader<string, { rows: Release[]; total: number }>>(),
  };
}
