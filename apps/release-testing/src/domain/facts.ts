import type { Caller } from '@servicecenter/platform-auth';
import { notFound } from '@servicecenter/platform-errors';
import { z } from 'zod';
import { computeAdvice } from './advice';
import { latestRun } from './lifecycle';
import type { Advice, Defect, Release, RunCounts, TestRun } from './model';
import type { ReleaseTestingDeps, ReleaseTestingTransaction } from './ports';

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));
export const uuid = z.uuid('must be an id this graph gave out');
export const version = z.number().int().positive().nullish();

export const meta = (caller: Caller, correlationId: string) => ({ actor: caller.id, correlationId });

export const releaseFacts = (r: Release) => ({
  releaseId: r.id,
  productId: r.productId,
  releaseVersion: r.releaseVersion,
  plannedProductionDate: r.plannedProductionDate.toISOString(),
});

export const runSummary = (run: TestRun, c: RunCounts) => ({ runId: run.id, number: run.number, ...c });

export const adviceFacts = (a: Advice) => ({
  outcome: a.outcome,
  reasons: a.reasons.map((r) => ({
    rule: r.rule,
    outcome: r.outcome,
    message: r.message,
    caseIds: r.caseIds,
    defectIds: r.defectIds,
  })),
  coveragePercent: a.coveragePercent,
  minCoveragePercent: a.minCoveragePercent,
});

export const defectSummary = (d: Defect) => ({
  defectId: d.id,
  title: d.title,
  severity: d.severity,
  changeRefs: d.changeRefs,
  requestIds: d.requestIds,
});

export async function lockedRelease(tx: ReleaseTestingTransaction, id: string): Promise<Release> {
  const release = await tx.releases.findById(id, true);
  if (!release) throw notFound('Release', id);
  return release;
}

export async function lockedRun(tx: ReleaseTestingTransaction, id: string): Promise<TestRun> {
  const run = await tx.runs.findById(id, true);
  if (!run) throw notFound('TestRun', id);
  return run;
}

/** The advice of a release as it stands inside the transaction (its latest run, its open defects). */
export async function adviceNow(
  tx: ReleaseTestingTransaction,
  deps: Pick<ReleaseTestingDeps, 'minCoveragePercent'>,
  releaseId: string,
) {
  const runs = await tx.runs.ofRelease(releaseId);
  const run = latestRun(runs);
  const openDefects = await tx.defects.openOfRelease(releaseId);
  const advice = computeAdvice({
    run: run ? { id: run.id, cases: await tx.runs.cases(run.id) } : null,
    openDefects,
    minCoveragePercent: deps.minCoveragePercent,
  });
  return { run, openDefects, advice };
}
