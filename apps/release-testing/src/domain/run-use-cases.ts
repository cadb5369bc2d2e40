import { z } from 'zod';
import type { Caller } from '@servicecenter/platform-auth';
import { DefectReported, TestRunCompleted } from '@servicecenter/contracts';
import { event } from '@servicecenter/platform-events';
import { badInput, forbidden, invalidTransition, notFound, validate } from '@servicecenter/platform-errors';
import { mustCoordinate, mustTestOn } from './authorisation';
import {
  adviceFacts,
  adviceNow,
  lockedRelease,
  lockedRun,
  meta,
  optionalText,
  releaseFacts,
  runSummary,
  text,
  uuid,
  version,
} from './facts';
import {
  completeRun,
  latestRun,
  linkDefect,
  mustBeOpen,
  mustMatchVersion,
  mustNotBeFinal,
  recordResult,
  resolveDefect,
  startRun,
} from './lifecycle';
import { SEVERITIES, TEST_OUTCOMES, type CaseResult, type Defect, type TestRun } from './model';
import type { ReleaseTestingDeps, ReleaseTestingTransaction } from './ports';
import type {
  AssignTestersInput,
  CompleteTestRunInput,
  LinkDefectInput,
  RecordTestResultInput,
  ReportDefectInput,
  ResolveDefectInput,
  StartTestRunInput,
} from '../generated/graphql';

const personId = text(100);
const changeRef = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9]*-\d+$/, 'a change reference looks like PD-1234')
  .max(50);
const Evidence = z.object({
  name: text(300),
  contentType: optionalText(200),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2000)
    .nullish()
    .transform((u) => u ?? null),
  sizeBytes: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .transform((n) => n ?? null),
  description: optionalText(2000),
});
const StartRunInput = z.object({
  releaseId: uuid,
  version,
  testPlanId: uuid.nullish().describe('Defaults to the plan of the previous run'),
  testerIds: z.array(personId).min(1, 'a run needs at least one tester').max(50),
});
const AssignInput = z.object({
  runId: uuid,
  version,
  testerIds: z.array(personId).min(1, 'a run needs at least one tester').max(50),
});
const ResultInput = z.object({
  runId: uuid,
  caseId: uuid,
  version,
  outcome: z.enum(TEST_OUTCOMES),
  note: optionalText(8000),
  evidence: z.array(Evidence).max(50).nullish(),
});
const CompleteInput = z.object({ runId: uuid, version });
const Links = {
  caseIds: z.array(uuid).max(500).nullish(),
  requestIds: z.array(uuid).max(500).nullish(),
  changeRefs: z.array(changeRef).max(100).nullish(),
};
const ReportInput = z.object({
  runId: uuid,
  title: text(300),
  description: text(8000),
  severity: z.enum(SEVERITIES),
  ...Links,
});
const LinkInput = z.object({ defectId: uuid, version, ...Links });
const ResolveInput = z.object({ defectId: uuid, version, resolution: text(8000) });

/** Case ids of a defect must be cases of its run. */
async function mustBeCasesOf(
  tx: ReleaseTestingTransaction,
  run: TestRun,
  caseIds: readonly string[] | null | undefined,
): Promise<void> {
  if (!caseIds?.length) return;
  const known = new Set((await tx.runs.cases(run.id)).map((c) => c.id));
  const unknown = caseIds.filter((id) => !known.has(id));
  if (unknown.length)
    throw badInput('input.caseIds', `Not test cases of run ${run.number}: ${unknown.join(', ')}`, { unknown });
}

/** Defects link requests the Service Center knows (registered through the requests service). */
async function mustBeKnownRequests(
  tx: ReleaseTestingTransaction,
  requestIds: readonly string[] | null | undefined,
): Promise<void> {
  const unknown = await tx.requests.unknown(requestIds ?? []);
  if (unknown.length)
    throw badInput('input.requestIds', `Not requests of the Service Center: ${unknown.join(', ')}`, { unknown });
}

/**
 * Testers are people the directory announced (person-saved events); one created moments ago
 * may not be known yet. The first unknown one is named by its position.
 */
async function mustBeKnownTesters(tx: ReleaseTestingTransaction, testerIds: readonly string[]): Promise<void> {
  const unknown = await tx.people.unknown(testerIds);
  if (unknown.length)
    throw badInput(
      `input.testerIds.${testerIds.indexOf(unknown[0])}`,
      `No person ${unknown.join(', ')} in the directory (one created moments ago is known here once the directory announced it; try again shortly)`,
      { unknown },
    );
}

/** Runs, results and defects: the coordinator starts and completes runs, testers test. */
export function runUseCases(deps: ReleaseTestingDeps) {
  return {
    /** The first run, or a retest after NO_GO: the cases of the plan are copied into the run. */
    async startTestRun(caller: Caller, input: StartTestRunInput, correlationId: string): Promise<TestRun> {
      mustCoordinate(caller, 'starts test runs');
      const i = validate(StartRunInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedRelease(tx, i.releaseId);
        mustMatchVersion(`Release ${before.releaseVersion}`, before.version, i.version);
        const runs = await tx.runs.ofRelease(before.id);
        const after = startRun(before, runs);
        const planId = i.testPlanId ?? latestRun(runs)?.testPlanId;
        if (!planId) throw badInput('input.testPlanId', 'The first run of a release needs a test plan');
        await mustBeKnownTesters(tx, i.testerIds);
        const plan = await tx.plans.findById(planId);
        if (!plan) throw badInput('input.testPlanId', `Test plan ${planId} does not exist`);
        if (plan.productId !== before.productId)
          throw badInput(
            'input.testPlanId',
            `Test plan "${plan.name}" is for product ${plan.productId}, not ${before.productId}`,
          );
        const run: TestRun = {
          id: deps.newId(),
          releaseId: before.id,
          testPlanId: plan.id,
          number: runs.length + 1,
          status: 'OPEN',
          testerIds: [...new Set(i.testerIds)],
          startedBy: caller.id,
          startedAt: now,
          completedBy: null,
          completedAt: null,
          version: 1,
        };
        const cases: CaseResult[] = plan.cases.map((c) => ({
          ...c,
          runId: run.id,
          outcome: null,
          note: null,
          evidence: [],
          recordedBy: null,
          recordedAt: null,
          version: 1,
        }));
        await tx.releases.update(before, after);
        await tx.runs.insert(run, cases);
        return run;
      });
    },

    async assignTesters(caller: Caller, input: AssignTestersInput, correlationId: string): Promise<TestRun> {
      mustCoordinate(caller, 'assigns testers');
      const i = validate(AssignInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedRun(tx, i.runId);
        mustMatchVersion(`Test run ${before.number}`, before.version, i.version);
        mustBeOpen(before, 'ASSIGN_TESTERS');
        await mustBeKnownTesters(tx, i.testerIds);
        const after: TestRun = { ...before, testerIds: [...new Set(i.testerIds)], version: before.version + 1 };
        await tx.runs.update(before, after);
        return after;
      });
    },

    /** `version` is the version of the case's result (testers record different cases side by side). */
    async recordTestResult(
      caller: Caller,
      input: RecordTestResultInput,
      correlationId: string,
    ): Promise<{ run: TestRun; result: CaseResult }> {
      const i = validate(ResultInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const run = await tx.runs.findById(i.runId, 'share');
        if (!run) throw notFound('TestRun', i.runId);
        mustTestOn(caller, run);
        mustBeOpen(run, 'RECORD_RESULT');
        const before = await tx.runs.findCase(run.id, i.caseId);
        if (!before) throw badInput('input.caseId', `Not a test case of run ${run.number}: ${i.caseId}`);
        mustMatchVersion('The result', before.version, i.version);
        const after = recordResult(before, {
          outcome: i.outcome,
          note: i.note,
          evidence: i.evidence ?? [],
          by: caller.id,
          now,
        });
        await tx.runs.updateCase(before, after);
        return { run, result: after };
      });
    },

    /** Unexecuted cases stay unexecuted and count against the coverage. */
    async completeTestRun(caller: Caller, input: CompleteTestRunInput, correlationId: string): Promise<TestRun> {
      mustCoordinate(caller, 'completes test runs');
      const i = validate(CompleteInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const found = await tx.runs.findById(i.runId);
        if (!found) throw notFound('TestRun', i.runId);
        // Release first, then run: the lock order of every use case that takes both.
        const release = await lockedRelease(tx, found.releaseId);
        const before = await lockedRun(tx, i.runId);
        mustMatchVersion(`Test run ${before.number}`, before.version, i.version);
        const after = completeRun(before, caller.id, now);
        await tx.runs.update(before, after);
        const { advice } = await adviceNow(tx, deps, release.id);
        tx.publish(
          event(TestRunCompleted, release.id, {
            ...releaseFacts(release),
            run: runSummary(after, advice.counts),
            advice: adviceFacts(advice),
            completedBy: caller.id,
            completedAt: now.toISOString(),
          }),
        );
        return after;
      });
    },

    async reportDefect(caller: Caller, input: ReportDefectInput, correlationId: string): Promise<Defect> {
      const i = validate(ReportInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const run = await tx.runs.findById(i.runId, 'share');
        if (!run) throw notFound('TestRun', i.runId);
        mustTestOn(caller, run);
        mustBeOpen(run, 'REPORT_DEFECT');
        await mustBeCasesOf(tx, run, i.caseIds);
        await mustBeKnownRequests(tx, i.requestIds);
        const release = await tx.releases.findById(run.releaseId);
        if (!release) throw notFound('Release', run.releaseId);
        const defect: Defect = {
          id: deps.newId(),
          releaseId: run.releaseId,
          runId: run.id,
          title: i.title,
          description: i.description,
          severity: i.severity,
          status: 'OPEN',
          caseIds: [...new Set(i.caseIds ?? [])],
          requestIds: [...new Set(i.requestIds ?? [])],
          changeRefs: [...new Set(i.changeRefs ?? [])],
          reportedBy: caller.id,
          reportedAt: now,
          resolution: null,
          resolvedBy: null,
          resolvedAt: null,
          version: 1,
        };
        await tx.defects.insert(defect);
        tx.publish(
          event(DefectReported, release.id, {
            ...releaseFacts(release),
            runId: run.id,
            defect: {
              defectId: defect.id,
              title: defect.title,
              severity: defect.severity,
              changeRefs: defect.changeRefs,
              requestIds: defect.requestIds,
              description: defect.description,
              caseIds: defect.caseIds,
            },
            reportedBy: caller.id,
            reportedAt: now.toISOString(),
          }),
        );
        return defect;
      });
    },

    async linkDefect(caller: Caller, input: LinkDefectInput, correlationId: string): Promise<Defect> {
      const i = validate(LinkInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const { before, release } = await defectForChange(tx, caller, i.defectId);
        mustMatchVersion('The defect', before.version, i.version);
        mustNotBeFinal(release, 'LINK_DEFECT');
        const run = await tx.runs.findById(before.runId);
        if (run) await mustBeCasesOf(tx, run, i.caseIds);
        await mustBeKnownRequests(tx, i.requestIds);
        const after = linkDefect(before, i);
        if (after !== before) await tx.defects.update(before, after);
        return after;
      });
    },

    /** The fix was confirmed (typically in a retest): the defect no longer counts in the advice. */
    async resolveDefect(caller: Caller, input: ResolveDefectInput, correlationId: string): Promise<Defect> {
      const i = validate(ResolveInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const { before, release } = await defectForChange(tx, caller, i.defectId);
        mustMatchVersion('The defect', before.version, i.version);
        mustNotBeFinal(release, 'RESOLVE_DEFECT');
        const after = resolveDefect(before, { resolution: i.resolution, by: caller.id, now });
        await tx.defects.update(before, after);
        return after;
      });
    },
  };
}

/**
 * A defect is changed by the coordinator, or by a tester of the release's latest run (the
 * retest is where a fix gets confirmed).
 */
async function defectForChange(tx: ReleaseTestingTransaction, caller: Caller, defectId: string) {
  const before = await tx.defects.findById(defectId, true);
  if (!before) throw notFound('Defect', defectId);
  const release = await tx.releases.findById(before.releaseId);
  if (!release) throw notFound('Release', before.releaseId);
  const run = latestRun(await tx.runs.ofRelease(release.id));
  if (!run) throw invalidTransition(release.status, 'CHANGE_DEFECT', []);
  try {
    mustTestOn(caller, run);
  } catch {
    throw forbidden('Only the UAT coordinator and the testers of the latest run change defects');
  }
  return { before, release };
}

export type RunUseCases = ReturnType<typeof runUseCases>;
